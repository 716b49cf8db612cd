import { UPSTREAM_SERVICES, type UpstreamService } from './config';

export interface ProxyTarget {
  service: UpstreamService;
  /** The upstream URL: the service's base URL + the rest of the path + the query string, unchanged. */
  url: string;
}

/**
 * `/api/<service>/<rest>?<query>` → `<service base URL>/<rest>?<query>`. Anything else (an
 * unknown service, a path that climbs out with `..`) is not proxied. No route is rewritten or
 * filtered beyond that: what a caller may do is the service's decision.
 */
export function proxyTarget(rawUrl: string, services: Record<UpstreamService, string>): ProxyTarget | undefined {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q);
  const match = /^\/api\/([a-z-]+)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  const service = UPSTREAM_SERVICES.find((s) => s === match[1]);
  if (!service) return undefined;
  const rest = match[2] ?? '/';
  // Segments stay percent-encoded as the browser sent them; a literal or encoded dot segment is refused.
  if (rest.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) return undefined;
  return { service, url: services[service] + rest + query };
}

/** Request headers passed to a service: the caller's credentials and content negotiation, nothing else. */
export const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'content-length', 'accept', 'accept-language', 'traceparent', 'tracestate'] as const;

/** Response headers passed back to the browser. */
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'cache-control', 'etag', 'last-modified', 'location', 'www-authenticate'] as const;

export function pickHeaders(headers: Record<string, string | string[] | undefined>, names: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
