import fc from 'fast-check';
import {
  add,
  CURRENCY_CODES,
  CurrencyMismatchError,
  cpmMicrosPerImpression,
  formatMoney,
  InvalidAmountError,
  isCurrency,
  isNegative,
  isZero,
  max,
  microsToWholeMinor,
  MICROS_PER_MINOR,
  min,
  minorDigits,
  money,
  negate,
  percentOfFloor,
  proportionCeil,
  proportionFloor,
  rewardKeptAfterRefunds,
  subtract,
  sum,
  toDecimalString,
  UnknownCurrencyError,
  type Money,
} from './index';

const sek = (amountMinor: number): Money => money(amountMinor, 'SEK');
const amount = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });
const nonNegative = fc.integer({ min: 0, max: 1_000_000_000_000 });

describe('currencies', () => {
  it('knows the minor-unit digits of the currencies Prestanda operates in', () => {
    expect(['SEK', 'NOK', 'DKK', 'EUR', 'USD', 'GBP', 'CHF', 'PLN'].map(minorDigits)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(minorDigits('ISK')).toBe(0);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('rejects lower-case, unknown and non-money codes', () => {
    expect(isCurrency('sek')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
    expect(isCurrency('XAU')).toBe(false);
    expect(isCurrency(42)).toBe(false);
    expect(() => minorDigits('XYZ')).toThrow(UnknownCurrencyError);
    expect(CURRENCY_CODES).toContain('SEK');
  });
});

describe('money()', () => {
  it('refuses floats, unsafe integers and unknown currencies', () => {
    expect(() => money(25.5, 'SEK')).toThrow(InvalidAmountError);
    expect(() => money(Number.MAX_SAFE_INTEGER + 1, 'SEK')).toThrow(InvalidAmountError);
    expect(() => money(NaN, 'SEK')).toThrow(InvalidAmountError);
    expect(() => money(100, 'XYZ')).toThrow(UnknownCurrencyError);
    expect(money(-100, 'SEK')).toEqual({ amountMinor: -100, currency: 'SEK' });
  });
});

describe('arithmetic', () => {
  it('adds and subtracts within one currency only', () => {
    expect(add(sek(150), sek(250))).toEqual(sek(400));
    expect(subtract(sek(150), sek(250))).toEqual(sek(-100));
    expect(() => add(sek(1), money(1, 'EUR'))).toThrow(CurrencyMismatchError);
    expect(() => subtract(sek(1), money(1, 'NOK'))).toThrow(CurrencyMismatchError);
    expect(sum([sek(1), sek(2), sek(3)], 'SEK')).toEqual(sek(6));
    expect(sum([], 'EUR')).toEqual(money(0, 'EUR'));
  });

  it('refuses results outside the safe-integer range instead of losing precision', () => {
    expect(() => add(sek(Number.MAX_SAFE_INTEGER), sek(1))).toThrow(InvalidAmountError);
  });

  it('subtract undoes add (property)', () => {
    fc.assert(fc.property(amount, amount, (a, b) => expect(subtract(add(sek(a), sek(b)), sek(b))).toEqual(sek(a))));
  });

  it('add is commutative and zero is neutral (property)', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(add(sek(a), sek(b))).toEqual(add(sek(b), sek(a)));
        expect(add(sek(a), sek(0))).toEqual(sek(a));
      }),
    );
  });

  it('min, max, isZero, isNegative, negate', () => {
    expect(min(sek(5), sek(7))).toEqual(sek(5));
    expect(max(sek(5), sek(7))).toEqual(sek(7));
    expect(isZero(sek(0))).toBe(true);
    expect(isNegative(sek(-1))).toBe(true);
    expect(isNegative(sek(0))).toBe(false);
    expect(negate(sek(5))).toEqual(sek(-5));
    expect(negate(sek(0))).toEqual(sek(0));
    expect(() => min(sek(1), money(1, 'EUR'))).toThrow(CurrencyMismatchError);
  });
});

describe('cashback rounding', () => {
  it('rounds 10 % of SEK 25,99 down to SEK 2,59', () => {
    expect(percentOfFloor(sek(2599), 1000)).toEqual(sek(259));
  });

  it('gives nothing for a purchase too small to earn one minor unit', () => {
    expect(percentOfFloor(sek(9), 1000)).toEqual(sek(0));
  });

  it('is exact above 2^53 / 10 000 where a float product would round (no floats)', () => {
    // 900 719 925 474 099 × 7 777 overflows doubles; BigInt keeps it exact.
    expect(percentOfFloor(sek(900_719_925_474_099), 7777)).toEqual(sek(700_489_886_041_206));
  });

  it('refuses negative or fractional basis points', () => {
    expect(() => percentOfFloor(sek(100), -1)).toThrow(InvalidAmountError);
    expect(() => percentOfFloor(sek(100), 1.5)).toThrow(InvalidAmountError);
  });

  it('never credits more than the exact percentage, and less by under one minor unit (property)', () => {
    fc.assert(
      fc.property(nonNegative, fc.integer({ min: 0, max: 10_000 }), (a, bp) => {
        const r = percentOfFloor(sek(a), bp).amountMinor;
        const exactTimes10k = BigInt(a) * BigInt(bp);
        expect(BigInt(r) * 10_000n <= exactTimes10k).toBe(true);
        expect(BigInt(r + 1) * 10_000n > exactTimes10k).toBe(true);
      }),
    );
  });

  it('proportionFloor ≤ exact ≤ proportionCeil, and they differ by at most one (property)', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 1, max: 1_000_000 }), (a, n, d) => {
        const lo = proportionFloor(sek(a), n, d).amountMinor;
        const hi = proportionCeil(sek(a), n, d).amountMinor;
        const exact = BigInt(a) * BigInt(n);
        expect(BigInt(lo) * BigInt(d) <= exact).toBe(true);
        expect(BigInt(hi) * BigInt(d) >= exact).toBe(true);
        expect(hi - lo === 0 || hi - lo === 1).toBe(true);
      }),
    );
  });

  it('floors towards minus infinity for negative amounts', () => {
    expect(proportionFloor(sek(-10), 1, 3)).toEqual(sek(-4));
    expect(proportionCeil(sek(-10), 1, 3)).toEqual(sek(-3));
    expect(proportionCeil(sek(10), 1, 3)).toEqual(sek(4));
  });

  it('refuses a zero or negative denominator', () => {
    expect(() => proportionFloor(sek(10), 1, 0)).toThrow(InvalidAmountError);
    expect(() => proportionFloor(sek(10), 1, -2)).toThrow(InvalidAmountError);
  });

  it('a purchase refunded in several parts claws back exactly the whole reward (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        (purchaseMinor, bp, weights) => {
          const purchase = sek(purchaseMinor);
          const reward = percentOfFloor(purchase, bp);
          // Split the purchase into refunds proportional to `weights`, last one takes the rest.
          const total = weights.reduce((s, w) => s + w, 0);
          let refunded = 0;
          let kept = reward.amountMinor;
          let clawedBack = 0;
          weights.forEach((w, i) => {
            refunded = i === weights.length - 1 ? purchaseMinor : Math.min(purchaseMinor, refunded + Math.floor((purchaseMinor * w) / total));
            const nowKept = rewardKeptAfterRefunds(reward, purchase, sek(refunded)).amountMinor;
            expect(nowKept).toBeLessThanOrEqual(kept); // clawback only grows
            // never keeps more than the exact pro-rata share
            expect(BigInt(nowKept) * BigInt(purchaseMinor) <= BigInt(reward.amountMinor) * BigInt(purchaseMinor - refunded)).toBe(true);
            clawedBack += kept - nowKept;
            kept = nowKept;
          });
          expect(kept).toBe(0);
          expect(clawedBack).toBe(reward.amountMinor);
        },
      ),
    );
  });
});

describe('CPM micro-units', () => {
  it('prices one impression exactly in micros', () => {
    expect(cpmMicrosPerImpression(sek(2500))).toBe(2_500_000);
    expect(cpmMicrosPerImpression(sek(1))).toBe(1_000);
  });

  it('bills whole minor units and carries the remainder', () => {
    expect(microsToWholeMinor(2_750_000)).toEqual({ billedMinor: 2, remainderMicros: 750_000 });
    expect(microsToWholeMinor(999_999)).toEqual({ billedMinor: 0, remainderMicros: 999_999 });
    expect(() => microsToWholeMinor(-1)).toThrow(InvalidAmountError);
  });

  it('loses nothing: billed + remainder is the accrued total, remainder < one minor unit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 200 }), (impressionPrices) => {
        let carried = 0;
        let billed = 0;
        let accrued = 0;
        for (const priceMinor of impressionPrices) {
          const micros = cpmMicrosPerImpression(sek(priceMinor));
          accrued += micros;
          const split = microsToWholeMinor(carried + micros);
          billed += split.billedMinor;
          carried = split.remainderMicros;
          expect(carried).toBeLessThan(MICROS_PER_MINOR);
        }
        expect(billed * MICROS_PER_MINOR + carried).toBe(accrued);
      }),
    );
  });
});

describe('formatting', () => {
  it('formats Swedish kronor the Swedish way and with the code in English', () => {
    expect(formatMoney(sek(2550), 'sv')).toBe('25,50 kr');
    expect(formatMoney(sek(2550), 'en')).toBe('SEK 25.50');
    expect(formatMoney(sek(123456750), 'sv')).toBe('1 234 567,50 kr');
    expect(formatMoney(sek(123456750), 'en')).toBe('SEK 1,234,567.50');
    expect(formatMoney(sek(-2550), 'sv')).toBe('-25,50 kr');
    expect(formatMoney(sek(5), 'sv')).toBe('0,05 kr');
  });

  it('shows the ISO 4217 number of decimals', () => {
    expect(formatMoney(money(2550, 'ISK'), 'en')).toBe('ISK 2,550');
    expect(formatMoney(money(1234, 'KWD'), 'en')).toBe('KWD 1.234');
    expect(formatMoney(money(2550, 'EUR'), 'sv')).toBe('25,50 €');
  });

  it('is exact for the largest safe amounts', () => {
    expect(toDecimalString(sek(Number.MAX_SAFE_INTEGER))).toBe('90071992547409.91');
    expect(formatMoney(sek(Number.MAX_SAFE_INTEGER), 'en')).toBe('SEK 90,071,992,547,409.91');
    expect(toDecimalString(money(-5, 'KWD'))).toBe('-0.005');
    expect(toDecimalString(money(5, 'JPY'))).toBe('5');
  });
});
