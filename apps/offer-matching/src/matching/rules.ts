import { createHash } from 'node:crypto';
import { campaignTargetsBank, foldDiacritics, nameBasedUuid, type AudienceSegment, type CampaignSnapshotV1Data, type MatchDeclineReason, type PurchaseChannel, type SpendLimitKind } from '@prestanda/contracts';
import { BASIS_POINTS_PER_WHOLE, min, money, percentOfFloor, type Money } from '@prestanda/money';
import { PermanentError } from '@prestanda/persistence';

/**
 * The matching rules as pure functions: campaign + the customer's history at the advertiser
 * (as of before the purchase) + the transaction → outcome. No I/O here; the service feeds it
 * what one SQL query fetched and applies the budget reservation to what passes.
 */

const DAY_MS = 86_400_000;

/** The customer's purchases at one advertiser, as of before the purchase being evaluated. */
export interface CustomerHistory {
  readonly firstPurchaseAt?: Date;
  /** The most recent purchase strictly before the one evaluated. */
  readonly lastPurchaseAt?: Date;
  readonly purchaseCount: number;
}

export interface TransactionFacts {
  readonly amount: Money;
  readonly channel: PurchaseChannel;
  readonly at: Date;
  readonly customerId: string;
  /** The bank that reported the transaction: with customerId, who the customer is. */
  readonly bankSource: string;
}

export interface CampaignState {
  readonly snapshot: CampaignSnapshotV1Data;
  /** Matches this customer already has in the campaign (for the per-customer cap). */
  readonly customerMatches: number;
  /**
   * Billing said the budget is spent (budget.exhausted: total scope until replenished, daily
   * scope for today's local day) — known before any reservation is tried.
   */
  readonly budgetExhausted: boolean;
}

export type RuleOutcome =
  | { readonly outcome: 'eligible'; readonly segment: AudienceSegment; readonly reward: Money; readonly fee: Money }
  | { readonly outcome: 'declined'; readonly segment: AudienceSegment; readonly reason: MatchDeclineReason };

/**
 * The customer's segment at the advertiser as of before a purchase at `at`:
 * "existing" when a purchase lies within [at − lookback, at); "lapsed" when purchases exist
 * only before that window; "new" when there is none.
 */
export function audienceSegment(history: CustomerHistory | undefined, at: Date, lookbackDays: number): AudienceSegment {
  const last = history?.lastPurchaseAt;
  if (!history || history.purchaseCount <= 0 || !last) return 'new';
  return last.getTime() >= at.getTime() - lookbackDays * DAY_MS ? 'existing' : 'lapsed';
}

/**
 * Whether a customer in `segment` fits the campaign's audience rule. "new" means no purchase
 * within the look-back window (DOMAIN.md), so lapsed customers fit a "new" campaign too;
 * "lapsed" needs an earlier purchase; "existing" a purchase within the window.
 */
export function audienceFits(rule: CampaignSnapshotV1Data['audience']['segment'], segment: AudienceSegment): boolean {
  switch (rule) {
    case 'all':
      return true;
    case 'new':
      return segment === 'new' || segment === 'lapsed';
    case 'lapsed':
      return segment === 'lapsed';
    case 'existing':
      return segment === 'existing';
  }
}

export interface LocalTime {
  /** YYYY-MM-DD in the time zone. */
  readonly day: string;
  /** ISO day of week, 1 = Monday … 7 = Sunday. */
  readonly isoWeekday: number;
  /** Minutes since local midnight. */
  readonly minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Local calendar day, weekday and time of `at` in an IANA time zone. */
export function localTime(at: Date, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(at)) parts[p.type] = p.value;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    isoWeekday: WEEKDAYS[parts.weekday] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Inside the schedule at `at`: startsAt ≤ at < endsAt, the local weekday listed (if days are
 * set) and the local time in [from, to) (if hours are set; to < from spans midnight, and the
 * weekday is the one the purchase falls on; from = to means all day).
 */
export function inSchedule(schedule: CampaignSnapshotV1Data['schedule'], at: Date): boolean {
  if (at.getTime() < Date.parse(schedule.startsAt)) return false;
  if (schedule.endsAt && at.getTime() >= Date.parse(schedule.endsAt)) return false;
  if (!schedule.daysOfWeek && !schedule.hours) return true;
  const local = localTime(at, schedule.timeZone);
  if (schedule.daysOfWeek && !schedule.daysOfWeek.includes(local.isoWeekday)) return false;
  if (schedule.hours) {
    const from = toMinutes(schedule.hours.from);
    const to = toMinutes(schedule.hours.to);
    if (from < to) return local.minutes >= from && local.minutes < to;
    if (from > to) return local.minutes >= from || local.minutes < to;
  }
  return true;
}

/** The cashback of a purchase: percent rounded down, or fixed; capped by maxPerPurchase. */
export function rewardFor(campaign: CampaignSnapshotV1Data, amount: Money): Money {
  const rule = campaign.reward;
  if (!rule) return money(0, campaign.currency);
  const raw = rule.kind === 'percent' ? percentOfFloor(amount, rule.basisPoints) : rule.amount;
  return rule.maxPerPurchase ? min(raw, rule.maxPerPurchase) : raw;
}

/** Prestanda's fee on top of the reward: percent of the reward rounded down, or fixed. */
export function platformFeeFor(campaign: CampaignSnapshotV1Data, reward: Money): Money {
  const fee = campaign.platformFee;
  return fee.kind === 'percent' ? percentOfFloor(reward, fee.basisPoints) : fee.amount;
}

/** Stable position of a customer in a campaign, 0 … 9 999 (basis points), from SHA-256 of both ids. */
export function holdoutPosition(customerId: string, campaignId: string): number {
  const digest = createHash('sha256').update(`${customerId}\u0000${campaignId}`).digest();
  return digest.readUInt32BE(0) % BASIS_POINTS_PER_WHOLE;
}

export function inHoldout(customerId: string, campaign: Pick<CampaignSnapshotV1Data, 'campaignId' | 'holdoutBasisPoints'>): boolean {
  return campaign.holdoutBasisPoints > 0 && holdoutPosition(customerId, campaign.campaignId) < campaign.holdoutBasisPoints;
}

/**
 * Evaluates one candidate campaign for one purchase. Order (the first failing rule is the
 * reason): bank-not-targeted, campaign-not-active (or budget-exhausted for status exhausted), currency-mismatch,
 * wrong-channel, outside-schedule, below-minimum-spend, audience-mismatch,
 * customer-cap-reached, holdout, budget-exhausted (billing said so). Holdout comes before the
 * budget so the holdout group does not depend on budget state; the budget *reservation* is
 * applied by the caller to the eligible outcomes.
 */
export function evaluate(state: CampaignState, history: CustomerHistory | undefined, tx: TransactionFacts): RuleOutcome {
  const c = state.snapshot;
  const segment = audienceSegment(history, tx.at, c.audience.lookbackDays);
  const decline = (reason: MatchDeclineReason): RuleOutcome => ({ outcome: 'declined', segment, reason });
  if (!campaignTargetsBank(c, tx.bankSource)) return decline('bank-not-targeted');
  if (c.status === 'exhausted') return decline('budget-exhausted');
  if (c.status !== 'active' || !c.reward) return decline('campaign-not-active');
  if (tx.amount.currency !== c.currency) return decline('currency-mismatch');
  if (!c.channels.includes(tx.channel)) return decline('wrong-channel');
  if (!inSchedule(c.schedule, tx.at)) return decline('outside-schedule');
  if (c.reward.minSpend && tx.amount.amountMinor < c.reward.minSpend.amountMinor) return decline('below-minimum-spend');
  if (!audienceFits(c.audience.segment, segment)) return decline('audience-mismatch');
  if (c.reward.maxRewardsPerCustomer !== undefined && state.customerMatches >= c.reward.maxRewardsPerCustomer) return decline('customer-cap-reached');
  if (inHoldout(tx.customerId, c)) return decline('holdout');
  if (state.budgetExhausted) return decline('budget-exhausted');
  const reward = rewardFor(c, tx.amount);
  return { outcome: 'eligible', segment, reward, fee: platformFeeFor(c, reward) };
}

/** Descriptor patterns: diacritics folded (as descriptors are), upper case, whitespace collapsed; "*" any run, the rest literal, whole string. */
export function normalisePattern(pattern: string): string {
  return foldDiacritics(pattern).trim().replace(/\s+/g, ' ').toUpperCase();
}

/** The pattern as a SQL LIKE pattern (escape character "\"). */
export function patternToLike(pattern: string): string {
  return normalisePattern(pattern)
    .split('*')
    .map((literal) => literal.replace(/[\\%_]/g, (ch) => `\\${ch}`))
    .join('%');
}

/** The literal text before the first "*": the indexed lookup key of a pattern. */
export function patternPrefix(pattern: string): string {
  const p = normalisePattern(pattern);
  const star = p.indexOf('*');
  return star < 0 ? p : p.slice(0, star);
}

/** Every prefix of a descriptor ("" … whole): the keys a pattern's prefix can equal. */
export function descriptorPrefixes(normalisedDescriptor: string): string[] {
  const d = normalisePattern(normalisedDescriptor);
  const out: string[] = [];
  for (let i = 0; i <= d.length; i++) out.push(d.slice(0, i));
  return out;
}

/** The same JS-side matcher (for unit tests and the offers feed; SQL uses LIKE). */
export function patternMatches(pattern: string, normalisedDescriptor: string): boolean {
  const re = new RegExp(`^${normalisePattern(pattern).split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(normalisePattern(normalisedDescriptor));
}

/** Deterministic ids from (purchase, campaign): the same evaluation always yields the same ids. */
export function matchIdFor(purchaseId: string, campaignId: string): string {
  return `om-${createHash('sha256').update(`${purchaseId}\u0000${campaignId}`).digest('hex').slice(0, 24)}`;
}

export function deterministicUuid(...parts: string[]): string {
  return nameBasedUuid(parts.join('\u0000'));
}

/**
 * The customer's history as of before a purchase at `at`. Exact when purchases arrive in
 * time order; for a late purchase (one older than the last known) the earliest known purchase
 * stands in for "the last one before it", and none at all when every known one is later.
 */
export function historyBefore(row: { first_purchase_at: Date | null; last_purchase_at: Date | null; purchase_count: number | null }, at: Date): CustomerHistory | undefined {
  if (!row.first_purchase_at || !row.last_purchase_at || !row.purchase_count) return undefined;
  const first = new Date(row.first_purchase_at);
  const last = new Date(row.last_purchase_at);
  if (last.getTime() < at.getTime()) return { firstPurchaseAt: first, lastPurchaseAt: last, purchaseCount: Number(row.purchase_count) };
  if (first.getTime() < at.getTime()) return { firstPurchaseAt: first, lastPurchaseAt: first, purchaseCount: 1 };
  return undefined;
}

/** True when billing's budget.exhausted still stands for `now` (total, or daily for today's local day). */
export function knownExhausted(snapshot: CampaignSnapshotV1Data, exhausted: boolean | null, dailyExhaustedDay: string | null, now: Date): boolean {
  if (exhausted) return true;
  return !!snapshot.budget.daily && !!dailyExhaustedDay && dailyExhaustedDay === localTime(now, snapshot.schedule.timeZone).day;
}

/** Building an Intl.DateTimeFormat costs ~0.5 ms: each zone is checked once per process. */
const knownTimeZones = new Set<string>();

/**
 * Cross-field rules the JSON Schema cannot state. A snapshot breaking them could never be
 * matched correctly (and a bad time zone would fail every later transaction), so it is
 * dead-lettered with the field named.
 */
export function assertCampaignConsistent(c: CampaignSnapshotV1Data): void {
  if (!knownTimeZones.has(c.schedule.timeZone)) {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: c.schedule.timeZone });
    } catch {
      throw new PermanentError(`unknown time zone ${c.schedule.timeZone}`, 'data.schedule.timeZone');
    }
    knownTimeZones.add(c.schedule.timeZone);
  }
  const amounts: [string, Money | undefined][] = [
    ['data.budget.total', c.budget.total],
    ['data.budget.daily', c.budget.daily],
    ['data.reward.amount', c.reward?.kind === 'fixed' ? c.reward.amount : undefined],
    ['data.reward.minSpend', c.reward?.minSpend],
    ['data.reward.maxPerPurchase', c.reward?.maxPerPurchase],
    ['data.platformFee.amount', c.platformFee.kind === 'fixed' ? c.platformFee.amount : undefined],
    ['data.advertiserBudget.total', c.advertiserBudget?.total],
    ...(c.budget.bankCaps ?? []).map((cap, i): [string, Money] => [`data.budget.bankCaps.${i}.amount`, cap.amount]),
    ...(c.advertiserBudget?.bankCaps ?? []).map((cap, i): [string, Money] => [`data.advertiserBudget.bankCaps.${i}.amount`, cap.amount]),
  ];
  for (const [field, amount] of amounts) {
    if (amount && amount.currency !== c.currency) throw new PermanentError(`${field} is in ${amount.currency}, the campaign in ${c.currency}`, field);
  }
}

/** A campaign's budget reservation row, as locked for a chunk. */
export interface BudgetRow {
  campaign_id: string;
  total_minor: number;
  reserved_minor: number;
  daily_minor: number | null;
  daily_day: string | null;
  daily_reserved_minor: number;
  exhausted: boolean;
  daily_exhausted_day: string | null;
}

/**
 * reserved < total (and, with a daily cap, today's reserved < daily) → add the amount. The one
 * action that crosses the line is let through: overspend is at most one action. Applied to the
 * locked row in memory; the chunk writes the rows back.
 */
export function reserveInMemory(b: BudgetRow, amountMinor: number, today: string): boolean {
  const dailyAllows = b.daily_minor === null || b.daily_day !== today || b.daily_reserved_minor < b.daily_minor;
  const notDailyExhausted = b.daily_exhausted_day !== today || b.daily_minor === null;
  if (b.exhausted || b.reserved_minor >= b.total_minor || !dailyAllows || !notDailyExhausted) return false;
  b.reserved_minor += amountMinor;
  b.daily_reserved_minor = b.daily_day === today ? b.daily_reserved_minor + amountMinor : amountMinor;
  b.daily_day = today;
  return true;
}

/** An advertiser budget or per-bank cap's reservation row, as locked for a chunk. */
export interface LimitRow {
  limit_id: string;
  kind: SpendLimitKind;
  /** null: the limit was removed; it holds nothing back. */
  total_minor: number | null;
  reserved_minor: number;
  exhausted: boolean;
}

/**
 * The first of a purchase's limits that holds it back: billing said it is spent, or reservations
 * reached it. The same "at most one action over" rule as a campaign's budget.
 */
export function spentLimit(limits: readonly LimitRow[]): LimitRow | undefined {
  return limits.find((l) => l.total_minor !== null && (l.exhausted || l.reserved_minor >= l.total_minor));
}

/** Adds a match's reward + fee to each of its limits (applied to the locked rows in memory; the chunk writes them back). */
export function reserveOnLimits(limits: readonly LimitRow[], amountMinor: number): void {
  for (const l of limits) l.reserved_minor += amountMinor;
}

/** Whole calendar days from one YYYY-MM-DD to another (negative when `to` is earlier). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Even pacing over the flight: today's allowance is what is left of the budget at the start of
 * today (campaign time zone) spread over the days left, this one included — re-planned every
 * day and whenever the budget changes (nothing is stored: it follows from the row). A campaign
 * is held back (`paced`) once today's reservations reach the allowance; the one action that
 * crosses it is let through, as for a budget. `asap`, and `even` without an end date (no flight
 * to spread over; the daily cap still holds), are never paced.
 */
export function pacedOut(c: Pick<CampaignSnapshotV1Data, 'budget' | 'schedule'>, b: BudgetRow, now: Date): boolean {
  const allowance = paceAllowance(c, b, now);
  if (allowance === undefined) return false;
  const today = localTime(now, c.schedule.timeZone).day;
  const todayReserved = b.daily_day === today ? b.daily_reserved_minor : 0;
  return todayReserved >= allowance;
}

/** Today's even-pacing allowance in minor units, or undefined when the campaign is not paced. */
export function paceAllowance(c: Pick<CampaignSnapshotV1Data, 'budget' | 'schedule'>, b: BudgetRow, now: Date): number | undefined {
  if (c.budget.pacing !== 'even' || !c.schedule.endsAt) return undefined;
  const tz = c.schedule.timeZone;
  const today = localTime(now, tz).day;
  const lastDay = localTime(new Date(Date.parse(c.schedule.endsAt) - 1), tz).day;
  const daysLeft = Math.max(1, daysBetween(today, lastDay) + 1);
  const todayReserved = b.daily_day === today ? b.daily_reserved_minor : 0;
  const beforeToday = b.reserved_minor - todayReserved;
  return Math.ceil(Math.max(0, b.total_minor - beforeToday) / daysLeft);
}
