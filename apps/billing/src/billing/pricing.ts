import type { PlatformFeeV1 } from '@prestanda/contracts';
import { cpmMicrosPerImpression, microsToWholeMinor, money, percentOfFloor } from '@prestanda/money';

/** The CPC rule: the same customer on the same campaign counts once per 30 minutes. */
export const CPC_WINDOW_MS = 30 * 60 * 1000;

/** Budget warning threshold, percent. */
export const THRESHOLD_PERCENT = 80;

/**
 * Split of one CPC / CPL / CPM charge: the platform fee is included in the price (percent of the
 * price, rounded down, or the fixed amount capped at the price); the publisher earns the rest.
 */
export function splitPrice(priceMinor: number, currency: string, fee: PlatformFeeV1): { feeMinor: number; commissionMinor: number } {
  const feeMinor =
    fee.kind === 'percent' ? percentOfFloor(money(priceMinor, currency), fee.basisPoints).amountMinor : Math.min(fee.amount.amountMinor, priceMinor);
  return { feeMinor, commissionMinor: priceMinor - feeMinor };
}

/** CPM: adds one impression's micro-unit cost to the carried accrual; returns whole minor units to bill now and the new carry. */
export function accrueImpression(carriedMicros: number, pricePerThousandMinor: number, currency: string): { billedMinor: number; remainderMicros: number } {
  return microsToWholeMinor(carriedMicros + cpmMicrosPerImpression(money(pricePerThousandMinor, currency)));
}

/** CPC: is a click at `at` billable given the last billed click of the same customer and campaign? */
export function isValidClick(lastBilledAt: Date | null, at: Date): boolean {
  return lastBilledAt === null || at.getTime() - lastBilledAt.getTime() >= CPC_WINDOW_MS;
}

/** floor(spent × 100 / budget), 0 for a zero budget with nothing spent (as budget events define it). */
export function percentOf(spent: number, budget: number): number {
  if (budget <= 0) return spent > 0 ? 100 : 0;
  return Number((BigInt(spent) * 100n) / BigInt(budget));
}

export interface BudgetCrossing {
  threshold: boolean;
  exhausted: boolean;
}

/** Which one-time budget events a new spend level fires, given which were already sent. */
export function budgetCrossings(spent: number, budget: number, sent: { threshold: boolean; exhausted: boolean }): BudgetCrossing {
  const pct = percentOf(spent, budget);
  return { threshold: !sent.threshold && pct >= THRESHOLD_PERCENT, exhausted: !sent.exhausted && spent >= budget && budget >= 0 && (budget > 0 || spent > 0) };
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/** The bank a reward's purchase came from: purchaseId is "<bankSource>:<transactionId>". */
export function bankOf(purchaseId: string): string {
  const i = purchaseId.indexOf(':');
  return i > 0 ? purchaseId.slice(0, i) : purchaseId;
}

/** "YYYY-MM" → [start, end) in UTC. */
export function monthRange(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number);
  return { start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) };
}

/** Seconds since local midnight of an instant in a time zone. */
export function secondsIntoDay(at: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  } catch {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  }
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 3600 + get('minute') * 60 + get('second');
}

/** Even pacing: the share of the daily cap that may be spent by this time of day (floored). */
export function pacedAllowance(dailyMinor: number, at: Date, timeZone: string): number {
  return Math.floor((dailyMinor * secondsIntoDay(at, timeZone)) / 86_400);
}

/** When the remaining budget runs out at the given spend rate (minor units per hour); null when nothing is being spent. */
export function projectedExhaustion(remainingMinor: number, ratePerHour: number, now: Date): Date | null {
  if (remainingMinor <= 0) return now;
  if (ratePerHour <= 0) return null;
  return new Date(now.getTime() + (remainingMinor / ratePerHour) * 3_600_000);
}
