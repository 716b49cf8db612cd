/**
 * Why a purchase did or did not earn a reward, per candidate campaign. Ops answer "why did
 * I get no cashback?" from these, notifications can say it, advertiser reports count it.
 */
export const MATCH_DECLINE_REASONS = [
  'below-minimum-spend',
  'customer-cap-reached',
  'budget-exhausted',
  'advertiser-budget-exhausted',
  'bank-budget-exhausted',
  'paced',
  'outside-schedule',
  'wrong-channel',
  'audience-mismatch',
  'currency-mismatch',
  'holdout',
  'campaign-not-active',
  'bank-not-targeted',
] as const;
export type MatchDeclineReason = (typeof MATCH_DECLINE_REASONS)[number];

export const REWARD_REVERSAL_REASONS = ['refund-netted', 'authorization-reversed', 'authorization-expired', 'ops-adjustment'] as const;
export type RewardReversalReason = (typeof REWARD_REVERSAL_REASONS)[number];

/** Attribution's reasons for not rewarding a match (attribution.declined). */
export const ATTRIBUTION_DECLINE_REASONS = ['not-activated', 'activation-outside-window', 'bank-not-targeted', 'already-rewarded', 'zero-reward'] as const;
export type AttributionDeclineReason = (typeof ATTRIBUTION_DECLINE_REASONS)[number];

/** Every outcome reason code used anywhere in the contracts. */
export const REASON_CODES = [
  'rewarded',
  // offer-matching's reason for a purchase that met a campaign's rules (attribution decides the reward)
  'matched',
  ...MATCH_DECLINE_REASONS,
  // attribution's outcomes for a match it does not reward, and for facts it cannot place
  'not-activated',
  'activation-outside-window',
  'already-rewarded',
  'zero-reward',
  'unknown-purchase',
  ...REWARD_REVERSAL_REASONS,
  'hold-period-passed',
  'settled-after-expiry',
  'paid-out',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const AUDIENCE_SEGMENTS = ['new', 'lapsed', 'existing'] as const;
/** The customer's relationship with an advertiser, as of before a purchase. */
export type AudienceSegment = (typeof AUDIENCE_SEGMENTS)[number];

export const PRICING_MODELS = ['CPA', 'CPL', 'CPC', 'CPM'] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];
