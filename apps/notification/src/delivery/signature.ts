import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the webhook signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'Prestanda-Signature';

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The header value. During a secret rotation the body is signed with both secrets
 * (`t=…,v1=<new>,v1=<previous>`, as Stripe does): a receiver that still holds the previous secret
 * keeps verifying until it switches.
 */
export function signatureHeader(secret: string, body: string, now: Date = new Date(), previousSecret?: string): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${signPayload(secret, t, body)}${previousSecret ? `,v1=${signPayload(previousSecret, t, body)}` : ''}`;
}

/**
 * What a receiver does (also documented in docs/notification.md): parse t and v1, recompute the
 * HMAC over "<t>.<raw body>", compare in constant time, and reject timestamps older than the tolerance.
 */
export function verifySignature(secret: string, header: string, body: string, { toleranceSeconds = 300, now = new Date() } = {}): boolean {
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')).map(([, v]) => v);
  if (!Number.isInteger(t) || signatures.length === 0) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, t, body), 'hex');
  // Any of the signatures (there are two during a rotation), each compared in constant time.
  return signatures.map((v1) => timingSafeEqual(expected, Buffer.from(v1, 'hex'))).some(Boolean);
}
