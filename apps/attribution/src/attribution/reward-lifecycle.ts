import { money, rewardKeptAfterRefunds } from '@prestanda/money';

/**
 * The reward lifecycle as a pure reducer: the consumer and the confirmation worker load a
 * reward's state, apply one input here and store what comes back, emitting the effects.
 * Nothing here reads a clock or a database, so the property test can drive it directly.
 *
 * Facts about a purchase (settlement, refunds, reversal) are idempotent by their transaction
 * id and commutative: the final state depends only on the set of facts, not their order.
 */

export type LifecycleStatus = 'earned' | 'confirmed' | 'reversed';

export type PurchaseFact =
  | { readonly kind: 'settlement'; readonly transactionId: string; readonly at: string }
  | { readonly kind: 'refund'; readonly transactionId: string; readonly amountMinor: number; readonly currency: string; readonly at: string }
  | { readonly kind: 'reversal'; readonly transactionId: string; readonly at: string }
  /** No settlement within the bank's window: treated as reversed (the confirmation worker's sweep). */
  | { readonly kind: 'expiry'; readonly transactionId: typeof EXPIRY_ID; readonly at: string };

/** The one expiry a reward can take (its fact key is `expiry:authorization`). */
export const EXPIRY_ID = 'authorization';

export interface RewardState {
  readonly status: LifecycleStatus;
  readonly currency: string;
  readonly purchaseAmountMinor: number;
  readonly purchaseCurrency: string;
  readonly earnedMinor: number;
  readonly feeMinor: number;
  readonly shareMinor: number;
  /** What the customer keeps after refunds (and what the advertiser still pays in fee / the publisher keeps). */
  readonly keptMinor: number;
  readonly feeKeptMinor: number;
  readonly shareKeptMinor: number;
  /** Cumulative refunded amount of the purchase, from the distinct refunds applied. */
  readonly refundedMinor: number;
  /** `<kind>:<transactionId>` of every fact applied: a fact is applied once. */
  readonly appliedFacts: readonly string[];
  readonly holdPeriodDays: number;
  readonly settledAt: string | null;
  readonly confirmedAt: string | null;
  readonly reversedAt: string | null;
}

export type LifecycleEffect =
  | {
      readonly type: 'reversed';
      readonly reasonCode: 'refund-netted' | 'authorization-reversed' | 'authorization-expired';
      readonly transactionId: string;
      readonly reversedMinor: number;
      readonly feeReversedMinor: number;
      readonly shareReversedMinor: number;
      readonly at: string;
    }
  | {
      readonly type: 'reinstated';
      readonly transactionId: string;
      readonly amountMinor: number;
      readonly feeMinor: number;
      readonly shareMinor: number;
      readonly settledAt: string;
      readonly at: string;
    }
  | { readonly type: 'schedule-confirmation'; readonly settledAt: string }
  | { readonly type: 'confirmed'; readonly amountMinor: number; readonly settledAt: string; readonly at: string };

export interface Step {
  readonly state: RewardState;
  readonly effects: readonly LifecycleEffect[];
}

export interface EarnInput {
  readonly currency: string;
  readonly purchaseAmountMinor: number;
  readonly purchaseCurrency: string;
  readonly earnedMinor: number;
  readonly feeMinor: number;
  readonly shareMinor: number;
  readonly holdPeriodDays: number;
  /** Set when the match itself was made on the settlement. */
  readonly settledAt?: string;
}

export function factKey(fact: PurchaseFact): string {
  return `${fact.kind}:${fact.transactionId}`;
}

/** A new reward (status earned), before any fact is applied. */
export function earn(input: EarnInput): RewardState {
  return {
    status: 'earned',
    currency: input.currency,
    purchaseAmountMinor: input.purchaseAmountMinor,
    purchaseCurrency: input.purchaseCurrency,
    earnedMinor: input.earnedMinor,
    feeMinor: input.feeMinor,
    shareMinor: input.shareMinor,
    keptMinor: input.earnedMinor,
    feeKeptMinor: input.feeMinor,
    shareKeptMinor: input.shareMinor,
    refundedMinor: 0,
    appliedFacts: [],
    holdPeriodDays: input.holdPeriodDays,
    settledAt: input.settledAt ?? null,
    confirmedAt: null,
    reversedAt: null,
  };
}

function keep(amountMinor: number, state: RewardState, refundedMinor: number): number {
  return rewardKeptAfterRefunds(money(amountMinor, state.currency), money(state.purchaseAmountMinor, state.currency), money(refundedMinor, state.currency)).amountMinor;
}

/**
 * Applies one purchase fact. Settlement: records settledAt and schedules the confirmation (or
 * confirms at once with a hold of 0). Refund: claws back in proportion to the cumulative
 * refunded amount (floor of what is kept, so the customer is never over-credited). Reversal:
 * claws back everything still kept. A fact already applied, or a refund in another currency
 * than the purchase, changes nothing.
 */
export function applyFact(state: RewardState, fact: PurchaseFact, now: string): Step {
  const key = factKey(fact);
  if (state.appliedFacts.includes(key)) return { state, effects: [] };
  const appliedFacts = [...state.appliedFacts, key];

  if (fact.kind === 'expiry') {
    // Only an earned reward whose purchase never settled expires.
    if (state.status !== 'earned' || state.settledAt !== null || state.keptMinor === 0) return { state: { ...state, appliedFacts }, effects: [] };
    return {
      state: { ...state, appliedFacts, status: 'reversed', keptMinor: 0, feeKeptMinor: 0, shareKeptMinor: 0, reversedAt: fact.at },
      effects: [
        { type: 'reversed', reasonCode: 'authorization-expired', transactionId: fact.transactionId, reversedMinor: state.keptMinor, feeReversedMinor: state.feeKeptMinor, shareReversedMinor: state.shareKeptMinor, at: now },
      ],
    };
  }

  if (fact.kind === 'settlement' && expiredOnly(state)) return reinstate(state, appliedFacts, fact, now);

  if (fact.kind === 'settlement') {
    if (state.settledAt !== null) return { state: { ...state, appliedFacts }, effects: [] };
    const settled: RewardState = { ...state, appliedFacts, settledAt: fact.at };
    if (settled.status !== 'earned') return { state: settled, effects: [] };
    if (settled.holdPeriodDays === 0) return confirm(settled, now);
    return { state: settled, effects: [{ type: 'schedule-confirmation', settledAt: fact.at }] };
  }

  if (fact.kind === 'refund' && fact.currency !== state.purchaseCurrency) return { state: { ...state, appliedFacts }, effects: [] };

  const refundedMinor = fact.kind === 'refund' ? state.refundedMinor + fact.amountMinor : state.refundedMinor;
  const reversal = fact.kind === 'reversal';
  const keptMinor = reversal ? 0 : Math.min(state.keptMinor, keep(state.earnedMinor, state, refundedMinor));
  const feeKeptMinor = reversal ? 0 : Math.min(state.feeKeptMinor, keep(state.feeMinor, state, refundedMinor));
  const shareKeptMinor = reversal ? 0 : Math.min(state.shareKeptMinor, keep(state.shareMinor, state, refundedMinor));
  const reversedMinor = state.keptMinor - keptMinor;
  const next: RewardState = {
    ...state,
    appliedFacts,
    refundedMinor,
    keptMinor,
    feeKeptMinor,
    shareKeptMinor,
    status: keptMinor === 0 ? 'reversed' : state.status,
    reversedAt: keptMinor === 0 && state.status !== 'reversed' ? fact.at : state.reversedAt,
  };
  if (reversedMinor <= 0) return { state: next, effects: [] };
  return {
    state: next,
    effects: [
      {
        type: 'reversed',
        reasonCode: reversal ? 'authorization-reversed' : 'refund-netted',
        transactionId: fact.transactionId,
        reversedMinor,
        feeReversedMinor: state.feeKeptMinor - feeKeptMinor,
        shareReversedMinor: state.shareKeptMinor - shareKeptMinor,
        at: now,
      },
    ],
  };
}

/** Reversed by its expiry alone (no reversal of the bank's, not yet settled): a settlement reinstates it. */
function expiredOnly(state: RewardState): boolean {
  return state.status === 'reversed' && state.settledAt === null && state.appliedFacts.includes(`expiry:${EXPIRY_ID}`) && !state.appliedFacts.some((f) => f.startsWith('reversal:'));
}

/**
 * The settlement of an expired reward's purchase: the same reward is earned again — what
 * refunds so far leave of it — and the hold period counts from the settlement. Once: the reward
 * is settled from then on.
 */
function reinstate(state: RewardState, appliedFacts: readonly string[], fact: PurchaseFact & { kind: 'settlement' }, now: string): Step {
  const keptMinor = keep(state.earnedMinor, state, state.refundedMinor);
  const feeKeptMinor = keep(state.feeMinor, state, state.refundedMinor);
  const shareKeptMinor = Math.min(feeKeptMinor, keep(state.shareMinor, state, state.refundedMinor));
  const settled: RewardState = { ...state, appliedFacts, settledAt: fact.at };
  if (keptMinor <= 0) return { state: settled, effects: [] };
  const back: RewardState = { ...settled, status: 'earned', keptMinor, feeKeptMinor, shareKeptMinor, reversedAt: null };
  const reinstated: LifecycleEffect = { type: 'reinstated', transactionId: fact.transactionId, amountMinor: keptMinor, feeMinor: feeKeptMinor, shareMinor: shareKeptMinor, settledAt: fact.at, at: now };
  if (back.holdPeriodDays === 0) {
    const confirmed = confirm(back, now);
    return { state: confirmed.state, effects: [reinstated, ...confirmed.effects] };
  }
  return { state: back, effects: [reinstated, { type: 'schedule-confirmation', settledAt: fact.at }] };
}

/** When the confirmation falls due: settlement + hold period (in hold units of `unitSeconds`). */
export function confirmationDueAt(settledAt: string, holdPeriodDays: number, unitSeconds: number): Date {
  return new Date(Date.parse(settledAt) + holdPeriodDays * unitSeconds * 1000);
}

function confirm(state: RewardState, now: string): Step {
  if (state.status !== 'earned' || state.settledAt === null || state.keptMinor <= 0) return { state, effects: [] };
  return {
    state: { ...state, status: 'confirmed', confirmedAt: now },
    effects: [{ type: 'confirmed', amountMinor: state.keptMinor, settledAt: state.settledAt, at: now }],
  };
}

/**
 * The scheduled confirmation: an earned, settled reward with something left is confirmed
 * once the hold period has passed. Anything else (already confirmed, reversed, not yet due)
 * is left as it is, so running it twice confirms once.
 */
export function confirmIfDue(state: RewardState, now: string, unitSeconds: number): Step {
  if (state.settledAt === null) return { state, effects: [] };
  if (Date.parse(now) < confirmationDueAt(state.settledAt, state.holdPeriodDays, unitSeconds).getTime()) return { state, effects: [] };
  return confirm(state, now);
}

/** Applies facts in the order given (held facts when the match arrives). */
export function applyFacts(state: RewardState, facts: readonly PurchaseFact[], now: string): Step {
  let current = state;
  const effects: LifecycleEffect[] = [];
  for (const fact of facts) {
    const step = applyFact(current, fact, now);
    current = step.state;
    effects.push(...step.effects);
  }
  return { state: current, effects };
}
