import { accrueImpression, bankOf, budgetCrossings, dayIn, isValidClick, monthRange, pacedAllowance, percentOf, projectedExhaustion, splitPrice } from './pricing';

describe('billing pricing rules', () => {
  it('splits a price into fee (percent, floored) and publisher commission', () => {
    expect(splitPrice(1_001, 'SEK', { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 })).toEqual({ feeMinor: 200, commissionMinor: 801 });
    expect(splitPrice(100, 'SEK', { kind: 'fixed', amount: { amountMinor: 150, currency: 'SEK' }, publisherShareBasisPoints: 0 })).toEqual({ feeMinor: 100, commissionMinor: 0 });
  });

  it('accrues CPM in micro-units and carries the remainder', () => {
    // SEK 0,25 per thousand = 250 micros per impression (25 minor / 1000 * 1e6... = 25 000 micros)
    let carry = 0;
    let billed = 0;
    for (let i = 0; i < 100; i++) {
      const r = accrueImpression(carry, 25, 'SEK');
      billed += r.billedMinor;
      carry = r.remainderMicros;
    }
    // 100 impressions × 25 000 micros = 2 500 000 micros = 2 minor + 500 000 carried
    expect(billed).toBe(2);
    expect(carry).toBe(500_000);
  });

  it('counts a click once per customer, campaign and 30 minutes', () => {
    const t0 = new Date('2025-03-01T10:00:00Z');
    expect(isValidClick(null, t0)).toBe(true);
    expect(isValidClick(t0, new Date('2025-03-01T10:29:59Z'))).toBe(false);
    expect(isValidClick(t0, new Date('2025-03-01T10:30:00Z'))).toBe(true);
  });

  it('fires 80 % and 100 % once', () => {
    expect(percentOf(799, 1000)).toBe(79);
    expect(budgetCrossings(800, 1000, { threshold: false, exhausted: false })).toEqual({ threshold: true, exhausted: false });
    expect(budgetCrossings(1001, 1000, { threshold: false, exhausted: false })).toEqual({ threshold: true, exhausted: true });
    expect(budgetCrossings(1001, 1000, { threshold: true, exhausted: true })).toEqual({ threshold: false, exhausted: false });
  });

  it('days, banks and months', () => {
    expect(dayIn(new Date('2025-03-01T23:30:00Z'), 'Europe/Stockholm')).toBe('2025-03-02');
    expect(bankOf('bank-demo-se:txn-1')).toBe('bank-demo-se');
    expect(monthRange('2025-12')).toEqual({ start: new Date('2025-12-01T00:00:00Z'), end: new Date('2026-01-01T00:00:00Z') });
  });

  it('paces a daily cap evenly through the local day and projects when a budget runs out', () => {
    // 12:00 in Stockholm (UTC+1 in winter) = half the day
    expect(pacedAllowance(10_000, new Date('2025-01-15T11:00:00Z'), 'Europe/Stockholm')).toBe(5_000);
    expect(pacedAllowance(10_000, new Date('2025-01-15T23:00:00Z'), 'Europe/Stockholm')).toBe(0);
    const now = new Date('2025-01-15T00:00:00Z');
    expect(projectedExhaustion(1_000, 100, now)).toEqual(new Date('2025-01-15T10:00:00Z'));
    expect(projectedExhaustion(1_000, 0, now)).toBeNull();
    expect(projectedExhaustion(0, 0, now)).toEqual(now);
  });
});
