import { HttpException } from '@nestjs/common';
import type { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { metricsRegistry } from '@prestanda/observability';
import { createServer, Server } from 'node:http';

export type ReadinessCheck = () => Promise<{ name: string; ok: boolean; detail?: string }>;

export interface Readiness {
  ok: boolean;
  /** One entry per check (what the console shows); `detail` says why a check is down. */
  checks: { name: string; ok: boolean; detail?: string }[];
  /** Terminus' own result: status, info, error and details keyed by check. */
  result: HealthCheckResult;
}


/**
 * Health and metrics on an internal port only (not the public API port):
 * /health/live — the process answers; /health/ready — every check passes (database reachable,
 * every Kafka consumer joined and not crashed); /metrics — Prometheus.
 *
 * Readiness runs on @nestjs/terminus: each check is a terminus health indicator, terminus
 * aggregates them (and turns the result to `shutting_down` once Nest's shutdown begins), and
 * the body carries terminus' `info` / `error` / `details` next to the `checks` list the console
 * reads. The port stays a plain node:http listener rather than a Nest controller, so that health
 * and metrics never share the public port (its auth guard, rate limit and helmet headers).
 */
export class HealthServer {
  private server?: Server;
  private readonly checks: { name: string; check: ReadinessCheck }[] = [];
  private shuttingDown = false;

  constructor(
    private readonly healthChecks: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    /** A check that does not answer within this long is down (a probe must not hang on a dead database). */
    private readonly checkTimeoutMs = 2000,
  ) {}

  /** The port it listens on (after listen; useful with port 0). */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  /** Adds a readiness check; `name` keys it when it throws or times out before naming itself. */
  addCheck(check: ReadinessCheck, name = `check-${this.checks.length + 1}`): void {
    this.checks.push({ name, check });
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  /** Never rejects: a check that throws or hangs is a `down` indicator with the reason. */
  private indicator({ name, check }: { name: string; check: ReadinessCheck }): HealthIndicatorFunction {
    return async (): Promise<HealthIndicatorResult> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<{ name: string; ok: boolean; detail: string }>((resolve) => {
        timer = setTimeout(() => resolve({ name, ok: false, detail: 'timeout' }), this.checkTimeoutMs);
      });
      const r = await Promise.race([check(), timeout])
        .catch((e: unknown) => ({ name, ok: false, detail: e instanceof Error ? e.message : String(e) }))
        .finally(() => clearTimeout(timer));
      const session = this.indicators.check(r.name);
      const data: Record<string, string> = r.detail === undefined ? {} : { message: r.detail };
      return r.ok ? session.up(data) : session.down(data);
    };
  }

  async readiness(): Promise<Readiness> {
    const indicators = this.checks.map((c) => this.indicator(c));
    if (this.shuttingDown) indicators.push(async () => this.indicators.check('shutdown').down({ message: 'shutting down' }));
    let result: HealthCheckResult;
    try {
      result = await this.healthChecks.check(indicators);
    } catch (error) {
      // Terminus answers a failed check with a 503 exception carrying the result.
      if (!(error instanceof HttpException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const checks = Object.entries(result.details).map(([name, d]) => {
      const detail = typeof d.message === 'string' ? d.message : undefined;
      return detail === undefined ? { name, ok: d.status === 'up' } : { name, ok: d.status === 'up', detail };
    });
    return { ok: result.status === 'ok', checks, result };
  }

  listen(port: number): Promise<void> {
    this.server = createServer(async (req, res) => {
      if (req.url === '/health/live') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else if (req.url === '/health/ready') {
        const r = await this.readiness().catch((e: Error) => ({ ok: false, checks: [{ name: 'health', ok: false, detail: e.message }], result: undefined }));
        const body = { status: r.ok ? 'ok' : 'unavailable', checks: r.checks, info: r.result?.info, error: r.result?.error, details: r.result?.details };
        res.writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
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
