import { canonicalQuery, sign, verifySignature } from './signature';

describe('postback signatures', () => {
  const body = '{"orderId":"ORD-1","amount":{"amountMinor":125000,"currency":"SEK"}}';
  const now = 1_780_000_000;

  it('accept the body signed with the secret inside the tolerance', () => {
    expect(verifySignature(sign('s3cret', now - 10, body), 's3cret', body, now, 300)).toEqual({ ok: true });
  });

  it('refuse another secret, a changed body, and name the problem', () => {
    const r1 = verifySignature(sign('other', now, body), 's3cret', body, now, 300);
    expect(r1).toEqual({ ok: false, problem: expect.stringContaining('does not match') });
    expect(verifySignature(sign('s3cret', now, body), 's3cret', body.replace('125000', '925000'), now, 300).ok).toBe(false);
  });

  it('refuse a stale timestamp (replay) and a malformed or missing header', () => {
    expect(verifySignature(sign('s3cret', now - 301, body), 's3cret', body, now, 300)).toEqual({ ok: false, problem: expect.stringContaining('301 s from now') });
    expect(verifySignature('v1=abc', 's3cret', body, now, 300)).toEqual({ ok: false, problem: expect.stringContaining('must be') });
    expect(verifySignature(undefined, 's3cret', body, now, 300)).toEqual({ ok: false, problem: 'X-Prestanda-Signature is missing' });
  });

  it('sign the pixel query canonically: sorted, without sig', () => {
    expect(canonicalQuery({ orderId: 'A 1', adv: 'adv-1', sig: 'x', amount: '100' })).toBe('adv=adv-1&amount=100&orderId=A%201');
  });
});
