/**
 * The console server's settings, from the environment. Every upstream is a service's own base
 * URL; the console server only forwards to them.
 */
export const UPSTREAM_SERVICES = ['campaigns', 'ingestion', 'offer-matching', 'attribution', 'billing', 'notification', 'affiliate'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

export interface ConsoleConfig {
  port: number;
  host: string;
  /** The built web app (index.html and assets/). */
  staticDir: string;
  /** HTTP API base URL of each service. */
  services: Record<UpstreamService, string>;
  /** Internal health base URL of each service (`/health/ready` is appended). */
  health: Record<UpstreamService, string>;
  /** Local HS256 secret: dev login is possible only with it (and never in production). */
  jwtSecret?: string;
  production: boolean;
  /** OIDC issuer the services accept (shown to the login page; OIDC login is not built yet). */
  oidcIssuer?: string;
}

/** `offer-matching` → `OFFER_MATCHING`. */
export const envName = (service: UpstreamService): string => service.toUpperCase().replace(/-/g, '_');

export function loadConfig(env: NodeJS.ProcessEnv, defaults: { staticDir: string }): ConsoleConfig {
  const services = {} as Record<UpstreamService, string>;
  const health = {} as Record<UpstreamService, string>;
  UPSTREAM_SERVICES.forEach((service, i) => {
    services[service] = trimSlash(env[`${envName(service)}_URL`] ?? `http://127.0.0.1:${3001 + i}`);
    health[service] = trimSlash(env[`${envName(service)}_HEALTH_URL`] ?? `http://127.0.0.1:${9401 + i}`);
  });
  const port = Number(env.CONSOLE_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CONSOLE_PORT must be a port number, got ${env.CONSOLE_PORT}`);
  for (const [name, url] of Object.entries({ ...services, ...prefixed(health) })) {
    if (!isHttpUrl(url)) throw new Error(`${name}: not a URL: ${url}`);
  }
  return {
    port,
    host: env.CONSOLE_HOST ?? '0.0.0.0',
    staticDir: env.CONSOLE_STATIC_DIR ?? defaults.staticDir,
    services,
    health,
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    production: env.NODE_ENV === 'production',
    oidcIssuer: env.AUTH_JWKS_URL ? env.AUTH_JWT_ISSUER || undefined : undefined,
  };
}

function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function prefixed(health: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(health).map(([k, v]) => [`${k} health`, v]));
}
