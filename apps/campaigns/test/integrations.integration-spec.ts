import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { schemaDrift } from '@prestanda/persistence';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { bearer, dropSchema, eventually, testDatabaseUrl, testKafka, TopicReader, useTopicNamespace, withPg } from '@prestanda/testing';
import { physicalTopic } from '@prestanda/kafka';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadCampaignsConfig } from '../src/config';
import { IntegrationsService } from '../src/integrations/integrations.service';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The integration registry: integrations, API keys held by SHA-256 only, rotation with an overlap,
 * revocation, and the guard resolving registry keys (this app's AUTH_KEY_REGISTRY_URL is itself,
 * as every service's is the campaigns service).
 */
describe('integration registry (HTTP + PostgreSQL)', () => {
  const kafka = testKafka();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let base: string;
  const saved = { url: process.env.AUTH_KEY_REGISTRY_URL, ttl: process.env.AUTH_KEY_CACHE_MS };

  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const auth = headers ?? (await bearer(['ops-admin']));
    const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...auth }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined, text };
  };
  const self = (apiKey: string) => call('GET', '/v1/api-keys/self', undefined, { 'x-api-key': apiKey });
  /** A route that takes integration keys: 404 (no such campaign) means the key was accepted, 401 that it was not. */
  const useKey = (apiKey: string) => call('POST', '/v1/campaigns/cmp-none/applications', {}, { 'x-api-key': apiKey });

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('campaigns');
    const port = await freePort();
    process.env.AUTH_KEY_REGISTRY_URL = `http://127.0.0.1:${port}`;
    process.env.AUTH_KEY_CACHE_MS = '500';
    const config = loadCampaignsConfig({ ...process.env, HTTP_PORT: String(port), HEALTH_PORT: '0' });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'campaigns', title: 't', httpPort: port });
    await app.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    await eventually(async () => expect(await app.get(MessagingRuntime).health.readiness()).toMatchObject({ ok: true }), { timeoutMs: 60000 });
  });

  afterAll(async () => {
    await app?.close();
    await ns?.cleanup();
    process.env.AUTH_KEY_REGISTRY_URL = saved.url;
    process.env.AUTH_KEY_CACHE_MS = saved.ttl;
    if (saved.url === undefined) delete process.env.AUTH_KEY_REGISTRY_URL;
    if (saved.ttl === undefined) delete process.env.AUTH_KEY_CACHE_MS;
  });

  it('has no drift between entities and migrations, and documents the routes', async () => {
    expect(await schemaDrift(app.get(DataSource))).toEqual([]);
    const doc = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/integrations', '/v1/integrations/{id}/keys', '/v1/integrations/{id}/keys/{keyId}', '/v1/api-keys/self']));
  });

  it('registers integrations for ops-admin only, refusing a bad id by name and a taken one', async () => {
    const created = await call('POST', '/v1/integrations', { id: 'bank-nord', kind: 'bank', name: 'Nordbanken', publisherId: 'pub-bank-nord' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'bank-nord', kind: 'bank', locale: 'sv', publisherId: 'pub-bank-nord', keys: [] });
    expect((await call('POST', '/v1/integrations', { id: 'bank-nord', kind: 'bank', name: 'again' })).status).toBe(409);
    const bad = await call('POST', '/v1/integrations', { id: 'Bank Nord', kind: 'bank', name: 'x' });
    expect([bad.status, bad.body.fields[0].field]).toEqual([400, 'id']);
    expect((await call('POST', '/v1/integrations', { id: 'bank-x', kind: 'bank', name: 'x' }, await bearer(['ops-viewer']))).status).toBe(403);
    expect((await call('GET', '/v1/integrations', undefined, await bearer(['ops-viewer']))).status).toBe(200);
    expect((await call('GET', '/v1/integrations', undefined, await bearer(['advertiser'], 'adv-1'))).status).toBe(403);
  });

  it('publishes each registration on the integrations topic (never a key), and once more at start only those not published yet', async () => {
    const reader = await TopicReader.start(kafka, [physicalTopic('integrations')]);
    try {
      const snapshots = (id: string) => reader.of(physicalTopic('integrations')).filter((m) => m.key === id).map((m) => m.json<{ type: string; data: Record<string, unknown> }>());
      expect((await call('POST', '/v1/integrations', { id: 'pub-site-a', kind: 'publisher', name: 'Site A', publisherId: 'pub-site-a-1' })).status).toBe(201);
      await eventually(() => expect(snapshots('pub-site-a')).toHaveLength(1));
      expect(snapshots('pub-site-a')[0]).toMatchObject({ type: 'integration.snapshot', data: { integrationId: 'pub-site-a', kind: 'publisher', name: 'Site A', locale: 'sv', publisherId: 'pub-site-a-1' } });
      expect(JSON.stringify(snapshots('pub-site-a')[0])).not.toMatch(/pk_|digest/);
      await eventually(() => expect(snapshots('bank-nord')).toHaveLength(1));
      // A registration from before the registry published (published_at NULL) goes out once at start.
      await app.get(DataSource).query(`UPDATE "campaigns"."integrations" SET "published_at" = NULL WHERE "id" = 'bank-nord'`);
      expect(await app.get(IntegrationsService).publishUnpublished()).toBe(1);
      expect(await app.get(IntegrationsService).publishUnpublished()).toBe(0);
      app.get(MessagingRuntime).nudgeRelay();
      await eventually(() => expect(snapshots('bank-nord')).toHaveLength(2));
      expect(snapshots('pub-site-a')).toHaveLength(1);
    } finally {
      await reader.stop();
    }
  });

  it('shows a new key once and stores only its SHA-256', async () => {
    const issued = await call('POST', '/v1/integrations/bank-nord/keys', {});
    expect(issued.status).toBe(201);
    const { apiKey, keyId } = issued.body as { apiKey: string; keyId: string };
    expect(apiKey).toMatch(/^pk_/);
    const listed = await call('GET', '/v1/integrations/bank-nord');
    expect(listed.body.keys).toEqual([expect.objectContaining({ keyId, hint: `${apiKey.slice(0, 10)}…`, active: true, revokedAt: null })]);
    expect(listed.text).not.toContain(apiKey);
    const rows = await withPg(async (c) => (await c.query(`SELECT * FROM "campaigns"."api_keys" WHERE "integration_id" = 'bank-nord'`)).rows);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(apiKey);
    expect(rows[0].digest).toBe(createHash('sha256').update(apiKey).digest('hex'));

    expect((await self(apiKey)).body).toEqual({ integrationId: 'bank-nord', kind: 'bank', publisherId: 'pub-bank-nord', keyId, expiresAt: null });
    expect((await self('pk_not-a-key')).status).toBe(401);
    expect((await useKey(apiKey)).status).toBe(404);
    expect((await useKey('pk_not-a-key')).status).toBe(401);
  });

  it('rotates with an overlap in which both keys work, and revokes a key everywhere within the cache time', async () => {
    const first = (await call('POST', '/v1/integrations/bank-nord/keys', {})).body as { apiKey: string; keyId: string };
    const rotated = await call('POST', '/v1/integrations/bank-nord/keys', { replacesKeyId: first.keyId, overlapMinutes: 60 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.replaced).toMatchObject({ keyId: first.keyId, active: true });
    expect(Date.parse(rotated.body.replaced.expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect((await self(first.apiKey)).status).toBe(200);
    expect((await self(rotated.body.apiKey)).status).toBe(200);

    // A rotation without overlap ends the old key at once.
    const third = await call('POST', '/v1/integrations/bank-nord/keys', { replacesKeyId: rotated.body.keyId, overlapMinutes: 0 });
    expect((await self(rotated.body.apiKey)).status).toBe(401);
    expect((await self(third.body.apiKey)).status).toBe(200);
    const unknown = await call('POST', '/v1/integrations/bank-nord/keys', { replacesKeyId: '00000000-0000-4000-8000-000000000000' });
    expect([unknown.status, unknown.body.fields[0].field]).toEqual([400, 'replacesKeyId']);

    expect((await useKey(third.body.apiKey)).status).toBe(404); // now cached by the guard
    expect((await call('DELETE', `/v1/integrations/bank-nord/keys/${third.body.keyId}`)).status).toBe(204);
    expect((await self(third.body.apiKey)).status).toBe(401);
    await eventually(async () => expect((await useKey(third.body.apiKey)).status).toBe(401), { timeoutMs: 5000, intervalMs: 100 });
    expect((await call('DELETE', `/v1/integrations/bank-nord/keys/${third.body.keyId}`, undefined, await bearer(['ops-viewer']))).status).toBe(403);
    expect((await call('DELETE', '/v1/integrations/bank-nord/keys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
