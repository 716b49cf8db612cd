import { metricsRegistry } from '@prestanda/observability';
import { createServer, Server } from 'node:http';

export type ReadinessCheck = () => Promise<{ name: string; ok: boolean; detail?: string }>;

/**
 * Health and metrics on an internal port only (not the public API port):
 * /health/live — the process answers; /health/ready — every check passes (database reachable,
 * every Kafka consumer joined and not crashed); /metrics — Prometheus.
 */
export class HealthServer {
  private server?: Server;
  private readonly checks: ReadinessCheck[] = [];
  private shuttingDown = false;

  addCheck(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(): Promise<{ ok: boolean; checks: { name: string; ok: boolean; detail?: string }[] }> {
    const results = await Promise.all(
      this.checks.map((c) => Promise.race([c(), new Promise<{ name: string; ok: boolean; detail: string }>((resolve) => setTimeout(() => resolve({ name: 'check', ok: false, detail: 'timeout' }), 2000))]).catch((e: Error) => ({ name: 'check', ok: false, detail: e.message }))),
    );
    if (this.shuttingDown) results.push({ name: 'shutdown', ok: false, detail: 'shutting down' });
    return { ok: results.every((r) => r.ok), checks: results };
  }

  listen(port: number): Promise<void> {
    this.server = createServer(async (req, res) => {
      if (req.url === '/health/live') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else if (req.url === '/health/ready') {
        const r = await this.readiness();
        res.writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: r.ok ? 'ok' : 'unavailable', checks: r.checks }));
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(await metricsRegistry.metrics());
      } else {
        res.writeHead(404).end();
      }
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '0.0.0.0', () => resolve());
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
