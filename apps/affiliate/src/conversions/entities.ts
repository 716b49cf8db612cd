import { bigintNumber } from '@prestanda/persistence';
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** A lead is `lead-recorded` at once: it is priced by the program (CPL) in billing and has no lock period here. */
export type ConversionStatus = 'pending' | 'confirmed' | 'reversed' | 'held' | 'rejected' | 'unattributed' | 'lead-recorded';

/** A sale a shop reported, attributed (or not) to a publisher; its commission's lifecycle. */
@Entity({ name: 'conversions' })
@Unique('UQ_affiliate_conversions_order', ['advertiserId', 'orderId'])
@Index('IX_affiliate_conversions_publisher_at', ['publisherId', 'convertedAt'])
@Index('IX_affiliate_conversions_due', ['status', 'lockedUntil'])
export class ConversionRow {
  @PrimaryColumn({ name: 'conversion_id', type: 'text' }) conversionId: string;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ name: 'order_id', type: 'text' }) orderId: string;
  /** sale (CPA: commission on the order) | lead (CPL: priced by billing) */
  @Column({ type: 'text' }) kind: 'sale' | 'lead';
  @Column({ type: 'text' }) status: ConversionStatus;
  /** Why it is held for review or unattributed (a reason code). */
  @Column({ name: 'hold_reason', type: 'text', nullable: true }) holdReason: string | null;
  @Column({ name: 'campaign_id', type: 'text', nullable: true }) campaignId: string | null;
  @Column({ name: 'publisher_id', type: 'text', nullable: true }) publisherId: string | null;
  @Column({ name: 'click_id', type: 'text', nullable: true }) clickId: string | null;
  @Column({ name: 'voucher_code', type: 'text', nullable: true }) voucherCode: string | null;
  /** click | voucher-code */
  @Column({ name: 'attributed_by', type: 'text', nullable: true }) attributedBy: string | null;
  @Column({ name: 'program_version', type: 'integer', nullable: true }) programVersion: number | null;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'order_amount_minor', type: 'bigint', transformer: bigintNumber }) orderAmountMinor: number;
  @Column({ name: 'current_amount_minor', type: 'bigint', transformer: bigintNumber }) currentAmountMinor: number;
  @Column({ name: 'commission_minor', type: 'bigint', transformer: bigintNumber }) commissionMinor: number;
  @Column({ name: 'commission_reversed_minor', type: 'bigint', transformer: bigintNumber }) commissionReversedMinor: number;
  @Column({ name: 'fee_minor', type: 'bigint', transformer: bigintNumber }) feeMinor: number;
  @Column({ name: 'fee_reversed_minor', type: 'bigint', transformer: bigintNumber }) feeReversedMinor: number;
  @Column({ name: 'converted_at', type: 'timestamptz' }) convertedAt: Date;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil: Date | null;
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true }) confirmedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A return or cancellation of an order, applied once per adjustment id. */
@Entity({ name: 'conversion_adjustments' })
export class ConversionAdjustmentRow {
  @PrimaryColumn({ name: 'conversion_id', type: 'text' }) conversionId: string;
  @PrimaryColumn({ name: 'adjustment_id', type: 'text' }) adjustmentId: string;
  /** return | cancel */
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'amount_removed_minor', type: 'bigint', transformer: bigintNumber }) amountRemovedMinor: number;
  @Column({ name: 'commission_reversed_minor', type: 'bigint', transformer: bigintNumber }) commissionReversedMinor: number;
  @Column({ name: 'fee_reversed_minor', type: 'bigint', transformer: bigintNumber }) feeReversedMinor: number;
  @Column({ type: 'timestamptz' }) at: Date;
}

/** The advertiser's shared secret for signing postbacks (HMAC-SHA256). */
@Entity({ name: 'postback_secrets' })
export class PostbackSecretRow {
  @PrimaryColumn({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ type: 'text' }) secret: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

export const CONVERSION_ENTITIES = [ConversionRow, ConversionAdjustmentRow, PostbackSecretRow];
