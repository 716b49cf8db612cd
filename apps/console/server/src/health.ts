import { UPSTREAM_SERVICES, type UpstreamService } from './config';

export interface ServiceHealth {
  service: UpstreamService;
  ready: boolean;
  /** The names of the service's readiness checks and whether each passes; details stay internal. */
  checks: { name: string; ok: boolean }[];
  /** Why there is no answer (unreachable, timeout), when there is none. */
  error?: string;
}

export interface PlatformHealth {
  ready: boolean;
  checkedAt: string;
  services: ServiceHealth[];
}

/** Asks every service's `/health/ready` at once; a service that does not answer in time is not ready. */
export async function platformHealth(health: Record<UpstreamService, string>, timeoutMs = 2500): Promise<PlatformHealth> {
  const services = await Promise.all(UPSTREAM_SERVICES.map((service) => serviceHealth(service, `${health[service]}/health/ready`, timeoutMs)));
  return { ready: services.every((s) => s.ready), checkedAt: new Date().toISOString(), services };
}

async function serviceHealth(service: UpstreamService, url: string, timeoutMs: number): Promise<ServiceHealth> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { checks?: { name?: unknown; ok?: unknown }[] };
    const checks = Array.isArray(body.checks) ? body.checks.map((c) => ({ name: String(c.name), ok: c.ok === true })) : [];
    return { service, ready: response.status === 200, checks };
  } catch (e) {
    const error = e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'unreachable';
    return { service, ready: false, checks: [], error };
  }
}
