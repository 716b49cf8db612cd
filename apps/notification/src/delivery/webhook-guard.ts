import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard for webhook URLs, at registration and again at every send: a webhook must be
 * https and every address its host resolves to must be public — not loopback, private (RFC 1918,
 * ULA), link-local (cloud metadata lives at 169.254.169.254), CGNAT, multicast or unspecified —
 * unless the host is on the allow-list (WEBHOOK_ALLOWED_HOSTS; outside production loopback is
 * allowed by default, for local development). Checking at send time too catches a DNS record
 * changed after registration; a rebinding between the check and the connection is not ruled out.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** Whether an address is on the public internet (IPv4-mapped IPv6 judged as its IPv4). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  const family = isIP(ip);
  if (family === 0) return false;
  return !blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export const DEVELOPMENT_ALLOWED_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** The allow-list: WEBHOOK_ALLOWED_HOSTS (comma-separated), else loopback outside production, nothing in production. */
export function allowedWebhookHosts(env: { WEBHOOK_ALLOWED_HOSTS?: string; NODE_ENV?: string }): string[] {
  if (env.WEBHOOK_ALLOWED_HOSTS !== undefined) return env.WEBHOOK_ALLOWED_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  return env.NODE_ENV === 'production' ? [] : DEVELOPMENT_ALLOWED_HOSTS;
}

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export async function checkWebhookUrl(url: string, allowedHosts: readonly string[], resolve: Resolve = resolveAll): Promise<{ ok: true } | { ok: false; problem: string }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, problem: 'webhookUrl must be an absolute URL' };
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (allowedHosts.includes(host)) return u.protocol === 'https:' || u.protocol === 'http:' ? { ok: true } : { ok: false, problem: 'webhookUrl must be http(s)' };
  if (u.protocol !== 'https:') return { ok: false, problem: `webhookUrl must be https (${host} is not on WEBHOOK_ALLOWED_HOSTS)` };
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return { ok: false, problem: `webhookUrl host ${host} does not resolve` };
  }
  const internal = addresses.find((a) => !isPublicAddress(a));
  if (internal !== undefined) return { ok: false, problem: `webhookUrl host ${host} resolves to ${internal}, which is not a public address (allow it with WEBHOOK_ALLOWED_HOSTS)` };
  return { ok: true };
}
