/**
 * Money is integer minor units everywhere (the API's `{ amountMinor, currency }`). These helpers
 * turn a typed amount into minor units without floating point, and format minor units for display.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** Minor-unit digits of an ISO 4217 currency (SEK 2, JPY 0, KWD 3), from the browser's ISO data. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * "1 234,50" or "1234.5" in the currency's major unit → minor units (123450), or undefined when
 * it is not a plain non-negative amount with at most the currency's digits.
 */
export function parseMajor(input: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const cleaned = input.trim().replace(/[\s\u00a0]/g, '').replace(',', '.');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const minor = BigInt(match[1]) * 10n ** BigInt(digits) + BigInt((fraction + '0'.repeat(digits)).slice(0, digits) || '0');
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : undefined;
}

/** Minor units → the major-unit text an amount input starts from: 123450 SEK → "1234.50", 10 JPY → "10". */
export function toMajorInput(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const abs = BigInt(Math.abs(amountMinor));
  const scale = 10n ** BigInt(digits);
  const text = `${abs / scale}${digits ? '.' + (abs % scale).toString().padStart(digits, '0') : ''}`;
  return amountMinor < 0 ? `-${text}` : text;
}

/** For display only: 123450 SEK → "SEK 1,234.50" (en) or "1 234,50 kr" (sv). */
export function formatMoney(money: Money, locale: string): string {
  const digits = minorDigits(money.currency);
  const negative = money.amountMinor < 0;
  const abs = BigInt(Math.abs(money.amountMinor));
  const scale = 10n ** BigInt(digits);
  const major = abs / scale;
  const minor = abs % scale;
  // Intl formats a decimal string exactly (no float rounding on large amounts).
  const decimal = `${negative ? '-' : ''}${major}${digits ? '.' + minor.toString().padStart(digits, '0') : ''}`;
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  return format.format(decimal as unknown as number);
}
