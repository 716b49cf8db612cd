import { sealedSecret } from '@prestanda/persistence';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type Locale = 'sv' | 'en';
export type RecipientKind = 'bank' | 'affiliate' | 'advertiser';
export type Channel = 'webhook' | 'email';
/** pending → sending → delivered | pending (retry) | failed (4xx, never retried) | dead (attempts exhausted); skipped never sends. */
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'dead' | 'skipped';

const intOrNull = { to: (v: number | null | undefined) => v, from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)) };

/** Who notification talks to, and how: a bank/affiliate webhook, an advertiser's e-mail (and optional webhook). Owned here. */
@Entity({ name: 'recipients' })
export class Recipient {
  @PrimaryColumn({ type: 'text' })
  kind!: RecipientKind;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  /** Sealed at rest with SECRETS_KEY (libs/persistence secret-box). */
  @Column({ name: 'webhook_secret', type: 'text', nullable: true, transformer: sealedSecret })
  webhookSecret!: string | null;

  /** The secret before the last rotation: webhooks are signed with both until previousSecretUntil. Sealed like webhookSecret. */
  @Column({ name: 'previous_webhook_secret', type: 'text', nullable: true, transformer: sealedSecret })
  previousWebhookSecret!: string | null;

  @Column({ name: 'previous_secret_until', type: 'timestamptz', nullable: true })
  previousSecretUntil!: Date | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'default_locale', type: 'text', default: 'sv' })
  defaultLocale!: Locale;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/**
 * A customer's own choices: locale and opt-outs per channel. A customer is (bank, customer id): two
 * banks can both have a "c-1001", and one's choices never apply to the other.
 */
@Entity({ name: 'preferences' })
export class CustomerPreference {
  /**
   * The customer's bank (its integration source, as in purchase ids "<bank>:<txn>"). '' for rows from
   * before preferences were per bank whose bank could not be told from any delivery: they apply to no bank.
   */
  @PrimaryColumn({ name: 'bank_source', type: 'text' })
  bankSource!: string;

  @PrimaryColumn({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ type: 'text', nullable: true })
  locale!: Locale | null;

  @Column({ name: 'opt_out_webhook', type: 'boolean', default: false })
  optOutWebhook!: boolean;

  @Column({ name: 'opt_out_email', type: 'boolean', default: false })
  optOutEmail!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** Read model of `campaigns`: names for messages, and the last status (to tell an advertiser once when a campaign ends). */
@Entity({ name: 'campaign_names' })
export class CampaignName {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' })
  campaignId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'campaign_name', type: 'text' })
  campaignName!: string;

  @Column({ name: 'advertiser_name', type: 'text' })
  advertiserName!: string;

  @Column({ name: 'merchant_name', type: 'text' })
  merchantName!: string;

  /** The campaign's status in the held snapshot; null for rows written before the column existed. */
  @Column({ type: 'text', nullable: true })
  status!: string | null;
}

/** One notification: exactly one per (source event, recipient, channel). */
@Entity({ name: 'deliveries' })
@Unique('UQ_deliveries_event_recipient_channel', ['sourceEventId', 'recipientKind', 'recipientId', 'channel'])
@Index('IDX_deliveries_due', ['status', 'nextAttemptAt'])
@Index('IDX_deliveries_recipient', ['recipientId', 'createdAt'])
export class Delivery {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'source_event_id', type: 'uuid' })
  sourceEventId!: string;

  @Column({ name: 'source_event_type', type: 'text' })
  sourceEventType!: string;

  @Column({ name: 'recipient_kind', type: 'text' })
  recipientKind!: RecipientKind;

  @Column({ name: 'recipient_id', type: 'text' })
  recipientId!: string;

  @Column({ type: 'text' })
  channel!: Channel;

  /** "<name>.<locale>", e.g. reward-earned.sv */
  @Column({ type: 'text' })
  template!: string;

  /** The customer the message is about (reward notifications), for the log. */
  @Index('IDX_deliveries_customer')
  @Column({ name: 'customer_id', type: 'text', nullable: true })
  customerId!: string | null;

  /** That customer's bank (the purchase's source): with customer_id, who the customer is. Null when not about a customer. */
  @Column({ name: 'customer_bank', type: 'text', nullable: true })
  customerBank!: string | null;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ name: 'skip_reason', type: 'text', nullable: true })
  skipReason!: string | null;

  /** What is sent: webhook JSON body, or { subject, text } for e-mail. Fixed at enqueue; replays send the same. */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** Attempts over the delivery's whole life (replays included). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Attempts since the last (re)start; bounded by DISPATCH_MAX_ATTEMPTS. */
  @Column({ name: 'run_attempts', type: 'integer', default: 0 })
  runAttempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true, transformer: intOrNull })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** Every attempt, successful or not. */
@Entity({ name: 'delivery_attempts' })
@Index('IDX_delivery_attempts_delivery', ['deliveryId', 'attempt'])
export class DeliveryAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'delivery_id', type: 'text' })
  deliveryId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs!: number;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** delivered | retry | failed | dead */
  @Column({ type: 'text' })
  outcome!: string;
}


/**
 * Read model of `conversions` (affiliate sales): the commission recorded, so a reversal's message
 * can say what remains of it. Written once per sale (the first conversion.recorded wins).
 */
@Entity({ name: 'affiliate_commissions' })
export class AffiliateCommission {
  @PrimaryColumn({ name: 'conversion_id', type: 'text' })
  conversionId!: string;

  @Column({ name: 'publisher_id', type: 'text' })
  publisherId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'recorded_minor', type: 'bigint', transformer: intOrNull })
  recordedMinor!: number;
}

/** Each reversal of an affiliate sale, once per reversal id: the publisher is told about a reversal once, whatever event id it came under. */
@Entity({ name: 'affiliate_commission_reversals' })
@Index('IDX_affiliate_commission_reversals_conversion', ['conversionId'])
export class AffiliateCommissionReversal {
  @PrimaryColumn({ name: 'reversal_id', type: 'text' })
  reversalId!: string;

  @Column({ name: 'conversion_id', type: 'text' })
  conversionId!: string;

  @Column({ name: 'reversed_minor', type: 'bigint', transformer: intOrNull })
  reversedMinor!: number;
}
