import { bigintNumber } from './transformers';

describe('bigint columns read as numbers', () => {
  it('reads strings from pg as exact numbers and passes nulls through', () => {
    expect(bigintNumber.from('12345')).toBe(12345);
    expect(bigintNumber.from('-250')).toBe(-250);
    expect(bigintNumber.from(null)).toBeNull();
    expect(bigintNumber.to(42)).toBe(42);
  });

  it('refuses a value that would lose precision instead of rounding money', () => {
    expect(() => bigintNumber.from('9007199254740993')).toThrow(RangeError);
  });
});
