import { formatBasisPoints, formatCommission, formatRate, isHoldReason, percentToBasisPoints, trackingPath } from './affiliate';

describe('affiliate helpers', () => {
  it('turns a typed percent into basis points without floating point', () => {
    expect(percentToBasisPoints('12')).toBe(1200);
    expect(percentToBasisPoints('12,5')).toBe(1250);
    expect(percentToBasisPoints(' 0.07 ')).toBe(7);
    expect(percentToBasisPoints('100')).toBe(10_000);
    expect(percentToBasisPoints('8 %')).toBe(800);
  });

  it('refuses what is not a percent of 0.01–100 with at most two decimals', () => {
    for (const bad of ['', '0', '100.01', '12.345', '-5', 'abc', '1e2']) expect(percentToBasisPoints(bad)).toBeUndefined();
  });

  it('formats basis points, rates and commissions for display', () => {
    expect(formatBasisPoints(1250, 'en')).toBe('12.5%');
    expect(formatBasisPoints(800, 'sv').replace(/\s/g, ' ')).toBe('8 %');
    expect(formatRate(0.3333, 'en')).toBe('33.33%');
    expect(formatRate(null, 'en')).toBe('—');
    expect(formatCommission({ kind: 'fixed', amount: { amountMinor: 5000, currency: 'SEK' } }, 'en').replace(/\s/g, ' ')).toBe('SEK 50.00');
    expect(formatCommission({ kind: 'percent', basisPoints: 1000 }, 'en')).toBe('10%');
  });

  it('knows the hold reasons and the link path', () => {
    expect(isHoldReason('too-fast-to-convert')).toBe(true);
    expect(isHoldReason('something-else')).toBe(false);
    expect(trackingPath('AbC23')).toBe('/c/AbC23');
  });
});
