import { formatMoney, minorDigits, parseMajor, toMajorInput } from './money';

describe('console money helpers (minor units, no floating point)', () => {
  it.each([
    ['1234.50', 'SEK', 123450],
    ['1 234,5', 'SEK', 123450],
    ['0', 'SEK', 0],
    ['10', 'JPY', 10],
    ['1.234', 'KWD', 1234],
    ['0.07', 'EUR', 7],
    ['90071992547409.91', 'SEK', 9007199254740991],
  ])('%s %s is %d minor units', (input, currency, minor) => {
    expect(parseMajor(input, currency)).toBe(minor);
  });

  it.each([['1.234', 'SEK'], ['1.5', 'JPY'], ['-5', 'SEK'], ['abc', 'SEK'], ['', 'SEK'], ['1e3', 'SEK'], ['90071992547409.92', 'SEK']])('refuses %s %s', (input, currency) => {
    expect(parseMajor(input, currency)).toBeUndefined();
  });

  it.each([
    [123450, 'SEK', '1234.50'],
    [7, 'EUR', '0.07'],
    [10, 'JPY', '10'],
    [1234, 'KWD', '1.234'],
    [9007199254740991, 'SEK', '90071992547409.91'],
  ])('%d %s starts an amount input as %s, which parses back', (minor, currency, text) => {
    expect(toMajorInput(minor, currency)).toBe(text);
    expect(parseMajor(text, currency)).toBe(minor);
  });

  it('knows the minor digits of a currency', () => {
    expect([minorDigits('SEK'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('formats minor units exactly, per language', () => {
    // Intl separates with (narrow) no-break spaces; compare with plain ones.
    const plain = (s: string) => s.replace(/\s/g, ' ');
    expect(plain(formatMoney({ amountMinor: 123450, currency: 'SEK' }, 'en'))).toBe('SEK 1,234.50');
    expect(plain(formatMoney({ amountMinor: 123450, currency: 'SEK' }, 'sv'))).toBe('1 234,50 kr');
    expect(plain(formatMoney({ amountMinor: 9007199254740991, currency: 'SEK' }, 'en'))).toBe('SEK 90,071,992,547,409.91');
    expect(formatMoney({ amountMinor: -7, currency: 'EUR' }, 'en')).toBe('-€0.07');
  });
});
