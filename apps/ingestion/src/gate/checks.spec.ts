import { PermanentError } from '@prestanda/persistence';
import { assertAmountSane, assertNotInFuture, assertOriginal, assertPublisherOwnsTraffic, assertSourceOwnsTopic, GateRefusal, touchpointPublisherRefusal } from './checks';

function refusal(fn: () => unknown): GateRefusal {
  try {
    fn();
  } catch (error) {
    if (error instanceof GateRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('assertNotInFuture', () => {
  const now = new Date('2025-03-14T12:00:00Z');
  it('accepts the past, now and skew within the tolerance', () => {
    expect(() => assertNotInFuture('2025-03-14T11:00:00Z', 'data.at', now, 300)).not.toThrow();
    expect(() => assertNotInFuture('2025-03-14T12:05:00Z', 'data.at', now, 300)).not.toThrow();
    expect(() => assertNotInFuture('2025-03-14T14:04:00+02:00', 'data.at', now, 300)).not.toThrow();
  });
  it('refuses beyond the tolerance, naming the field, as a PermanentError', () => {
    const e = refusal(() => assertNotInFuture('2025-03-14T12:05:01Z', 'data.transactionAt', now, 300));
    expect(e).toBeInstanceOf(PermanentError);
    expect(e.reason).toBe('future-timestamp');
    expect(e.field).toBe('data.transactionAt');
    expect(e.message).toBe('future-timestamp: data.transactionAt is 301 s in the future (tolerance 300 s)');
  });
});

describe('assertAmountSane', () => {
  it('upper-cases a known currency', () => {
    expect(assertAmountSane({ amountMinor: 100, currency: 'sek' }, 'data.amount')).toBe('SEK');
  });
  it.each([
    [{ amountMinor: 100, currency: 'XYZ' }, 'bad-currency', 'data.amount.currency'],
    [{ amountMinor: -5, currency: 'SEK' }, 'negative-amount', 'data.amount.amountMinor'],
    [{ amountMinor: 0, currency: 'SEK' }, 'negative-amount', 'data.amount.amountMinor'],
    [{ amountMinor: 1.5, currency: 'SEK' }, 'negative-amount', 'data.amount.amountMinor'],
    [{ amountMinor: 100_000_000_01, currency: 'SEK' }, 'implausible-amount', 'data.amount.amountMinor'],
    [{ amountMinor: 100_000_001, currency: 'ISK' }, 'implausible-amount', 'data.amount.amountMinor'],
  ])('%j → %s', (amount, reason, field) => {
    const e = refusal(() => assertAmountSane(amount, 'data.amount'));
    expect([e.reason, e.field]).toEqual([reason, field]);
  });
  it('accepts the cap itself', () => {
    expect(assertAmountSane({ amountMinor: 100_000_000_00, currency: 'SEK' }, 'data.amount')).toBe('SEK');
  });
});

describe('assertOriginal', () => {
  const original = { purchaseId: 'bank:txn-1', amountMinor: 10_000, currency: 'SEK' };
  it('authorizations and settlements need no known original', () => {
    expect(() => assertOriginal('authorization', { amountMinor: 1, currency: 'SEK' }, undefined)).not.toThrow();
    expect(() => assertOriginal('settlement', { amountMinor: 12_000, currency: 'SEK' }, undefined)).not.toThrow();
    expect(() => assertOriginal('settlement', { amountMinor: 12_000, currency: 'SEK' }, original)).not.toThrow();
  });
  it('refuses a refund or reversal whose original is unknown', () => {
    expect(refusal(() => assertOriginal('refund', { amountMinor: 1, currency: 'SEK' }, undefined)).reason).toBe('refund-without-original');
    const e = refusal(() => assertOriginal('reversal', { amountMinor: 1, currency: 'SEK' }, undefined));
    expect([e.reason, e.field]).toEqual(['reversal-without-original', 'data.originalTransactionId']);
  });
  it('accepts a partial or full refund in the original currency', () => {
    expect(() => assertOriginal('refund', { amountMinor: 2_500, currency: 'SEK' }, original)).not.toThrow();
    expect(() => assertOriginal('refund', { amountMinor: 10_000, currency: 'SEK' }, original)).not.toThrow();
  });
  it('refuses partial refunds that together exceed the original', () => {
    expect(() => assertOriginal('refund', { amountMinor: 4_000, currency: 'SEK' }, { ...original, refundedMinor: 6_000 })).not.toThrow();
    const e = refusal(() => assertOriginal('refund', { amountMinor: 4_001, currency: 'SEK' }, { ...original, refundedMinor: 6_000 }));
    expect([e.reason, e.field]).toEqual(['amount-exceeds-original', 'data.amount.amountMinor']);
  });
  it('refuses another currency or more than the original', () => {
    expect(refusal(() => assertOriginal('refund', { amountMinor: 100, currency: 'EUR' }, original)).reason).toBe('currency-mismatch');
    expect(refusal(() => assertOriginal('reversal', { amountMinor: 10_001, currency: 'SEK' }, original)).reason).toBe('amount-exceeds-original');
  });
});

describe('assertSourceOwnsTopic', () => {
  it('lets an integration speak for itself on its own topic', () => {
    expect(() => assertSourceOwnsTopic('bank-a', 'bank-a', 'inbound.bank-a.card-transactions')).not.toThrow();
  });
  it('refuses an envelope that claims another integration, naming both and the field', () => {
    const e = refusal(() => assertSourceOwnsTopic('bank-b', 'bank-a', 'inbound.bank-a.card-transactions'));
    expect([e.reason, e.field]).toEqual(['source-mismatch', 'source']);
    expect(e.message).toMatch(/"bank-b" is not bank-a.*inbound\.bank-a\.card-transactions/);
  });
});

describe('touchpointPublisherRefusal', () => {
  const click = (publisherId?: unknown) => ({ source: 'pub-acme', data: { clickId: 'c', publisherId } });
  it('lets a publisher key report its own traffic', () => {
    expect(touchpointPublisherRefusal('pub-acme', click('pub-acme'))).toBeUndefined();
  });
  it('refuses traffic reported as another publisher, naming the field', () => {
    expect(touchpointPublisherRefusal('pub-acme', click('pub-rival'))).toMatch(/^data\.publisherId is not the publisher of this API key/);
  });
  it('refuses every touchpoint from a key without a publisher', () => {
    expect(touchpointPublisherRefusal(undefined, click('pub-acme'))).toMatch(/has no publisher/);
  });
  it('leaves a malformed envelope to the contract, which names the field', () => {
    expect(touchpointPublisherRefusal('pub-acme', { data: 'x' })).toBeUndefined();
    expect(touchpointPublisherRefusal('pub-acme', click(42))).toBeUndefined();
  });
});

describe('assertPublisherOwnsTraffic (a registered integration on its own Kafka topic)', () => {
  const click = (publisherId?: unknown) => ({ source: 'pub-acme', data: { clickId: 'c', publisherId } });
  it('lets the integration report traffic for its own publisher', () => {
    expect(() => assertPublisherOwnsTraffic('pub-acme', 'pub-acme-1', click('pub-acme-1'))).not.toThrow();
  });
  it('refuses traffic for another publisher, or from an integration without one, as publisher-mismatch on data.publisherId', () => {
    const other = refusal(() => assertPublisherOwnsTraffic('pub-acme', 'pub-acme-1', click('pub-rival')));
    expect(other).toMatchObject({ reason: 'publisher-mismatch', field: 'data.publisherId' });
    expect(other.message).toBe('publisher-mismatch: data.publisherId is not the publisher of integration pub-acme');
    expect(refusal(() => assertPublisherOwnsTraffic('bank-a', null, click('pub-acme-1'))).message).toMatch(/^publisher-mismatch: integration bank-a has no publisher/);
  });
});
