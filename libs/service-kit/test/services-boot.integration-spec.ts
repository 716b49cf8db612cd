import { ChildService, eventually, testDatabaseUrl, testKafka, useTopicNamespace } from '@prestanda/testing';

const SERVICES = ['campaigns', 'ingestion', 'offer-matching', 'attribution', 'billing', 'notification', 'affiliate'];

async function get(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url);
  return { status: r.status, body: await r.text() };
}

describe('every service boots, reports ready, and shuts down cleanly', () => {
  let namespace: Awaited<ReturnType<typeof useTopicNamespace>>;
  beforeAll(async () => {
    namespace = await useTopicNamespace(testKafka());
  });
  afterAll(() => namespace.cleanup());

  it.each(SERVICES.map((s, i) => [s, i]))('%s: /health/ready turns 200 with database and consumer up; SIGTERM exits 0', async (service, i) => {
    const index = i as number;
    // Below the ephemeral range (32768–60999), so no outgoing connection can be holding them.
    const httpPort = 23100 + index;
    const healthPort = 23200 + index;
    const child = ChildService.start(`apps/${service}/src/main.ts`, {
      HTTP_PORT: String(httpPort),
      HEALTH_PORT: String(healthPort),
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_TOPIC_PREFIX: namespace.prefix,
      LOG_LEVEL: 'warn',
    });
    try {
      await eventually(async () => expect((await get(`http://127.0.0.1:${healthPort}/health/live`)).status).toBe(200), { timeoutMs: 60000, intervalMs: 250 });
      const ready = await eventually(
        async () => {
          const r = await get(`http://127.0.0.1:${healthPort}/health/ready`);
          expect(r.status).toBe(200);
          return JSON.parse(r.body) as { checks: { name: string; ok: boolean }[] };
        },
        { timeoutMs: 60000, intervalMs: 250 },
      );
      expect(ready.checks.map((c) => c.name)).toContain('database');
      const metrics = await get(`http://127.0.0.1:${healthPort}/metrics`);
      expect(metrics.body).toContain('process_cpu_user_seconds_total');
      // The public port serves the API and its OpenAPI document, not health.
      expect((await get(`http://127.0.0.1:${httpPort}/docs-json`)).status).toBe(200);
      expect((await get(`http://127.0.0.1:${httpPort}/health/ready`)).status).toBe(404);
    } catch (error) {
      throw new Error(`${error}\n--- ${service} output ---\n${child.tail()}`);
    } finally {
      const code = await child.kill('SIGTERM');
      expect(code).toBe(0);
    }
  });

  it('refuses to start with an invalid variable and names it', async () => {
    const child = ChildService.start('apps/billing/src/main.ts', { HTTP_PORT: 'not-a-port', DATABASE_URL: testDatabaseUrl() });
    const code = await child.exited();
    expect(code).toBe(1);
    expect(child.tail()).toMatch(/HTTP_PORT/);
  });
});
