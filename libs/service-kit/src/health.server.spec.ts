import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { HealthServer } from './health.server';

describe('the health port on terminus keeps its paths, status codes and the checks list the console reads', () => {
  let module: INestApplicationContext;
  let server: HealthServer;
  const get = async (path: string) => {
    const r = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: r.status, text: await r.text() };
  };

  beforeEach(async () => {
    module = await NestFactory.createApplicationContext(TerminusModule.forRoot({ logger: false }), { logger: false });
    server = new HealthServer(module.get(HealthCheckService), module.get(HealthIndicatorService), 200);
    await server.listen(0);
  });
  afterEach(async () => {
    await server.close();
    await module.close();
  });

  it('answers 200 on /health/ready when every check is up, with terminus details', async () => {
    server.addCheck(async () => ({ name: 'database', ok: true }), 'database');
    server.addCheck(async () => ({ name: 'kafka-consumer', ok: true, detail: 'running' }), 'kafka-consumer');
    const r = await get('/health/ready');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({
      status: 'ok',
      checks: [
        { name: 'database', ok: true },
        { name: 'kafka-consumer', ok: true, detail: 'running' },
      ],
      info: { database: { status: 'up' }, 'kafka-consumer': { status: 'up', message: 'running' } },
      error: {},
      details: { database: { status: 'up' }, 'kafka-consumer': { status: 'up', message: 'running' } },
    });
  });

  it('answers 503 naming each failed check: down, throwing, or not answering in time', async () => {
    server.addCheck(async () => ({ name: 'kafka-consumer', ok: false, detail: 'no progress on t[0] for 75 s' }), 'kafka-consumer');
    server.addCheck(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }, 'database');
    server.addCheck(() => new Promise(() => undefined), 'dispatcher');
    server.addCheck(async () => ({ name: 'other', ok: true }), 'other');
    const r = await get('/health/ready');
    expect(r.status).toBe(503);
    const body = JSON.parse(r.text);
    expect(body.status).toBe('unavailable');
    expect(body.checks).toEqual(
      expect.arrayContaining([
        { name: 'kafka-consumer', ok: false, detail: 'no progress on t[0] for 75 s' },
        { name: 'database', ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:5432' },
        { name: 'dispatcher', ok: false, detail: 'timeout' },
        { name: 'other', ok: true },
      ]),
    );
    expect(Object.keys(body.error).sort()).toEqual(['database', 'dispatcher', 'kafka-consumer']);
  });

  it('turns red while shutting down, whether marked by the runtime or by Nest shutting down', async () => {
    server.addCheck(async () => ({ name: 'database', ok: true }), 'database');
    expect((await server.readiness()).ok).toBe(true);
    server.markShuttingDown();
    expect(await server.readiness()).toMatchObject({ ok: false, checks: expect.arrayContaining([{ name: 'shutdown', ok: false, detail: 'shutting down' }]) });

    const other = new HealthServer(module.get(HealthCheckService), module.get(HealthIndicatorService));
    other.addCheck(async () => ({ name: 'database', ok: true }), 'database');
    await module.close(); // terminus' own beforeApplicationShutdown
    expect(await other.readiness()).toMatchObject({ ok: false, result: { status: 'shutting_down' } });
  });

  it('keeps /health/live and /metrics, and nothing else', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, text: '{"status":"ok"}' });
    expect((await get('/metrics')).status).toBe(200);
    expect((await get('/docs')).status).toBe(404);
  });
});
