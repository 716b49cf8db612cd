import { bigintNumber } from '@prestanda/persistence';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';


/**
 * The gate's de-duplication: one row per event it accepted, keyed by (scope, kind, external
 * id). scope is the reporting integration (`source`) except for leads, which are
 * de-duplicated on leadId alone (scope `*`), as the lead contract promises. Card transactions
 * keep their purchase id, amount and currency so refunds and reversals can be checked
 * against their original. Never holds descriptors or any other free text from the payload.
 */
@Entity({ name: 'seen_events' })
@Index('IDX_ingestion_seen_events_purchase', ['scope', 'purchaseId'])
export class SeenEvent {
  @PrimaryColumn({ type: 'text' })
  scope: string;

  /** authorization, settlement, refund, reversal, impression, click, lead. */
  @PrimaryColumn({ type: 'text' })
  kind: string;

  /** transactionId / impressionId / clickId / leadId. */
  @PrimaryColumn({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ type: 'text' })
  source: string;

  /** eventId of the inbound event accepted. */
  @Column({ name: 'inbound_event_id', type: 'uuid' })
  inboundEventId: string;

  @Column({ name: 'purchase_id', type: 'text', nullable: true })
  purchaseId: string | null;

  @Column({ name: 'amount_minor', type: 'bigint', nullable: true, transformer: bigintNumber })
  amountMinor: number | null;

  @Column({ type: 'text', nullable: true })
  currency: string | null;

  @CreateDateColumn({ name: 'accepted_at', type: 'timestamptz' })
  acceptedAt: Date;
}
