import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Postback signatures, Stripe-style: `X-Prestanda-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
 * of `<t>.<payload>` with the advertiser's postback secret. The payload is the raw request body
 * (POST), or the canonical query (GET pixel: every parameter but `sig`, sorted by name, URL-encoded).
 * The timestamp bounds replay: older (or newer) than the tolerance is refused.
 */
export function sign(secret: string, t: number, payload: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; problem: string };

export function verifySignature(header: string | undefined, secret: string, payload: string, nowSeconds: number, toleranceSeconds: number): SignatureCheck {
  if (!header) return { ok: false, problem: 'X-Prestanda-Signature is missing' };
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1) return { ok: false, problem: 'X-Prestanda-Signature must be "t=<unix seconds>,v1=<hex HMAC-SHA256>"' };
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return { ok: false, problem: `signature timestamp t=${t} is ${Math.abs(nowSeconds - t)} s from now; at most ${toleranceSeconds} s is accepted` };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex'));
  const given = Buffer.from(v1);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'signature v1 does not match the request (HMAC-SHA256 of "<t>.<body>" with the postback secret)' };
  return { ok: true };
}

/** The GET pixel's signed payload: every query parameter except `sig`, sorted by name, URL-encoded. */
export function canonicalQuery(query: Record<string, unknown>): string {
  return Object.keys(query)
    .filter((k) => k !== 'sig' && typeof query[k] === 'string')
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k] as string)}`)
    .join('&');
}
