import { activePreviousSecret } from './senders';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { signatureHeader, signPayload, verifySignature } from './signature';

describe('webhook signature', () => {
  const secret = 'whsec-0123456789abcdef';
  const now = new Date('2025-03-14T15:09:29.000Z');

  it('is HMAC-SHA256 hex over "<t>.<body>"', () => {
    const body = '{"a":1}';
    const t = Math.floor(now.getTime() / 1000);
    expect(signPayload(secret, t, body)).toBe(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
    expect(signatureHeader(secret, body, now)).toBe(`t=${t},v1=${signPayload(secret, t, body)}`);
  });

  it('verifies its own header; rejects a changed body, wrong secret, stale timestamp or garbage', () => {
    const body = '{"type":"reward.earned"}';
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(secret, header, body, { now })).toBe(true);
    expect(verifySignature(secret, header, body + ' ', { now })).toBe(false);
    expect(verifySignature('other-secret-xxxxxxxx', header, body, { now })).toBe(false);
    expect(verifySignature(secret, header, body, { now: new Date(now.getTime() + 301_000) })).toBe(false);
    expect(verifySignature(secret, 'nonsense', body, { now })).toBe(false);
    expect(verifySignature(secret, 't=1,v1=zz', body, { now })).toBe(false);
  });

  it('round-trips for any body and secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (s, body) => {
        expect(verifySignature(s, signatureHeader(s, body, now), body, { now })).toBe(true);
      }),
    );
  });
});

describe('signatures during a secret rotation', () => {
  const body = '{"type":"reward.earned"}';
  const now = new Date('2026-12-03T12:00:00Z');

  it('carries a signature for each secret; a receiver with either verifies, a third secret does not', () => {
    const header = signatureHeader('new-secret-0123456789', body, now, 'old-secret-0123456789');
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature('new-secret-0123456789', header, body, { now })).toBe(true);
    expect(verifySignature('old-secret-0123456789', header, body, { now })).toBe(true);
    expect(verifySignature('other-secret-0123456789', header, body, { now })).toBe(false);
  });

  it('after the overlap only the new secret signs', () => {
    const until = new Date(now.getTime() - 1);
    const previous = activePreviousSecret({ previousWebhookSecret: 'old-secret-0123456789', previousSecretUntil: until }, now);
    expect(previous).toBeUndefined();
    expect(verifySignature('old-secret-0123456789', signatureHeader('new-secret-0123456789', body, now, previous), body, { now })).toBe(false);
  });
});
