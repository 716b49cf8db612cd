import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { bearer, eventually, testDatabaseUrl, testKafka, useTopicNamespace } from '@prestanda/testing';
import { AppModule } from '../src/app.module';
import { loadAffiliateConfig } from '../src/config';

/** Every service limits each caller's requests per minute (HTTP_RATE_LIMIT_PER_MINUTE); shown on affiliate. */
describe('per-caller rate limit (real broker and database)', () => {
  const kafka = testKafka();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let base: string;
  const before = process.env.HTTP_RATE_LIMIT_PER_MINUTE;

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.HTTP_RATE_LIMIT_PER_MINUTE = '5';
    const config = loadAffiliateConfig({ ...process.env, HTTP_PORT: '0', HEALTH_PORT: '0', AFFILIATE_CONFIRM_INTERVAL_MS: '0' });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'affiliate', title: 't', httpPort: 0, rawBody: true });
    await app.listen(0);
    await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60_000 });
    base = await app.getUrl();
  });

  afterAll(async () => {
    if (before === undefined) delete process.env.HTTP_RATE_LIMIT_PER_MINUTE;
    else process.env.HTTP_RATE_LIMIT_PER_MINUTE = before;
    await app?.close();
    await ns?.cleanup();
  });

  it('answers 429 with Retry-After to a caller over the limit, and keeps serving the others', async () => {
    const ops = await bearer(['ops-viewer']);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${base}/v1/conversions`, { headers: ops })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await fetch(`${base}/v1/conversions`, { headers: ops });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${base}/v1/conversions`, { headers: await bearer(['ops-admin']) })).status).toBe(200);
  });

  it('leaves the redirect edge to its own limiter', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${base}/c/NoSuchCode123`, { redirect: 'manual' })).status);
    expect(statuses).toEqual(Array(8).fill(302));
  });
});
