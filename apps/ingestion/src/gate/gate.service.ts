import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CardTransactionAuthorizedV1,
  CardTransactionRefundedV1,
  CardTransactionReversedV1,
  CardTransactionSettledV1,
  ClickRecordedV1,
  ImpressionRecordedV1,
  LeadRecordedV1,
  newEnvelope,
  Topic,
  validateEvent,
  type CanonicalTopicName,
  type TopicEvents,
} from '@prestanda/contracts';
import { metricsRegistry } from '@prestanda/observability';
import { PermanentError, type OutboxItem } from '@prestanda/persistence';
import { Counter } from 'prom-client';
import { EntityManager } from 'typeorm';
import { INGESTION_CONFIG, type IngestionEnv } from '../config';
import { assertAmountSane, assertNotInFuture, assertOriginal, GateRefusal, type KnownOriginal, type TransactionKind } from './checks';
import { normaliseDescriptor } from './descriptor';

export type InboundTopic = 'inbound.card-transactions' | 'inbound.impressions' | 'inbound.clicks' | 'inbound.leads';
export const INBOUND_TOPICS: readonly InboundTopic[] = [Topic.InboundCardTransactions, Topic.InboundImpressions, Topic.InboundClicks, Topic.InboundLeads];
export type GatePath = 'kafka' | 'http';
export type Admission = 'accepted' | 'duplicate';
type Publish = (items: OutboxItem[]) => Promise<void>;

export const gateEvents =
  (metricsRegistry.getSingleMetric('prestanda_ingestion_events_total') as Counter<'topic' | 'outcome' | 'path'> | undefined) ??
  new Counter({
    name: 'prestanda_ingestion_events_total',
    help: 'Inbound events seen by the gate, by outcome (accepted, duplicate, refused) and path (kafka, http). Kafka refusals are counted by prestanda_consumer_messages_total{outcome="dead-lettered"}.',
    labelNames: ['topic', 'outcome', 'path'],
    registers: [metricsRegistry],
  });

const KIND_OF_TYPE: Record<TopicEvents['inbound.card-transactions']['type'], TransactionKind> = {
  'card-transaction.authorization': 'authorization',
  'card-transaction.settlement': 'settlement',
  'card-transaction.refund': 'refund',
  'card-transaction.reversal': 'reversal',
};

const CANONICAL_OF_KIND = {
  authorization: CardTransactionAuthorizedV1,
  settlement: CardTransactionSettledV1,
  refund: CardTransactionRefundedV1,
  reversal: CardTransactionReversedV1,
} as const;

/** Leads are de-duplicated on leadId alone (the lead contract's promise), whoever reports them. */
const LEAD_SCOPE = '*';

/** A UUID derived from the de-duplication key: the canonical event of one inbound fact always has the same eventId. */
export function canonicalEventId(scope: string, kind: string, externalId: string): string {
  const h = createHash('sha256').update(`prestanda-ingestion\u0000${scope}\u0000${kind}\u0000${externalId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

interface SeenKey {
  scope: string;
  kind: string;
  externalId: string;
  source: string;
  inboundEventId: string;
  purchaseId?: string;
  amountMinor?: number;
  currency?: string;
}

/**
 * The ingestion gate: the checks the schema cannot make, normalisation, de-duplication on the
 * integration's own id, and the canonical event into the outbox, all in the caller's
 * transaction. The Kafka consumer and the HTTP controller both call `admit`; nothing else
 * decides what enters.
 */
@Injectable()
export class GateService {
  constructor(@Inject(INGESTION_CONFIG) private readonly config: IngestionEnv) {}

  /**
   * Admits one inbound event that already passed its contract's schema (and PAN) validation.
   * Throws GateRefusal (a PermanentError) when it must be refused; returns 'duplicate' when
   * the same fact was accepted before (nothing is published).
   */
  async admit<T extends InboundTopic>(topic: T, event: TopicEvents[T], manager: EntityManager, publish: Publish, path: GatePath, now = new Date()): Promise<Admission> {
    const tolerance = this.config.INGESTION_FUTURE_TOLERANCE_SECONDS;
    assertNotInFuture(event.occurredAt, 'occurredAt', now, tolerance);
    let outcome: Admission;
    switch (topic) {
      case Topic.InboundCardTransactions:
        outcome = await this.cardTransaction(event as TopicEvents['inbound.card-transactions'], manager, publish, now);
        break;
      case Topic.InboundImpressions:
        outcome = await this.impression(event as TopicEvents['inbound.impressions'], manager, publish, now);
        break;
      case Topic.InboundClicks:
        outcome = await this.click(event as TopicEvents['inbound.clicks'], manager, publish, now);
        break;
      case Topic.InboundLeads:
        outcome = await this.lead(event as TopicEvents['inbound.leads'], manager, publish, now);
        break;
      default:
        throw new PermanentError(`ingestion does not handle ${topic}`);
    }
    gateEvents.inc({ topic, outcome, path });
    return outcome;
  }

  private async cardTransaction(event: TopicEvents['inbound.card-transactions'], manager: EntityManager, publish: Publish, now: Date): Promise<Admission> {
    const d = event.data;
    const kind = KIND_OF_TYPE[event.type];
    assertNotInFuture(d.transactionAt, 'data.transactionAt', now, this.config.INGESTION_FUTURE_TOLERANCE_SECONDS);
    const currency = assertAmountSane(d.amount, 'data.amount');
    const original = d.originalTransactionId ? await this.findOriginal(manager, event.source, d.originalTransactionId) : undefined;
    assertOriginal(kind, d.amount, original);
    const purchaseId = original?.purchaseId ?? `${event.source}:${d.originalTransactionId ?? d.transactionId}`;
    if (purchaseId.length > 128) throw new GateRefusal('id-too-long', 'source plus data.transactionId (or data.originalTransactionId) exceed 127 characters', 'data.transactionId');

    const key: SeenKey = { scope: event.source, kind, externalId: d.transactionId, source: event.source, inboundEventId: event.eventId, purchaseId, amountMinor: d.amount.amountMinor, currency };
    if (!(await this.remember(manager, key))) return 'duplicate';

    // One data shape for the four kinds (refunds and reversals carry originalTransactionId, checked above); the descriptor sets type.
    const descriptor = CANONICAL_OF_KIND[kind] as typeof CardTransactionAuthorizedV1;
    const canonical = newEnvelope(descriptor, {
      eventId: canonicalEventId(key.scope, kind, key.externalId),
      source: 'ingestion',
      occurredAt: event.occurredAt,
      data: {
        ...d,
        amount: { amountMinor: d.amount.amountMinor, currency: currency as typeof d.amount.currency },
        merchant: { ...d.merchant, normalisedDescriptor: normaliseDescriptor(d.merchant.descriptor, d.merchant) },
        bankSource: event.source,
        purchaseId,
        inboundEventId: event.eventId,
      },
    });
    await this.publish(publish, Topic.CardTransactions, d.customerId, canonical as TopicEvents['card-transactions']);
    return 'accepted';
  }

  private impression(event: TopicEvents['inbound.impressions'], manager: EntityManager, publish: Publish, now: Date): Promise<Admission> {
    const d = event.data;
    return this.touchpoint(event, { kind: 'impression', scope: event.source, externalId: d.impressionId, topic: Topic.Impressions, key: d.customerId }, manager, publish, now, (data) =>
      newEnvelope(ImpressionRecordedV1, { eventId: data.eventId, source: 'ingestion', occurredAt: event.occurredAt, data: { ...d, ...data.canonical } }),
    );
  }

  private click(event: TopicEvents['inbound.clicks'], manager: EntityManager, publish: Publish, now: Date): Promise<Admission> {
    const d = event.data;
    return this.touchpoint(event, { kind: 'click', scope: event.source, externalId: d.clickId, topic: Topic.Clicks, key: d.customerId }, manager, publish, now, (data) =>
      newEnvelope(ClickRecordedV1, { eventId: data.eventId, source: 'ingestion', occurredAt: event.occurredAt, data: { ...d, ...data.canonical } }),
    );
  }

  /** Leads are de-duplicated on the lead id whoever reports them (the lead contract's rule). */
  private lead(event: TopicEvents['inbound.leads'], manager: EntityManager, publish: Publish, now: Date): Promise<Admission> {
    const d = event.data;
    return this.touchpoint(event, { kind: 'lead', scope: LEAD_SCOPE, externalId: d.leadId, topic: Topic.Leads, key: d.customerId ?? d.leadId }, manager, publish, now, (data) =>
      newEnvelope(LeadRecordedV1, { eventId: data.eventId, source: 'ingestion', occurredAt: event.occurredAt, data: { ...d, ...data.canonical } }),
    );
  }

  /**
   * Impressions, clicks and leads take the same path: a time check, de-duplication on the
   * reporter's id, then the canonical event (its id derived from the de-duplication key).
   */
  private async touchpoint<T extends 'impressions' | 'clicks' | 'leads'>(
    event: { eventId: string; source: string; data: { at: string } },
    spec: { kind: SeenKey['kind']; scope: string; externalId: string; topic: T; key: string },
    manager: EntityManager,
    publish: Publish,
    now: Date,
    build: (ids: { eventId: string; canonical: { reportedBy: string; inboundEventId: string } }) => TopicEvents[T],
  ): Promise<Admission> {
    assertNotInFuture(event.data.at, 'data.at', now, this.config.INGESTION_FUTURE_TOLERANCE_SECONDS);
    const key: SeenKey = { scope: spec.scope, kind: spec.kind, externalId: spec.externalId, source: event.source, inboundEventId: event.eventId };
    if (!(await this.remember(manager, key))) return 'duplicate';
    const canonical = build({ eventId: canonicalEventId(key.scope, key.kind, key.externalId), canonical: { reportedBy: event.source, inboundEventId: event.eventId } });
    await this.publish(publish, spec.topic, spec.key, canonical);
    return 'accepted';
  }

  /** Records the key; false when it was already there (a duplicate). Concurrent inserts of one key serialize on the primary key. */
  private async remember(manager: EntityManager, k: SeenKey): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO "ingestion"."seen_events" ("scope", "kind", "external_id", "source", "inbound_event_id", "purchase_id", "amount_minor", "currency")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [k.scope, k.kind, k.externalId, k.source, k.inboundEventId, k.purchaseId ?? null, k.amountMinor ?? null, k.currency ?? null],
    );
    return rows.length > 0;
  }

  /** The accepted settlement (the cleared amount, preferred) or authorization of this source with that transaction id. */
  private async findOriginal(manager: EntityManager, source: string, transactionId: string): Promise<KnownOriginal | undefined> {
    // One round trip: the original and what has been refunded of its purchase so far.
    const rows: { purchase_id: string | null; amount_minor: string | null; currency: string | null; refunded: string }[] = await manager.query(
      `SELECT s."purchase_id", s."amount_minor", s."currency",
              (SELECT COALESCE(SUM(r."amount_minor"), 0) FROM "ingestion"."seen_events" r
                WHERE r."scope" = $1 AND r."kind" = 'refund' AND r."purchase_id" = s."purchase_id")::text AS "refunded"
       FROM "ingestion"."seen_events" s
       WHERE s."scope" = $1 AND s."kind" IN ('authorization', 'settlement') AND s."external_id" = $2
       ORDER BY s."kind" DESC LIMIT 1`,
      [source, transactionId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { purchaseId: row.purchase_id, amountMinor: row.amount_minor === null ? null : Number(row.amount_minor), currency: row.currency, refundedMinor: Number(row.refunded) };
  }

  /** Publishes through the outbox, after checking the canonical event against its own contract (a gate bug must not leak downstream). */
  private async publish<T extends CanonicalTopicName>(publish: Publish, topic: T, key: string, event: TopicEvents[T]): Promise<void> {
    const check = validateEvent(topic, event);
    if (!check.ok) throw new PermanentError(`canonical-invalid: the canonical event would be invalid (${check.reason})`, check.field);
    await publish([{ topic, key, event } as OutboxItem]);
  }
}
