import fc from 'fast-check';
import { backoffDelayMs, classifyHttpStatus, outcomeOf } from './backoff';
import { bankOfPurchase, deliveryId } from './enqueue.service';

describe('retry rules', () => {
  it('2xx delivered; 5xx, 408, 429 retried; other 4xx and 3xx final', () => {
    expect(classifyHttpStatus(200)).toMatchObject({ ok: true });
    expect(classifyHttpStatus(204)).toMatchObject({ ok: true });
    for (const s of [500, 502, 503, 504, 408, 429]) expect(classifyHttpStatus(s)).toMatchObject({ ok: false, retryable: true, error: `HTTP ${s}` });
    for (const s of [400, 401, 403, 404, 410, 422, 301, 302]) expect(classifyHttpStatus(s)).toMatchObject({ ok: false, retryable: false });
  });

  it('outcome: retry until the max, then dead; non-retryable is failed at once', () => {
    const r500 = classifyHttpStatus(500);
    expect(outcomeOf(r500, 1, 5)).toBe('retry');
    expect(outcomeOf(r500, 4, 5)).toBe('retry');
    expect(outcomeOf(r500, 5, 5)).toBe('dead');
    expect(outcomeOf(classifyHttpStatus(404), 1, 5)).toBe('failed');
    expect(outcomeOf(classifyHttpStatus(200), 5, 5)).toBe('delivered');
  });

  it('backoff doubles, is capped, and jitters within [exp/2, exp]', () => {
    expect(backoffDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelayMs(2, 1000, 60_000, () => 1)).toBe(2000);
    expect(backoffDelayMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, base, r) => {
        const max = base * 100;
        const exp = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
        const d = backoffDelayMs(attempt, base, max, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(exp / 2));
        expect(d).toBeLessThanOrEqual(Math.ceil(exp));
      }),
    );
  });
});

describe('delivery identity', () => {
  it('is deterministic per (event, recipient, channel) and differs otherwise', () => {
    const e = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    expect(deliveryId(e, 'bank', 'bank-a', 'webhook')).toBe(deliveryId(e, 'bank', 'bank-a', 'webhook'));
    expect(deliveryId(e, 'bank', 'bank-a', 'webhook')).toMatch(/^dlv-[0-9a-f]{24}$/);
    expect(new Set([deliveryId(e, 'bank', 'bank-a', 'webhook'), deliveryId(e, 'bank', 'bank-b', 'webhook'), deliveryId(e, 'advertiser', 'bank-a', 'email')]).size).toBe(3);
  });

  it('the bank is the purchase id prefix', () => {
    expect(bankOfPurchase('bank-demo-se:txn-1:x')).toBe('bank-demo-se');
    expect(bankOfPurchase('nocolon')).toBe('nocolon');
  });
});
