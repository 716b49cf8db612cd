import type { AddressInfo } from 'node:net';
import { signLocalToken, TokenVerifier } from '@prestanda/auth';
import { UPSTREAM_SERVICES, type UpstreamService } from '../config';
import { createConsoleServer } from '../server';
import { DeadLetterRoutes } from './dead-letter-routes';
import type { KafkaLog } from './kafka-log';

const SECRET = 'dead-letter-routes-spec-secret';

/** A KafkaLog that fails the test if it is asked anything: these answers come before Kafka. */
const untouchable = new Proxy({} as KafkaLog, {
  get: (_, name) => {
    if (name === 'prefix') return '';
    throw new Error(`Kafka was asked (${String(name)}) before the request was refused`);
  },
});

const routes = new DeadLetterRoutes(untouchable, new TokenVerifier({ AUTH_JWT_SECRET: SECRET }), { log: () => undefined, error: () => undefined });
const token = async (roles: ('ops-admin' | 'ops-viewer' | 'advertiser')[]) => `Bearer ${await signLocalToken(SECRET, { sub: `spec-${roles.join('-')}`, roles, advertiserId: roles.includes('advertiser') ? 'adv-1' : undefined }, '5m')}`;
const ask = (method: string, path: string, authorization?: string, body: unknown = {}) => routes.handle(method, new URL(path, 'http://console'), authorization, async () => body);

describe('dead-letter routes refuse before they read', () => {
  it('leaves other paths to the pass-through', async () => {
    expect(await ask('GET', '/api/campaigns/v1/campaigns')).toBeUndefined();
    expect(await ask('GET', '/api/dead-lettersx')).toBeUndefined();
  });

  it('answers 404 for an unknown route and 405 for a wrong method', async () => {
    expect(await ask('GET', '/api/dead-letters/nope', await token(['ops-admin']))).toMatchObject({ status: 404 });
    expect(await ask('POST', '/api/dead-letters/topics', await token(['ops-admin']))).toMatchObject({ status: 405 });
    expect(await ask('GET', '/api/dead-letters/replays', await token(['ops-admin']))).toMatchObject({ status: 405 });
  });

  it('wants a valid bearer token', async () => {
    expect(await ask('GET', '/api/dead-letters/topics')).toMatchObject({ status: 401 });
    expect(await ask('GET', '/api/dead-letters/topics', 'Bearer nonsense')).toMatchObject({ status: 401 });
    const forged = `Bearer ${await signLocalToken('another-secret', { sub: 'x', roles: ['ops-admin'] }, '5m')}`;
    expect(await ask('POST', '/api/dead-letters/replays', forged)).toMatchObject({ status: 401 });
  });

  it('lets no advertiser read and no ops viewer replay', async () => {
    expect(await ask('GET', '/api/dead-letters/topics', await token(['advertiser']))).toMatchObject({ status: 403, body: { message: 'only ops may read dead letters' } });
    expect(await ask('GET', '/api/dead-letters/audit', await token(['advertiser']))).toMatchObject({ status: 403 });
    expect(await ask('POST', '/api/dead-letters/replays', await token(['ops-viewer']), { items: [{ topic: 'rewards.dlq', partition: 0, offset: '0' }] })).toMatchObject({
      status: 403,
      body: { message: 'only an ops admin may replay dead letters' },
    });
  });

  it('names the bad field of a request', async () => {
    const page = await ask('GET', '/api/dead-letters/topics/rewards.dlq/messages?limit=0', await token(['ops-viewer']));
    expect(page).toMatchObject({ status: 400, body: { fields: [{ field: 'limit' }] } });
    const replay = await ask('POST', '/api/dead-letters/replays', await token(['ops-admin']), { items: [{ topic: 'rewards', partition: 0, offset: 'x' }] });
    expect(replay).toMatchObject({ status: 400, body: { fields: [{ field: 'items[0].topic' }, { field: 'items[0].offset' }] } });
    const audit = await ask('GET', '/api/dead-letters/audit?before=-1', await token(['ops-viewer']));
    expect(audit).toMatchObject({ status: 400, body: { fields: [{ field: 'before' }] } });
  });

  it('says so when it has no way to verify a token', async () => {
    const unconfigured = new DeadLetterRoutes(untouchable, new TokenVerifier({}), { log: () => undefined, error: () => undefined });
    expect(await unconfigured.handle('GET', new URL('/api/dead-letters/topics', 'http://console'), await token(['ops-admin']), async () => ({}))).toMatchObject({ status: 503 });
  });
});

describe('the console server with the dead-letter routes', () => {
  const services = Object.fromEntries(UPSTREAM_SERVICES.map((s) => [s, 'http://127.0.0.1:1'])) as Record<UpstreamService, string>;
  const server = createConsoleServer({ port: 0, host: '127.0.0.1', staticDir: '/nonexistent', services, health: services, jwtSecret: SECRET, production: false }, { deadLetters: routes });
  let base: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  });

  it('answers them itself (never the pass-through), as JSON', async () => {
    const r = await fetch(`${base}/api/dead-letters/topics`);
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(await r.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'a bearer token is required' });
  });

  it('answers an oversized dev-login body instead of dropping the connection', async () => {
    const r = await fetch(`${base}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'ops-admin', pad: 'x'.repeat(5000) }) });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { fields: unknown[] }).fields).toEqual([{ field: 'body', message: 'at most 4096 bytes' }]);
  });

  it('refuses a replay body that is not JSON, or over 64 KiB, naming the body', async () => {
    const headers = { authorization: await token(['ops-admin']), 'content-type': 'application/json' };
    for (const body of ['{not json', JSON.stringify({ items: [{ topic: 'x'.repeat(70_000) }] })]) {
      const r = await fetch(`${base}/api/dead-letters/replays`, { method: 'POST', headers, body });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { fields: unknown[] }).fields).toEqual([{ field: 'body', message: 'must be JSON, at most 64 KiB' }]);
    }
  });
});
