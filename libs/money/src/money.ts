import { isCurrency, minorDigits, UnknownCurrencyError } from './currencies';

/**
 * An amount of money in integer minor units (öre, cent, ...) of an ISO 4217 currency.
 * `amountMinor` is always a safe integer, never a float: `{ amountMinor: 2550, currency: 'SEK' }`
 * is 25,50 kr. This is also the wire shape of every amount in the event contracts.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';
}

export class CurrencyMismatchError extends Error {
  override readonly name = 'CurrencyMismatchError';
  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super(`Currency mismatch: ${left} vs ${right}`);
  }
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = BigInt(Number.MIN_SAFE_INTEGER);

function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidAmountError(`${what} must be a safe integer, got ${String(value)}`);
  }
}

function fromBig(value: bigint, currency: string): Money {
  if (value > MAX || value < MIN) {
    throw new InvalidAmountError(`Result ${value.toString()} ${currency} is outside the safe-integer range`);
  }
  return { amountMinor: Number(value), currency };
}

/** Validates and builds a Money. Throws on a non-integer amount or an unknown currency. */
export function money(amountMinor: number, currency: string): Money {
  assertSafeInteger(amountMinor, 'amountMinor');
  if (!isCurrency(currency)) throw new UnknownCurrencyError(currency);
  return { amountMinor, currency };
}

/** Zero in the given currency. */
export function zero(currency: string): Money {
  return money(0, currency);
}

/** True when `value` is a well-formed Money (safe-integer amount, known currency). */
export function isMoney(value: unknown): value is Money {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.amountMinor === 'number' && Number.isSafeInteger(v.amountMinor) && isCurrency(v.currency);
}

function assertMoney(m: Money, what = 'money'): void {
  assertSafeInteger(m.amountMinor, `${what}.amountMinor`);
  if (!isCurrency(m.currency)) throw new UnknownCurrencyError(m.currency);
}

function assertSameCurrency(a: Money, b: Money): void {
  assertMoney(a);
  assertMoney(b);
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return fromBig(BigInt(a.amountMinor) + BigInt(b.amountMinor), a.currency);
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return fromBig(BigInt(a.amountMinor) - BigInt(b.amountMinor), a.currency);
}

/** Sum of amounts in one currency; the empty sum is zero in `currency`. */
export function sum(items: readonly Money[], currency: string): Money {
  let total = zero(currency);
  for (const item of items) total = add(total, item);
  return total;
}

export function negate(m: Money): Money {
  assertMoney(m);
  return { amountMinor: m.amountMinor === 0 ? 0 : -m.amountMinor, currency: m.currency };
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amountMinor === b.amountMinor;
}

/** -1, 0 or 1. Same currency only. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

export function min(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b;
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}

export function isZero(m: Money): boolean {
  return m.amountMinor === 0;
}

export function isNegative(m: Money): boolean {
  return m.amountMinor < 0;
}

export function isPositive(m: Money): boolean {
  return m.amountMinor > 0;
}

// --- rounding -------------------------------------------------------------------------
// "Floor" and "ceil" are the mathematical ones (towards -∞ / +∞). Every amount the
// platform credits (cashback, commission, the part of a reward a customer keeps after a
// refund) is computed on non-negative inputs with the floor variant, so it is never more
// than the exact value. Only integer (BigInt) arithmetic is used: no float ever touches an
// amount, so 0.1 + 0.2 style errors cannot occur and the result is exact up to 2^53.

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b; // BigInt division truncates towards zero
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n === b < 0n ? q + 1n : q;
}

export const BASIS_POINTS_PER_WHOLE = 10_000;

function assertNonNegativeInteger(value: number, what: string): void {
  assertSafeInteger(value, what);
  if (value < 0) throw new InvalidAmountError(`${what} must not be negative, got ${value}`);
}

/**
 * `m × basisPoints / 10 000`, rounded down to the minor unit. 1 basis point = 0.01 %, so
 * 10 % cashback is 1 000 bp: `percentOfFloor(SEK 25,99, 1000)` = SEK 2,59.
 */
export function percentOfFloor(m: Money, basisPoints: number): Money {
  assertMoney(m);
  assertNonNegativeInteger(basisPoints, 'basisPoints');
  return fromBig(floorDiv(BigInt(m.amountMinor) * BigInt(basisPoints), BigInt(BASIS_POINTS_PER_WHOLE)), m.currency);
}

function assertRatio(numerator: number, denominator: number): void {
  assertNonNegativeInteger(numerator, 'numerator');
  assertSafeInteger(denominator, 'denominator');
  if (denominator <= 0) throw new InvalidAmountError(`denominator must be positive, got ${denominator}`);
}

/**
 * `m × numerator / denominator`, rounded down. Example: the share of a reward that belongs
 * to the part of a purchase not refunded: `proportionFloor(reward, purchase - refunded, purchase)`.
 */
export function proportionFloor(m: Money, numerator: number, denominator: number): Money {
  assertMoney(m);
  assertRatio(numerator, denominator);
  return fromBig(floorDiv(BigInt(m.amountMinor) * BigInt(numerator), BigInt(denominator)), m.currency);
}

/** `m × numerator / denominator`, rounded up. */
export function proportionCeil(m: Money, numerator: number, denominator: number): Money {
  assertMoney(m);
  assertRatio(numerator, denominator);
  return fromBig(ceilDiv(BigInt(m.amountMinor) * BigInt(numerator), BigInt(denominator)), m.currency);
}

/**
 * The reward a customer keeps after refunds: the pro-rata share of the original reward
 * for the part of the purchase still standing, rounded down. The clawback is
 * `reward − kept`. Always compute it from the *cumulative* refunded amount, not refund by
 * refund: then a purchase refunded in full (in any number of steps) claws back exactly the
 * whole reward, and the customer never keeps more than the exact pro-rata share.
 */
export function rewardKeptAfterRefunds(reward: Money, purchase: Money, refundedTotal: Money): Money {
  assertSameCurrency(purchase, refundedTotal);
  if (purchase.amountMinor <= 0) throw new InvalidAmountError('purchase amount must be positive');
  const standing = Math.max(0, purchase.amountMinor - Math.max(0, refundedTotal.amountMinor));
  return proportionFloor(reward, standing, purchase.amountMinor);
}

// --- CPM micro-units --------------------------------------------------------------------

/** One minor unit is a million micro-units; CPM spend accrues in micros. */
export const MICROS_PER_MINOR = 1_000_000;

/**
 * Price of one impression in micro-units for a CPM price (per thousand impressions).
 * Exact: SEK 25,00 CPM = 2 500 minor per 1 000 impressions = 2 500 000 micros per impression.
 */
export function cpmMicrosPerImpression(pricePerThousand: Money): number {
  assertMoney(pricePerThousand, 'pricePerThousand');
  assertNonNegativeInteger(pricePerThousand.amountMinor, 'pricePerThousand.amountMinor');
  const micros = (BigInt(pricePerThousand.amountMinor) * BigInt(MICROS_PER_MINOR)) / 1000n;
  if (micros > MAX) throw new InvalidAmountError('CPM price too large');
  return Number(micros);
}

export function minorToMicros(amountMinor: number): number {
  assertSafeInteger(amountMinor, 'amountMinor');
  const micros = BigInt(amountMinor) * BigInt(MICROS_PER_MINOR);
  if (micros > MAX || micros < MIN) throw new InvalidAmountError('amount too large to express in micros');
  return Number(micros);
}

/**
 * Splits accrued micro-units into the whole minor units to bill now and the remainder to
 * carry forward (never billed early, never lost): `billedMinor × 1 000 000 + remainderMicros === micros`.
 */
export function microsToWholeMinor(micros: number): { billedMinor: number; remainderMicros: number } {
  assertNonNegativeInteger(micros, 'micros');
  const billedMinor = Math.floor(micros / MICROS_PER_MINOR);
  return { billedMinor, remainderMicros: micros - billedMinor * MICROS_PER_MINOR };
}

// --- text -------------------------------------------------------------------------------

/** Exact decimal string of a Money in major units: SEK 2550 → "25.50", ISK 2550 → "2550". */
export function toDecimalString(m: Money): string {
  assertMoney(m);
  const digits = minorDigits(m.currency);
  const negative = m.amountMinor < 0;
  const abs = String(Math.abs(m.amountMinor)).padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

export type MoneyLocale = 'sv' | 'en';

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Human-readable amount for notifications and the console.
 *
 * Rules (Intl.NumberFormat does the locale work, we pin the rest so output is stable):
 * - `sv`: locale sv-SE, currency *symbol*: `25,50 kr`, `1 234,50 kr`, `25,50 €`, `25,50 Nkr`.
 * - `en`: locale en-GB, currency *code* (because "kr" is ambiguous between SEK, NOK, DKK
 *   and ISK for English readers): `SEK 25.50`, `SEK 1,234.50`.
 * - The number of decimals is always the ISO 4217 minor-unit count from our table (so
 *   ISK and JPY show none, KWD shows three), never CLDR's.
 * - The amount is passed to Intl as an exact decimal string, never as a float.
 * - Every space Intl emits (no-break space U+00A0, narrow no-break U+202F) becomes a plain
 *   space and the minus sign U+2212 becomes "-", so templates, logs and tests see ASCII
 *   separators. A template that needs no-break spaces can put them back.
 */
export function formatMoney(m: Money, locale: MoneyLocale): string {
  assertMoney(m);
  const digits = minorDigits(m.currency);
  const key = `${locale}:${m.currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
      style: 'currency',
      currency: m.currency,
      currencyDisplay: locale === 'sv' ? 'symbol' : 'code',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, formatter);
  }
  // Node ≥ 19 formats decimal strings exactly (Intl.NumberFormat v3); the ES2022 lib
  // typings only know number | bigint.
  const format = formatter.format.bind(formatter) as unknown as (value: string) => string;
  return format(toDecimalString(m)).replace(/[\u00a0\u202f]/g, ' ').replace(/\u2212/g, '-');
}
