import type { AffiliateCommissionV1, CampaignAffiliateV1, CampaignStatus, PlatformFeeV1, PricingModel } from '@prestanda/contracts';
import type { Money } from '@prestanda/money';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What the affiliate network needs of one campaign.snapshot version. */
export interface ProgramTerms {
  name: string;
  currency: string;
  pricing: { model: PricingModel; price?: Money };
  affiliate: CampaignAffiliateV1 | null;
  platformFee: PlatformFeeV1;
  clickDays: number;
  holdPeriodDays: number;
  /** Affiliates of this version, with their tracking code and own commission. */
  publishers: { publisherId: string; trackingCode?: string; commission?: AffiliateCommissionV1; voucherCodes?: string[] }[];
  status: CampaignStatus;
}

/** The latest version of each campaign (program). */
@Entity({ name: 'programs' })
@Index('IX_affiliate_programs_advertiser', ['advertiserId'])
export class ProgramRow {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) status: CampaignStatus;
  @Column({ type: 'jsonb' }) terms: ProgramTerms;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** Every version seen: a sale is paid by the terms of the version in force at its click. */
@Entity({ name: 'program_versions' })
export class ProgramVersionRow {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @PrimaryColumn({ type: 'integer' }) version: number;
  @Column({ type: 'jsonb' }) terms: ProgramTerms;
}

/** `/c/<code>`: one affiliate's links to one program. Inactive once the affiliate leaves the program. */
@Entity({ name: 'tracking_links' })
@Index('IX_affiliate_tracking_links_campaign', ['campaignId'])
export class TrackingLinkRow {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ name: 'publisher_id', type: 'text' }) publisherId: string;
  @Column({ type: 'boolean' }) active: boolean;
}

/** Voucher codes, stored upper-cased: a sale carrying one credits its publisher. */
@Entity({ name: 'voucher_codes' })
@Index('IX_affiliate_voucher_codes_campaign', ['campaignId'])
export class VoucherCodeRow {
  @PrimaryColumn({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @PrimaryColumn({ type: 'text' }) code: string;
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @Column({ name: 'publisher_id', type: 'text' }) publisherId: string;
  @Column({ type: 'boolean' }) active: boolean;
}

export const PROGRAM_ENTITIES = [ProgramRow, ProgramVersionRow, TrackingLinkRow, VoucherCodeRow];
