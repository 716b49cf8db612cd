import { formatMoney } from './money';
import type { Commission } from './types';

/** The hold and unattributed reasons the affiliate service gives (each is explained in words). */
export const HOLD_REASONS = ['flagged-click', 'self-referral', 'no-click-in-window', 'too-fast-to-convert', 'publisher-not-approved', 'unknown-click-id', 'unknown-voucher-code', 'no-click-or-code'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
export const isHoldReason = (r: string | null | undefined): r is HoldReason => HOLD_REASONS.some((h) => h === r);
/** The rule part of a stored hold reason ("too-fast-to-convert; released by ops-1" → "too-fast-to-convert"). */
export const holdRule = (r: string): string => r.split(';')[0].trim();

/**
 * A percent typed by a person ("12", "12,5", "12.25") → basis points (1200, 1250, 1225), without
 * floating point; undefined when it is not a plain number with at most two decimals in 0.01–100.
 */
export function percentToBasisPoints(input: string): number | undefined {
  const match = /^(\d{1,3})(?:[.,](\d{0,2}))?$/.exec(input.trim().replace(/\s*%$/, ''));
  if (!match) return undefined;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bp >= 1 && bp <= 10_000 ? bp : undefined;
}

/** For display: basis points as a percent in the language's style ("8%" en, "8 %" sv). */
export function formatBasisPoints(basisPoints: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10_000);
}

/** A fraction (0.0125) as a percent with up to two decimals; "—" when there is none. */
export function formatRate(rate: number | null, locale: string): string {
  return rate === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(rate);
}

/** A commission as the API gives it: a percent of the order, or a fixed amount per sale. */
export function formatCommission(commission: Commission, locale: string): string {
  return commission.kind === 'percent' ? formatBasisPoints(commission.basisPoints, locale) : formatMoney(commission.amount, locale);
}

/** The tracking link's path: the console does not know the affiliate service's public base URL. */
export const trackingPath = (trackingCode: string) => `/c/${trackingCode}`;

/** YYYY-MM-DD of a date in UTC (the reports' days are UTC days). */
export const utcDay = (d: Date) => d.toISOString().slice(0, 10);
