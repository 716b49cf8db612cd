import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { containsPan, type CampaignAffiliateV1 } from '@prestanda/contracts';

/** Sub ids a publisher may put on its links (its own reporting keys), at most 100 characters each. */
export const SUB_ID_KEYS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const;
const SUB_ID_MAX = 100;

/** A new click id: 128 random bits, URL-safe (22 characters). */
export function newClickId(random: (n: number) => Buffer = randomBytes): string {
  return `c_${random(16).toString('base64url')}`;
}

/**
 * Where the click lands: the deep link when its host is one the program allows (and it carries no
 * card number), else the program's landing URL; with the click id under the program's parameter.
 */
export function landingUrl(terms: Pick<CampaignAffiliateV1, 'landingUrl' | 'deepLinkHosts' | 'clickIdParam'>, deepLink: string | undefined, clickId: string): string {
  const target = deepLink && allowedDeepLink(deepLink, terms.deepLinkHosts) ? deepLink : terms.landingUrl;
  const url = new URL(target);
  url.searchParams.set(terms.clickIdParam, clickId);
  return url.toString();
}

function allowedDeepLink(link: string, hosts: readonly string[]): boolean {
  if (link.length > 2048 || containsPan(link)) return false;
  try {
    const u = new URL(link);
    return (u.protocol === 'https:' || u.protocol === 'http:') && hosts.includes(u.hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** The publisher's sub ids from the query: known keys only, printable, capped; one carrying a card number is dropped, never stored. */
export function subIdsOf(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SUB_ID_KEYS) {
    const v = query[key];
    if (typeof v !== 'string' || v.length === 0) continue;
    const clean = v.replace(/[^\x20-\x7e]/g, '').slice(0, SUB_ID_MAX);
    if (clean && !containsPan(clean)) out[key] = clean;
  }
  return out;
}

/**
 * The network part of an address (IPv4 /24, IPv6 /48), so that a stored hash cannot be reversed
 * to one person's address by trying the address space, and a household still counts as one source.
 */
export function truncateIp(ip: string): string {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(v4) === 4) return v4.split('.').slice(0, 3).join('.') + '.0/24';
  if (isIP(ip) === 6) {
    const groups = expandIpv6(ip);
    return groups.slice(0, 3).join(':') + '::/48';
  }
  return 'unknown';
}

function expandIpv6(ip: string): string[] {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail !== undefined ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** A keyed hash (HMAC-SHA256, 128 bits): stable for counting, useless without the secret. */
export function keyedHash(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex').slice(0, 32);
}

const BOT_PATTERN = /bot\b|bot\/|crawler|spider|crawling|slurp|headless|phantomjs|python-requests|python-urllib|curl\/|wget\/|httpclient|okhttp|go-http-client|java\/|libwww|scrapy|facebookexternalhit|preview|monitor|pingdom|uptime/i;

/** Known robots, link previewers and scripted clients (and no user agent at all): not a person clicking. */
export function isBotUserAgent(userAgent: string | undefined): boolean {
  return !userAgent || userAgent.trim().length === 0 || BOT_PATTERN.test(userAgent);
}

/** The host of the referring page only: the full referrer can carry personal data in its path and query. */
export function referrerHost(referrer: string | undefined): string | null {
  if (!referrer) return null;
  try {
    return new URL(referrer).hostname.toLowerCase().slice(0, 253) || null;
  } catch {
    return null;
  }
}

export type ClickFraudReason = 'bot-user-agent' | 'click-flood' | 'publisher-click-flood';

/**
 * Why a click is not to be charged, if it is: a robot's user agent; more clicks from its visitor
 * network than `floodPerNetwork` in the last minute or two; more clicks of its publisher than
 * `floodPerPublisher`. The counts include this click.
 */
export function clickFraudReason(userAgent: string | undefined, networkClicks: number, publisherClicks: number, limits: { floodPerNetwork: number; floodPerPublisher: number }): ClickFraudReason | null {
  if (isBotUserAgent(userAgent)) return 'bot-user-agent';
  if (networkClicks > limits.floodPerNetwork) return 'click-flood';
  if (publisherClicks > limits.floodPerPublisher) return 'publisher-click-flood';
  return null;
}
