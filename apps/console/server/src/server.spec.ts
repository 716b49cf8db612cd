import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UPSTREAM_SERVICES, type ConsoleConfig, type UpstreamService } from './config';
import { createConsoleServer } from './server';

/** A stand-in service: records what reached it and answers as told. */
interface Upstream {
  server: Server;
  url: string;
  seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[];
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function upstream(answer: (req: IncomingMessage) => { status: number; body: unknown; headers?: Record<string, string> }): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const a = answer(req);
      res.writeHead(a.status, { 'content-type': 'application/json', 'set-cookie': 'upstream=1', ...a.headers }).end(JSON.stringify(a.body));
    });
  });
  return { server, url: await listen(server), seen };
}

describe('the console server', () => {
  let campaigns: Upstream;
  let health: Upstream;
  let consoleServer: Server;
  let base: string;
  const staticDir = mkdtempSync(path.join(tmpdir(), 'console-static-'));

  beforeAll(async () => {
    mkdirSync(path.join(staticDir, 'assets'));
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(staticDir, 'assets', 'app-1234.js'), 'console.log(1)');
    campaigns = await upstream((req) =>
      req.url?.startsWith('/v1/campaigns/cmp-1/activate') ? { status: 409, body: { statusCode: 409, reason: 'campaign is active; only a draft can be activated' } } : { status: 200, body: [{ id: 'cmp-1' }] },
    );
    // Readiness: billing is not ready, every other service is.
    health = await upstream((req) => (req.url === '/billing/health/ready' ? { status: 503, body: { status: 'unavailable', checks: [{ name: 'database', ok: true }, { name: 'consumer', ok: false, detail: 'secret detail' }] } } : { status: 200, body: { status: 'ok', checks: [{ name: 'database', ok: true }] } }));
    const services = Object.fromEntries(UPSTREAM_SERVICES.map((s) => [s, s === 'campaigns' ? campaigns.url : 'http://127.0.0.1:1'])) as Record<UpstreamService, string>;
    const healthUrls = Object.fromEntries(UPSTREAM_SERVICES.map((s) => [s, s === 'notification' ? 'http://127.0.0.1:1' : `${health.url}/${s}`])) as Record<UpstreamService, string>;
    const config: ConsoleConfig = { port: 0, host: '127.0.0.1', staticDir, services, health: healthUrls, jwtSecret: 'unit-secret', production: false };
    consoleServer = createConsoleServer(config);
    base = await listen(consoleServer);
  });

  afterAll(async () => {
    for (const s of [consoleServer, campaigns.server, health.server]) await new Promise((r) => s.close(r));
  });

  it("passes a call through with the caller's token and the service's answer untouched", async () => {
    const r = await fetch(`${base}/api/campaigns/v1/campaigns?status=active`, { headers: { authorization: 'Bearer abc', cookie: 'session=1', 'x-api-key': 'k' } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual([{ id: 'cmp-1' }]);
    expect(r.headers.get('set-cookie')).toBeNull();
    const last = campaigns.seen.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', url: '/v1/campaigns?status=active' });
    expect(last.headers.authorization).toBe('Bearer abc');
    expect(last.headers.cookie).toBeUndefined();
    expect(last.headers['x-api-key']).toBeUndefined();
  });

  it("returns the service's 409 body as it is, and forwards the request body", async () => {
    const r = await fetch(`${base}/api/campaigns/v1/campaigns/cmp-1/activate`, { method: 'POST', headers: { authorization: 'Bearer abc', 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'go' }) });
    expect(r.status).toBe(409);
    expect(await r.json()).toEqual({ statusCode: 409, reason: 'campaign is active; only a draft can be activated' });
    expect(campaigns.seen.at(-1)).toMatchObject({ method: 'POST', body: '{"reason":"go"}' });
  });

  it('answers 502 when a service does not answer, and 404 for an unknown service', async () => {
    const down = await fetch(`${base}/api/billing/v1/ledger/checks`);
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ message: 'billing did not answer' });
    expect((await fetch(`${base}/api/nope/v1/x`)).status).toBe(404);
  });

  it('aggregates readiness per service, without the checks’ details', async () => {
    const r = await fetch(`${base}/api/health`);
    const body = (await r.json()) as { ready: boolean; services: { service: string; ready: boolean; checks: unknown[]; error?: string }[] };
    expect(body.ready).toBe(false);
    const by = Object.fromEntries(body.services.map((s) => [s.service, s]));
    expect(Object.keys(by)).toEqual([...UPSTREAM_SERVICES]);
    expect(by.campaigns).toEqual({ service: 'campaigns', ready: true, checks: [{ name: 'database', ok: true }] });
    expect(by.billing).toEqual({ service: 'billing', ready: false, checks: [{ name: 'database', ok: true }, { name: 'consumer', ok: false }] });
    expect(by.notification).toMatchObject({ ready: false, error: 'unreachable' });
    expect(JSON.stringify(body)).not.toContain('secret detail');
  });

  it('serves the built app; unknown paths get index.html (client-side routes)', async () => {
    const asset = await fetch(`${base}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const route = await fetch(`${base}/campaigns`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>console</title>');
    expect(route.headers.get('content-security-policy')).toContain("default-src 'self'");
    const escape = await fetch(`${base}/..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).toContain('<title>console</title>');
  });

  it('mints a dev token over HTTP and names a bad field', async () => {
    expect(await (await fetch(`${base}/auth/config`)).json()).toEqual({ devLogin: true, oidc: null });
    const ok = await fetch(`${base}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'ops-viewer' }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token: expect.stringMatching(/^ey/), role: 'ops-viewer' });
    const bad = await fetch(`${base}/auth/dev-login`, { method: 'POST', body: '{"role":"advertiser"}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fields: [{ field: 'advertiserId' }] });
  });

  it('has no dev login in production: 404', async () => {
    const prod = createConsoleServer({ port: 0, host: '127.0.0.1', staticDir, services: {} as Record<UpstreamService, string>, health: {} as Record<UpstreamService, string>, jwtSecret: 'unit-secret', production: true });
    const url = await listen(prod);
    try {
      expect((await fetch(`${url}/auth/dev-login`, { method: 'POST', body: '{"role":"ops-admin"}' })).status).toBe(404);
      expect(await (await fetch(`${url}/auth/config`)).json()).toEqual({ devLogin: false, oidc: null });
    } finally {
      await new Promise((r) => prod.close(r));
    }
  });
});
