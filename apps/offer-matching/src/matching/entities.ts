import { bigintNumber } from '@prestanda/persistence';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CampaignSnapshotV1Data } from '@prestanda/contracts';

/** bigint minor units come back from pg as strings; money never exceeds 2^53. */

/** Read model: the newest campaign.snapshot per campaign. */
@Entity({ name: 'campaigns' })
export class CampaignRow {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  @Index('IDX_om_campaigns_status')
  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'jsonb' })
  snapshot: CampaignSnapshotV1Data;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One row per MID or descriptor pattern of each campaign's merchants. */
@Entity({ name: 'merchant_index' })
@Index('IDX_om_merchant_index_kind_key', ['kind', 'key'])
export class MerchantIndexRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index('IDX_om_merchant_index_campaign')
  @Column({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  /** "mid" or "descriptor". */
  @Column({ type: 'text' })
  kind: string;

  /** The MID, or the pattern's literal prefix (text before the first "*"). */
  @Column({ type: 'text' })
  key: string;

  /** For descriptors: the pattern as a LIKE pattern. */
  @Column({ name: 'like_pattern', type: 'text', nullable: true })
  likePattern: string | null;

  /** The merchant's MCCs: a descriptor match with a different MCC is ruled out. */
  @Column({ type: 'text', array: true, nullable: true })
  mccs: string[] | null;
}

/** Per customer (bank, customer id) and advertiser: every purchase (authorization or settlement, once per purchase). */
@Entity({ name: 'purchase_history' })
export class PurchaseHistoryRow {
  @PrimaryColumn({ name: 'bank_source', type: 'text' })
  bankSource: string;

  @PrimaryColumn({ name: 'customer_id', type: 'text' })
  customerId: string;

  @PrimaryColumn({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  @Column({ name: 'first_purchase_at', type: 'timestamptz' })
  firstPurchaseAt: Date;

  @Column({ name: 'last_purchase_at', type: 'timestamptz' })
  lastPurchaseAt: Date;

  @Column({ name: 'purchase_count', type: 'integer' })
  purchaseCount: number;
}

/** Every card transaction seen, with its purchase; `evaluated` marks the one the purchase was matched on. */
@Entity({ name: 'purchases' })
export class PurchaseRow {
  @PrimaryColumn({ name: 'bank_source', type: 'text' })
  bankSource: string;

  @PrimaryColumn({ name: 'transaction_id', type: 'text' })
  transactionId: string;

  @Index('IDX_om_purchases_purchase')
  @Column({ name: 'purchase_id', type: 'text' })
  purchaseId: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintNumber })
  amountMinor: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ name: 'transaction_at', type: 'timestamptz' })
  transactionAt: Date;

  @Column({ type: 'boolean' })
  evaluated: boolean;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

/** One outcome per (purchase, candidate campaign), with its reason code. */
@Entity({ name: 'match_outcomes' })
@Index('IDX_om_match_outcomes_campaign_customer', ['campaignId', 'customerId', 'outcome'])
export class MatchOutcomeRow {
  @PrimaryColumn({ name: 'purchase_id', type: 'text' })
  purchaseId: string;

  @PrimaryColumn({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ name: 'campaign_version', type: 'integer' })
  campaignVersion: number;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  @Column({ name: 'matched_by', type: 'text' })
  matchedBy: string;

  @Column({ name: 'bank_source', type: 'text' })
  bankSource: string;

  @Column({ name: 'transaction_id', type: 'text' })
  transactionId: string;

  @Column({ name: 'transaction_kind', type: 'text' })
  transactionKind: string;

  /** "matched", "declined" or "holdout". */
  @Column({ type: 'text' })
  outcome: string;

  @Column({ name: 'reason_code', type: 'text' })
  reasonCode: string;

  @Column({ name: 'audience_segment', type: 'text' })
  audienceSegment: string;

  @Column({ name: 'purchase_amount_minor', type: 'bigint', transformer: bigintNumber })
  purchaseAmountMinor: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ name: 'reward_minor', type: 'bigint', nullable: true, transformer: bigintNumber })
  rewardMinor: number | null;

  @Column({ name: 'fee_minor', type: 'bigint', nullable: true, transformer: bigintNumber })
  feeMinor: number | null;

  @Column({ name: 'transaction_at', type: 'timestamptz' })
  transactionAt: Date;

  @Column({ name: 'evaluated_at', type: 'timestamptz' })
  evaluatedAt: Date;

  /** When attribution declined the match and its budget reservation was given back (attribution.declined). */
  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt: Date | null;

  /** For a match: the spend limits (advertiser budget, per-bank caps) its reward + fee was reserved on, released with it. */
  @Column({ name: 'limit_ids', type: 'text', array: true, nullable: true })
  limitIds: string[] | null;
}

/** The campaign's budget as offer-matching reserves it (reward + fee per match). */
@Entity({ name: 'budget_reservations' })
export class BudgetReservationRow {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ type: 'text' })
  currency: string;

  @Column({ name: 'total_minor', type: 'bigint', transformer: bigintNumber })
  totalMinor: number;

  @Column({ name: 'reserved_minor', type: 'bigint', transformer: bigintNumber })
  reservedMinor: number;

  @Column({ name: 'daily_minor', type: 'bigint', nullable: true, transformer: bigintNumber })
  dailyMinor: number | null;

  /** The local day daily_reserved_minor counts. */
  @Column({ name: 'daily_day', type: 'text', nullable: true })
  dailyDay: string | null;

  @Column({ name: 'daily_reserved_minor', type: 'bigint', transformer: bigintNumber })
  dailyReservedMinor: number;

  /** budget.exhausted (total) received and not replenished since. */
  @Column({ type: 'boolean' })
  exhausted: boolean;

  /** The local day a budget.exhausted (daily) named. */
  @Column({ name: 'daily_exhausted_day', type: 'text', nullable: true })
  dailyExhaustedDay: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** An advertiser budget or per-bank cap as offer-matching reserves it (see spendLimitsOf in the contracts). */
@Entity({ name: 'limit_reservations' })
@Index('IDX_limit_reservations_advertiser', ['advertiserId'])
export class LimitReservationRow {
  @PrimaryColumn({ name: 'limit_id', type: 'text' })
  limitId: string;

  /** advertiser | advertiser-bank | campaign-bank */
  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  /** For a campaign-bank cap: its campaign. */
  @Column({ name: 'campaign_id', type: 'text', nullable: true })
  campaignId: string | null;

  /** NULL: the limit was removed (the row keeps its reservations in case it comes back). */
  @Column({ name: 'total_minor', type: 'bigint', nullable: true, transformer: bigintNumber })
  totalMinor: number | null;

  @Column({ name: 'reserved_minor', type: 'bigint', transformer: bigintNumber })
  reservedMinor: number;

  /** spend-limit.exhausted received and not replenished since. */
  @Column({ type: 'boolean' })
  exhausted: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The latest activation (click of kind activation) per customer and campaign, for the offers feed. */
@Entity({ name: 'activations' })
export class ActivationRow {
  /** The integration that reported the activation: the customer's bank. */
  @PrimaryColumn({ name: 'bank_source', type: 'text' })
  bankSource: string;

  @PrimaryColumn({ name: 'customer_id', type: 'text' })
  customerId: string;

  @PrimaryColumn({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ name: 'click_id', type: 'text' })
  clickId: string;

  @Column({ name: 'publisher_id', type: 'text' })
  publisherId: string;

  @Column({ name: 'activated_at', type: 'timestamptz' })
  activatedAt: Date;
}

export const MATCHING_ENTITIES = [CampaignRow, MerchantIndexRow, PurchaseHistoryRow, PurchaseRow, MatchOutcomeRow, BudgetReservationRow, LimitReservationRow, ActivationRow];
