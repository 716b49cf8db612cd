import { Inject, Injectable } from '@nestjs/common';
import {
  CardTransactionAuthorizedV1,
  CardTransactionRefundedV1,
  CardTransactionReversedV1,
  CardTransactionSettledV1,
  ClickRecordedV1,
  ImpressionRecordedV1,
  LeadRecordedV1,
  nameBasedUuid,
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
import { keyOf, lookupSeen, originalKey, rememberSeen, type SeenKey } from './gate.repository';

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
  return nameBasedUuid(`prestanda-ingestion\u0000${scope}\u0000${kind}\u0000${externalId}`);
}


/** An event the gate decided to let in, pending its de-duplication row. */
interface Planned {
  index: number;
  key: SeenKey;
  topic: CanonicalTopicName;
  partitionKey: string;
  build: () => TopicEvents[CanonicalTopicName];
}


/**
 * The ingestion gate: the checks the schema cannot make, normalisation, de-duplication on the
 * integration's own id, and the canonical event into the outbox, all in the caller's
 * transaction. The Kafka consumer (a chunk at a time) and the HTTP controller (one event) both
 * call `admitAll`; nothing else decides what enters.
 *
 * A chunk costs a fixed number of round trips whatever its size: one read of what is already
 * known (duplicates, originals and their refunds so far), one multi-row INSERT of the
 * de-duplication keys, one outbox INSERT. Within the chunk the events are decided in order, so
 * a refund may name an authorization earlier in the same chunk, and two partial refunds in one
 * chunk are checked together against the original.
 */
@Injectable()
export class GateService {
  constructor(@Inject(INGESTION_CONFIG) private readonly config: IngestionEnv) {}

  /** Admits one inbound event (the HTTP path); see `admitAll`. */
  async admit<T extends InboundTopic>(topic: T, event: TopicEvents[T], manager: EntityManager, publish: Publish, path: GatePath, now = new Date()): Promise<Admission> {
    const [outcome] = await this.admitAll(topic, [event], manager, publish, path, now);
    return outcome;
  }

  /**
   * Admits inbound events of one topic, in order, that already passed their contract's schema
   * (and PAN) validation. Throws GateRefusal (a PermanentError) when one must be refused — the
   * caller's transaction then holds nothing of the batch (the consumer retries the chunk one
   * event at a time, so only the refused one is dead-lettered). Returns, per event, 'accepted'
   * or 'duplicate' (the same fact was accepted before; nothing is published for it).
   */
  async admitAll<T extends InboundTopic>(topic: T, events: TopicEvents[T][], manager: EntityManager, publish: Publish, path: GatePath, now = new Date()): Promise<Admission[]> {
    const tolerance = this.config.INGESTION_FUTURE_TOLERANCE_SECONDS;
    for (const event of events) assertNotInFuture(event.occurredAt, 'occurredAt', now, tolerance);
    let plans: Planned[];
    switch (topic) {
      case Topic.InboundCardTransactions:
        plans = await this.cardTransactions(events as TopicEvents['inbound.card-transactions'][], manager, now);
        break;
      case Topic.InboundImpressions:
        plans = (events as TopicEvents['inbound.impressions'][]).map((e, i) => this.impression(e, i, now));
        plans = await this.withoutKnown(manager, plans);
        break;
      case Topic.InboundClicks:
        plans = (events as TopicEvents['inbound.clicks'][]).map((e, i) => this.click(e, i, now));
        plans = await this.withoutKnown(manager, plans);
        break;
      case Topic.InboundLeads:
        plans = (events as TopicEvents['inbound.leads'][]).map((e, i) => this.lead(e, i, now));
        plans = await this.withoutKnown(manager, plans);
        break;
      default:
        throw new PermanentError(`ingestion does not handle ${topic}`);
    }
    const accepted = await rememberSeen(manager, plans.map((p) => p.key));
    const outbox: OutboxItem[] = [];
    for (const plan of plans) {
      if (!accepted.has(keyOf(plan.key))) continue;
      const event = plan.build();
      // A gate bug must not leak downstream: the canonical event is checked against its own contract.
      const check = validateEvent(plan.topic, event);
      if (!check.ok) throw new PermanentError(`canonical-invalid: the canonical event would be invalid (${check.reason})`, check.field);
      outbox.push({ topic: plan.topic, key: plan.partitionKey, event } as OutboxItem);
    }
    if (outbox.length > 0) await publish(outbox);
    const outcomes: Admission[] = events.map(() => 'duplicate');
    for (const plan of plans) if (accepted.has(keyOf(plan.key))) outcomes[plan.index] = 'accepted';
    for (const outcome of outcomes) gateEvents.inc({ topic, outcome, path });
    return outcomes;
  }

  /**
   * Card transactions, decided in order against what the database knows (read once for the
   * chunk) plus what this chunk accepted before them.
   */
  private async cardTransactions(events: TopicEvents['inbound.card-transactions'][], manager: EntityManager, now: Date): Promise<Planned[]> {
    const tolerance = this.config.INGESTION_FUTURE_TOLERANCE_SECONDS;
    const keys: SeenKey[] = [];
    for (const event of events) {
      const d = event.data;
      assertNotInFuture(d.transactionAt, 'data.transactionAt', now, tolerance);
      assertAmountSane(d.amount, 'data.amount');
      keys.push({ scope: event.source, kind: KIND_OF_TYPE[event.type], externalId: d.transactionId, source: event.source, inboundEventId: event.eventId });
    }
    const originalsWanted = events.filter((e) => e.data.originalTransactionId).map((e) => ({ scope: e.source, externalId: e.data.originalTransactionId! }));
    const { known, originals } = await lookupSeen(manager, keys, originalsWanted);
    // What this chunk adds as it goes: keys taken, originals accepted, refunds accepted per purchase.
    const taken = new Set<string>();
    const chunkOriginals = new Map<string, KnownOriginal & { kind: TransactionKind }>();
    const chunkRefunds = new Map<string, number>();
    const plans: Planned[] = [];
    events.forEach((event, index) => {
      const d = event.data;
      const key = keys[index];
      const k = keyOf(key);
      if (known.has(k) || taken.has(k)) return; // the same fact again: a duplicate, no second event
      const currency = d.amount.currency.toUpperCase();
      let original: KnownOriginal | undefined;
      if (d.originalTransactionId) {
        const ok = originalKey(event.source, d.originalTransactionId);
        // The database's original was accepted first; this chunk's stands in when there is none (a settlement is preferred to its authorization).
        const fromDb = originals.get(ok);
        const fromChunk = chunkOriginals.get(ok);
        const base = fromDb ?? fromChunk;
        if (base) {
          const purchaseRefunds = base.purchaseId ? chunkRefunds.get(originalKey(event.source, base.purchaseId)) ?? 0 : 0;
          original = { ...base, refundedMinor: (base.refundedMinor ?? 0) + purchaseRefunds };
        }
      }
      assertOriginal(key.kind as TransactionKind, d.amount, original);
      const purchaseId = original?.purchaseId ?? `${event.source}:${d.originalTransactionId ?? d.transactionId}`;
      if (purchaseId.length > 128) throw new GateRefusal('id-too-long', 'source plus data.transactionId (or data.originalTransactionId) exceed 127 characters', 'data.transactionId');
      key.purchaseId = purchaseId;
      key.amountMinor = d.amount.amountMinor;
      key.currency = currency;
      taken.add(k);
      const kind = key.kind as TransactionKind;
      if (kind === 'authorization' || kind === 'settlement') {
        const ok = originalKey(event.source, d.transactionId);
        const prior = chunkOriginals.get(ok);
        if (!prior || (prior.kind === 'authorization' && kind === 'settlement')) {
          chunkOriginals.set(ok, { kind, purchaseId, amountMinor: d.amount.amountMinor, currency, refundedMinor: 0 });
        }
      }
      if (kind === 'refund') {
        const pk = originalKey(event.source, purchaseId);
        chunkRefunds.set(pk, (chunkRefunds.get(pk) ?? 0) + d.amount.amountMinor);
      }
      plans.push({
        index,
        key,
        topic: Topic.CardTransactions,
        partitionKey: d.customerId,
        build: () => {
          // One data shape for the four kinds (refunds and reversals carry originalTransactionId, checked above); the descriptor sets type.
          const descriptor = CANONICAL_OF_KIND[kind] as typeof CardTransactionAuthorizedV1;
          return newEnvelope(descriptor, {
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
          }) as TopicEvents['card-transactions'];
        },
      });
    });
    return plans;
  }

  private impression(event: TopicEvents['inbound.impressions'], index: number, now: Date): Planned {
    const d = event.data;
    return this.touchpoint(event, index, { kind: 'impression', scope: event.source, externalId: d.impressionId, topic: Topic.Impressions, key: d.customerId }, now, (ids) =>
      newEnvelope(ImpressionRecordedV1, { eventId: ids.eventId, source: 'ingestion', occurredAt: event.occurredAt, data: { ...d, ...ids.canonical } }),
    );
  }

  private click(event: TopicEvents['inbound.clicks'], index: number, now: Date): Planned {
    const d = event.data;
    return this.touchpoint(event, index, { kind: 'click', scope: event.source, externalId: d.clickId, topic: Topic.Clicks, key: d.customerId }, now, (ids) =>
      newEnvelope(ClickRecordedV1, { eventId: ids.eventId, source: 'ingestion', occurredAt: event.occurredAt, data: { ...d, ...ids.canonical } }),
    );
  }

  /** Leads are de-duplicated on the lead id whoever reports them (the lead contract's rule). */
  private lead(event: TopicEvents['inbound.leads'], index: number, now: Date): Planned {
    const d = event.data;
    return this.touchpoint(event, index, { kind: 'lead', scope: LEAD_SCOPE, externalId: d.leadId, topic: Topic.Leads, key: d.customerId ?? d.leadId }, now, (ids) =>
      newEnvelope(LeadRecordedV1, { eventId: ids.eventId, source: 'ingestion', occurredAt: event.occurredAt, data: { ...d, ...ids.canonical } }),
    );
  }

  /**
   * Impressions, clicks and leads take the same path: a time check, de-duplication on the
   * reporter's id, then the canonical event (its id derived from the de-duplication key).
   */
  private touchpoint<T extends 'impressions' | 'clicks' | 'leads'>(
    event: { eventId: string; source: string; data: { at: string } },
    index: number,
    spec: { kind: SeenKey['kind']; scope: string; externalId: string; topic: T; key: string },
    now: Date,
    build: (ids: { eventId: string; canonical: { reportedBy: string; inboundEventId: string } }) => TopicEvents[T],
  ): Planned {
    assertNotInFuture(event.data.at, 'data.at', now, this.config.INGESTION_FUTURE_TOLERANCE_SECONDS);
    const key: SeenKey = { scope: spec.scope, kind: spec.kind, externalId: spec.externalId, source: event.source, inboundEventId: event.eventId };
    return {
      index,
      key,
      topic: spec.topic,
      partitionKey: spec.key,
      build: () => build({ eventId: canonicalEventId(key.scope, key.kind, key.externalId), canonical: { reportedBy: event.source, inboundEventId: event.eventId } }),
    };
  }

  /** Drops the plans whose key the database or an earlier plan of the batch already holds. */
  private async withoutKnown(manager: EntityManager, plans: Planned[]): Promise<Planned[]> {
    const { known } = await lookupSeen(
      manager,
      plans.map((p) => p.key),
      [],
    );
    const taken = new Set<string>();
    return plans.filter((p) => {
      const k = keyOf(p.key);
      if (known.has(k) || taken.has(k)) return false;
      taken.add(k);
      return true;
    });
  }
}
