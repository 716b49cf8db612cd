import { bigintNumber } from '@prestanda/persistence';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** bigint minor units come back from pg as strings. */

/** Campaign read model: what attribution needs of the latest campaign.snapshot. */
@Entity({ name: 'campaigns' })
export class CampaignRow {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  @Column({ type: 'text' })
  activation: string;

  @Column({ name: 'click_days', type: 'integer' })
  clickDays: number;

  @Column({ name: 'view_days', type: 'integer' })
  viewDays: number;

  @Column({ name: 'hold_period_days', type: 'integer' })
  holdPeriodDays: number;

  @Column({ name: 'publisher_share_basis_points', type: 'integer' })
  publisherShareBasisPoints: number;

  @Column({ name: 'publisher_ids', type: 'jsonb' })
  publisherIds: string[];

  /** The banks the campaign is offered to; null: every bank. */
  @Column({ type: 'jsonb', nullable: true })
  banks: string[] | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Impressions, clicks and activations per customer (bank, customer id) and campaign. */
@Entity({ name: 'touchpoints' })
@Index('IX_attribution_touchpoints_customer_campaign_at', ['bankSource', 'customerId', 'campaignId', 'at'])
export class TouchpointRow {
  /** The integration that reported it: the customer's bank. */
  @PrimaryColumn({ name: 'bank_source', type: 'text' })
  bankSource: string;

  @PrimaryColumn({ name: 'touchpoint_id', type: 'text' })
  touchpointId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ name: 'publisher_id', type: 'text' })
  publisherId: string;

  @Column({ type: 'timestamptz' })
  at: Date;
}

/** Attribution's decision on every offer-match.matched: rewarded or declined, with the reason. */
@Entity({ name: 'match_outcomes' })
@Index('IX_attribution_match_outcomes_customer', ['customerId', 'decidedAt'])
export class MatchOutcomeRow {
  @PrimaryColumn({ name: 'match_id', type: 'text' })
  matchId: string;

  @Column({ name: 'purchase_id', type: 'text' })
  purchaseId: string;

  @Column({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  @Column({ type: 'text' })
  outcome: string;

  @Column({ name: 'reason_code', type: 'text' })
  reasonCode: string;

  @Column({ name: 'reward_id', type: 'text', nullable: true })
  rewardId: string | null;

  @Column({ name: 'purchase_at', type: 'timestamptz' })
  purchaseAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;
}

/** One reward per (purchase, campaign), with its lifecycle state (see reward-lifecycle.ts). */
@Entity({ name: 'rewards' })
@Unique('UQ_attribution_rewards_purchase_campaign', ['purchaseId', 'campaignId'])
@Index('IX_attribution_rewards_customer', ['customerId', 'earnedAt'])
export class RewardRow {
  @PrimaryColumn({ name: 'reward_id', type: 'text' })
  rewardId: string;

  @Column({ name: 'match_id', type: 'text' })
  matchId: string;

  @Column({ name: 'purchase_id', type: 'text' })
  purchaseId: string;

  @Column({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  @Column({ name: 'publisher_id', type: 'text' })
  publisherId: string;

  @Column({ name: 'bank_source', type: 'text' })
  bankSource: string;

  @Column({ name: 'attribution_method', type: 'text' })
  attributionMethod: string;

  @Column({ name: 'touchpoint_id', type: 'text', nullable: true })
  touchpointId: string | null;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text' })
  currency: string;

  @Column({ name: 'purchase_currency', type: 'text' })
  purchaseCurrency: string;

  @Column({ name: 'purchase_amount_minor', type: 'bigint', transformer: bigintNumber })
  purchaseAmountMinor: number;

  @Column({ name: 'earned_minor', type: 'bigint', transformer: bigintNumber })
  earnedMinor: number;

  @Column({ name: 'fee_minor', type: 'bigint', transformer: bigintNumber })
  feeMinor: number;

  @Column({ name: 'share_minor', type: 'bigint', transformer: bigintNumber })
  shareMinor: number;

  @Column({ name: 'kept_minor', type: 'bigint', transformer: bigintNumber })
  keptMinor: number;

  @Column({ name: 'fee_kept_minor', type: 'bigint', transformer: bigintNumber })
  feeKeptMinor: number;

  @Column({ name: 'share_kept_minor', type: 'bigint', transformer: bigintNumber })
  shareKeptMinor: number;

  @Column({ name: 'refunded_minor', type: 'bigint', transformer: bigintNumber })
  refundedMinor: number;

  @Column({ name: 'applied_facts', type: 'jsonb' })
  appliedFacts: string[];

  @Column({ name: 'hold_period_days', type: 'integer' })
  holdPeriodDays: number;

  @Column({ name: 'purchase_at', type: 'timestamptz' })
  purchaseAt: Date;

  @Column({ name: 'earned_at', type: 'timestamptz' })
  earnedAt: Date;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'reversed_at', type: 'timestamptz', nullable: true })
  reversedAt: Date | null;
}

/** Every change of a reward, in order: the status history the API shows. */
@Entity({ name: 'reward_history' })
@Index('IX_attribution_reward_history_reward', ['rewardId', 'id'])
export class RewardHistoryRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'reward_id', type: 'text' })
  rewardId: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'reason_code', type: 'text' })
  reasonCode: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintNumber })
  amountMinor: number;

  @Column({ name: 'remaining_minor', type: 'bigint', transformer: bigintNumber })
  remainingMinor: number;

  @Column({ name: 'transaction_id', type: 'text', nullable: true })
  transactionId: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}

/**
 * Every settlement, refund and reversal attribution has seen, per purchase. `held` until a
 * reward of the purchase exists (then `applied`); a held fact older than
 * ATTRIBUTION_HELD_EXPIRY_DAYS becomes `expired` with reason `unknown-purchase`. A match that
 * arrives later still folds every fact of its purchase.
 */
@Entity({ name: 'pending_adjustments' })
@Unique('UQ_attribution_pending_adjustments_fact', ['purchaseId', 'kind', 'transactionId'])
@Index('IX_attribution_pending_adjustments_state', ['state', 'receivedAt'])
export class PendingAdjustmentRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'purchase_id', type: 'text' })
  purchaseId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'transaction_id', type: 'text' })
  transactionId: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintNumber })
  amountMinor: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ name: 'transaction_at', type: 'timestamptz' })
  transactionAt: Date;

  @Column({ type: 'text' })
  state: string;

  @Column({ name: 'reason_code', type: 'text', nullable: true })
  reasonCode: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}

/** Durable schedule of confirmations: one row per settled, earned reward until it is confirmed. */
@Entity({ name: 'confirmation_jobs' })
@Index('IX_attribution_confirmation_jobs_due', ['dueAt'])
export class ConfirmationJobRow {
  @PrimaryColumn({ name: 'reward_id', type: 'text' })
  rewardId: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export const ATTRIBUTION_TABLES = [CampaignRow, TouchpointRow, MatchOutcomeRow, RewardRow, RewardHistoryRow, PendingAdjustmentRow, ConfirmationJobRow];
