import { bigintNumber } from '@prestanda/persistence';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** bigint minor units: TypeORM returns strings; money here always fits a safe integer. */

/** Read model of `campaigns`: what billing needs to price and budget a campaign. */
@Entity({ name: 'campaigns' })
export class BillingCampaign {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'pricing_model', type: 'text' }) pricingModel: string;
  @Column({ name: 'price_minor', type: 'bigint', nullable: true, transformer: bigintNumber }) priceMinor: number | null;
  @Column({ name: 'platform_fee', type: 'jsonb' }) platformFee: object;
  @Column({ type: 'jsonb' }) publishers: object;
  @Column({ name: 'time_zone', type: 'text' }) timeZone: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A ledger account. Ids are readable: `<kind>:<owner>[:<customer>]:<currency>`. */
@Entity({ name: 'accounts' })
export class Account {
  @PrimaryColumn({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'owner_id', type: 'text' }) ownerId: string;
  @Column({ name: 'customer_id', type: 'text', nullable: true }) customerId: string | null;
  @Column({ type: 'text' }) currency: string;
}

/** One balanced posting, idempotent on (source_id, kind). Never updated, never deleted. */
@Entity({ name: 'ledger_transactions' })
@Unique('uq_ledger_transactions_source', ['sourceId', 'kind'])
@Index('ix_ledger_transactions_advertiser', ['advertiserId', 'occurredAt'])
@Index('ix_ledger_transactions_conversion', ['conversionId'])
export class LedgerTransaction {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'source_id', type: 'text' }) sourceId: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'advertiser_id', type: 'text', nullable: true }) advertiserId: string | null;
  @Column({ name: 'campaign_id', type: 'text', nullable: true }) campaignId: string | null;
  @Column({ name: 'pricing_model', type: 'text', nullable: true }) pricingModel: string | null;
  @Column({ name: 'reward_id', type: 'text', nullable: true }) rewardId: string | null;
  /** The affiliate conversion (conversion-cpa, conversion-reversed, conversion-confirmed): what remains of a sale is summed over these. */
  @Column({ name: 'conversion_id', type: 'text', nullable: true }) conversionId: string | null;
  @Column({ type: 'text' }) currency: string;
  @Column({ type: 'integer' }) units: number;
  /** Advertiser-billed cost part (cashback for CPA, publisher commission for CPC/CPL/CPM); negative on reversals. */
  @Column({ name: 'cost_minor', type: 'bigint', transformer: bigintNumber }) costMinor: number;
  /** Advertiser-billed platform fee part; negative on reversals. */
  @Column({ name: 'fee_minor', type: 'bigint', transformer: bigintNumber }) feeMinor: number;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** One leg of a transaction: positive = debit, negative = credit. */
@Entity({ name: 'ledger_entries' })
@Index('ix_ledger_entries_account', ['accountId'])
@Index('ix_ledger_entries_transaction', ['transactionId'])
export class LedgerEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'transaction_id', type: 'uuid' }) transactionId: string;
  @Column({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintNumber }) amountMinor: number;
}

/** Spend per campaign against its total budget, with the one-time events already sent. */
@Entity({ name: 'budgets' })
export class Budget {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'total_minor', type: 'bigint', transformer: bigintNumber }) totalMinor: number;
  @Column({ name: 'daily_minor', type: 'bigint', nullable: true, transformer: bigintNumber }) dailyMinor: number | null;
  /** asap | even (even: the daily cap spread evenly through the day; advisory here, see docs/billing.md). */
  @Column({ type: 'text' }) pacing: string;
  @Column({ name: 'spent_minor', type: 'bigint', transformer: bigintNumber }) spentMinor: number;
  @Column({ name: 'max_charge_minor', type: 'bigint', transformer: bigintNumber }) maxChargeMinor: number;
  @Column({ name: 'threshold_sent', type: 'boolean' }) thresholdSent: boolean;
  @Column({ name: 'exhausted_sent', type: 'boolean' }) exhaustedSent: boolean;
}

/** Spend against an advertiser budget or a per-bank cap (spend-limits.ts); total NULL once the limit is removed. */
@Entity({ name: 'spend_limits' })
@Index('ix_spend_limits_advertiser', ['advertiserId'])
export class SpendLimitRow {
  @PrimaryColumn({ name: 'limit_id', type: 'text' }) limitId: string;
  /** advertiser | advertiser-bank | campaign-bank */
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ name: 'campaign_id', type: 'text', nullable: true }) campaignId: string | null;
  @Column({ name: 'bank_id', type: 'text', nullable: true }) bankId: string | null;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'total_minor', type: 'bigint', nullable: true, transformer: bigintNumber }) totalMinor: number | null;
  @Column({ name: 'spent_minor', type: 'bigint', transformer: bigintNumber }) spentMinor: number;
  @Column({ name: 'threshold_sent', type: 'boolean' }) thresholdSent: boolean;
  @Column({ name: 'exhausted_sent', type: 'boolean' }) exhaustedSent: boolean;
}

/** Spend per campaign and day (campaign time zone) against its daily cap. */
@Entity({ name: 'budget_days' })
export class BudgetDay {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @Column({ name: 'spent_minor', type: 'bigint', transformer: bigintNumber }) spentMinor: number;
  @Column({ name: 'threshold_sent', type: 'boolean' }) thresholdSent: boolean;
  @Column({ name: 'exhausted_sent', type: 'boolean' }) exhaustedSent: boolean;
}

/** CPM carry: micro-units accrued but not yet billed, per campaign and publisher. */
@Entity({ name: 'cpm_accruals' })
export class CpmAccrual {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @PrimaryColumn({ name: 'publisher_id', type: 'text' }) publisherId: string;
  @Column({ name: 'remainder_micros', type: 'bigint', transformer: bigintNumber }) remainderMicros: number;
  @Column({ name: 'pending_impressions', type: 'integer' }) pendingImpressions: number;
}

/** CPC: the last billed click per campaign and customer (the 30-minute rule). */
@Entity({ name: 'cpc_clicks' })
export class CpcClick {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @PrimaryColumn({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ name: 'last_billed_at', type: 'timestamptz' }) lastBilledAt: Date;
}

/**
 * A priced action (click, lead, impression, affiliate sale) that was not charged, and why: the
 * publisher is not approved on the campaign, the budget was spent, or a repeat click. Charged
 * actions are ledger transactions; together they answer "why was this (not) billed?".
 */
@Entity({ name: 'unbilled_actions' })
export class UnbilledAction {
  @PrimaryColumn({ name: 'source_id', type: 'text' }) sourceId: string;
  @PrimaryColumn({ type: 'text' }) kind: string;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ name: 'publisher_id', type: 'text' }) publisherId: string;
  /** publisher-not-approved | budget-spent | advertiser-budget-spent | repeat-click */
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
}

/** A card-linked reward as billing sees it: what was charged, what remains, where it is paid. */
@Entity({ name: 'rewards' })
@Index('ix_rewards_bank_customer', ['bankId', 'customerId'])
export class BilledReward {
  @PrimaryColumn({ name: 'reward_id', type: 'text' }) rewardId: string;
  /** The purchase that earned it (for reward.paid); null for rewards billed before it was kept. */
  @Column({ name: 'purchase_id', type: 'text', nullable: true }) purchaseId: string | null;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ name: 'publisher_id', type: 'text' }) publisherId: string;
  @Column({ name: 'bank_id', type: 'text' }) bankId: string;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'text' }) currency: string;
  /** True when charged to the advertiser; false when over budget and absorbed by the platform. */
  @Column({ type: 'boolean' }) charged: boolean;
  @Column({ name: 'remaining_minor', type: 'bigint', transformer: bigintNumber }) remainingMinor: number;
  @Column({ name: 'fee_remaining_minor', type: 'bigint', transformer: bigintNumber }) feeRemainingMinor: number;
  @Column({ name: 'share_remaining_minor', type: 'bigint', transformer: bigintNumber }) shareRemainingMinor: number;
  /** earned | confirmed | paid */
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'payout_batch_id', type: 'text', nullable: true }) payoutBatchId: string | null;
}

/** A payout batch to one bank (customer cashback) or affiliate (commission). */
@Entity({ name: 'payout_batches' })
export class PayoutBatch {
  @PrimaryColumn({ name: 'batch_id', type: 'text' }) batchId: string;
  @Column({ name: 'payee_kind', type: 'text' }) payeeKind: string;
  @Column({ name: 'payee_id', type: 'text' }) payeeId: string;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'total_minor', type: 'bigint', transformer: bigintNumber }) totalMinor: number;
  /** created | accepted | partially-accepted | rejected */
  @Column({ type: 'text' }) status: string;
  /** The lines as published, plus the account each was paid from. */
  @Column({ type: 'jsonb' }) lines: object;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true }) acknowledgedAt: Date | null;
}

export const BILLING_TABLE_ENTITIES = [BillingCampaign, Account, LedgerTransaction, LedgerEntry, Budget, BudgetDay, SpendLimitRow, CpmAccrual, CpcClick, UnbilledAction, BilledReward, PayoutBatch];
