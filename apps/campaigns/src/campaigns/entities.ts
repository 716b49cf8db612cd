import type { AdvertiserBudgetV1, AffiliateCommissionV1, AudienceRule, BankCapV1, CampaignContentV1, CampaignAffiliateV1, CampaignPublisherV1, CampaignRewardV1, CampaignStatus, PlatformFeeV1, PricingModel, PurchaseChannel } from '@prestanda/contracts';
import type { Money } from '@prestanda/money';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';

/** A brand that owns campaigns and pays for them, in its billing currency. */
@Entity({ name: 'advertisers' })
export class Advertiser {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'billing_currency', type: 'text' })
  billingCurrency: string;

  /** The advertiser's budget and per-bank caps, drawn on by all its campaigns; NULL: none. */
  @Column({ type: 'jsonb', nullable: true })
  budget: AdvertiserBudgetV1 | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** How an advertiser's sales appear on card statements (one store, chain or web shop). */
@Entity({ name: 'merchants' })
@Index('IDX_merchants_advertiser', ['advertiserId'])
export class Merchant {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', array: true })
  mids: string[];

  @Column({ name: 'descriptor_patterns', type: 'text', array: true })
  descriptorPatterns: string[];

  @Column({ type: 'text', array: true })
  mccs: string[];

  @Column({ type: 'text' })
  country: string;

  @Column({ type: 'text', array: true })
  channels: PurchaseChannel[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export type PublisherKind = CampaignPublisherV1['kind'];

/** Where offers reach people: a bank app, the rewards app, or an affiliate. */
@Entity({ name: 'publishers' })
export class Publisher {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: PublisherKind;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export interface CampaignSchedule {
  startsAt: string;
  endsAt?: string;
  daysOfWeek?: number[];
  hours?: { from: string; to: string };
  timeZone: string;
}

/** The banks a campaign is for: every bank, or these bank integration ids (the `source` of their card transactions). */
export type BankTargeting = 'all' | string[];

/** `banks` is stored as text[], NULL meaning every bank; the entity reads and writes "all" for it. */
export const allBanksAsNull: ValueTransformer = {
  to: (value?: BankTargeting | null) => (value === 'all' ? null : value),
  from: (value?: string[] | null): BankTargeting => value ?? 'all',
};

/** One campaign. Terms are kept in the shape of the campaign.snapshot contract (jsonb). */
@Entity({ name: 'campaigns' })
@Index('IDX_campaigns_advertiser', ['advertiserId'])
export class Campaign {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'advertiser_id', type: 'text' })
  advertiserId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  status: CampaignStatus;

  /** Increases by one with every published snapshot. */
  @Column({ type: 'integer' })
  version: number;

  /** Billing said the total budget is spent (kept while paused, so resume returns to exhausted). */
  @Column({ name: 'budget_exhausted', type: 'boolean' })
  budgetExhausted: boolean;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'jsonb' })
  pricing: { model: PricingModel; price?: Money };

  @Column({ type: 'jsonb', nullable: true })
  reward: CampaignRewardV1 | null;

  @Column({ name: 'platform_fee', type: 'jsonb' })
  platformFee: PlatformFeeV1;

  @Column({ type: 'jsonb' })
  budget: { total: Money; daily?: Money; pacing: 'asap' | 'even'; bankCaps?: BankCapV1[] };

  @Column({ type: 'jsonb' })
  schedule: CampaignSchedule;

  @Column({ type: 'jsonb' })
  audience: { segment: AudienceRule; lookbackDays: number };

  @Column({ type: 'text', array: true })
  channels: PurchaseChannel[];

  @Column({ type: 'text' })
  activation: 'required' | 'automatic';

  @Column({ type: 'jsonb' })
  windows: { clickDays: number; viewDays: number };

  @Column({ name: 'hold_period_days', type: 'integer' })
  holdPeriodDays: number;

  @Column({ name: 'holdout_basis_points', type: 'integer' })
  holdoutBasisPoints: number;

  /** Approved publishers: `[{ publisherId, voucherCodes?, trackingCode?, commission? }]`; the kind comes from the publishers table. */
  @Column({ type: 'jsonb' })
  publishers: CampaignPublisherEntry[];

  /** Affiliate program terms (tracking links, commission); NULL for campaigns without affiliate links. */
  @Column({ type: 'jsonb', nullable: true })
  affiliate: CampaignAffiliateV1 | null;

  /** What bank apps show, per language; NULL: the name only. */
  @Column({ type: 'jsonb', nullable: true })
  content: CampaignContentV1 | null;

  /** The banks whose customers the campaign is for: "all" (stored as NULL) or bank integration ids. */
  @Column({ type: 'text', array: true, nullable: true, transformer: allBanksAsNull })
  banks: BankTargeting;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Audit trail: one row per published version (creation, edit, status change, merchant change). */
@Entity({ name: 'campaign_history' })
@Index('IDX_campaign_history_campaign', ['campaignId', 'version'])
export class CampaignHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @Column({ type: 'integer' })
  version: number;

  /** created, updated, activate, pause, resume, end, budget-exhausted, budget-replenished, merchants-changed */
  @Column({ type: 'text' })
  change: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: CampaignStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: CampaignStatus;

  /** Who: the user's subject, or `budget-events` for billing's events. */
  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at: Date;
}

/** One approved publisher of a campaign; affiliates carry their tracking code and may have their own commission. */
export interface CampaignPublisherEntry {
  publisherId: string;
  voucherCodes?: string[];
  trackingCode?: string;
  commission?: AffiliateCommissionV1;
}

export type ApplicationStatus = 'pending' | 'approved' | 'declined';

/** An affiliate's application to promote a campaign; approval adds it to the campaign's publishers. */
@Entity({ name: 'campaign_applications' })
export class CampaignApplication {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' })
  campaignId: string;

  @PrimaryColumn({ name: 'publisher_id', type: 'text' })
  publisherId: string;

  @Column({ type: 'text' })
  status: ApplicationStatus;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
