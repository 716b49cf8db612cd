import { randomUUID } from 'node:crypto';
import type { AnyEventDescriptor, DataOf } from './descriptor';

/** The schema version every event type currently has. */
export const CURRENT_SCHEMA_VERSION = 1;

/**
 * Every event on every topic is a JSON object of this shape. Trace context is NOT here: it
 * travels in Kafka headers (W3C `traceparent` / `tracestate`).
 */
export interface EventEnvelope<TType extends string = string, TData = unknown, TVersion extends number = number> {
  /** UUID, unique per event; consumers de-duplicate on it. */
  readonly eventId: string;
  /** What happened, `<entity>.<fact>`: `card-transaction.authorization`, `reward.earned`. */
  readonly type: TType;
  /** Version of the `data` schema for this `type`. */
  readonly schemaVersion: TVersion;
  /** When the fact happened in the real world (business time), ISO 8601 date-time. */
  readonly occurredAt: string;
  /** When this message was produced, ISO 8601 date-time. */
  readonly producedAt: string;
  /** Who produced it: a Prestanda service name (`ingestion`) or an integration id (`bank-nordea-se`). */
  readonly source: string;
  readonly data: TData;
}

/** The envelope type of a descriptor: `EnvelopeOf<typeof RewardEarnedV1>`. */
export type EnvelopeOf<D extends AnyEventDescriptor> = EventEnvelope<D['type'], DataOf<D>, D['schemaVersion']>;

export interface NewEnvelopeInit<TData> {
  readonly data: TData;
  readonly source: string;
  /** Business time of the fact. */
  readonly occurredAt: string | Date;
  /** Defaults to a random UUID. Pass a deterministic one to make a re-publish idempotent. */
  readonly eventId?: string;
  /** Defaults to now. */
  readonly producedAt?: string | Date;
}

const iso = (value: string | Date): string => (typeof value === 'string' ? value : value.toISOString());

/**
 * Wraps `data` for `descriptor`: fills `type` and `schemaVersion` from the descriptor,
 * `eventId` (crypto.randomUUID) and `producedAt` (now) unless given.
 */
export function newEnvelope<D extends AnyEventDescriptor>(descriptor: D, init: NewEnvelopeInit<DataOf<D>>): EnvelopeOf<D> {
  return {
    eventId: init.eventId ?? randomUUID(),
    type: descriptor.type,
    schemaVersion: descriptor.schemaVersion,
    occurredAt: iso(init.occurredAt),
    producedAt: iso(init.producedAt ?? new Date()),
    source: init.source,
    data: init.data,
  } as EnvelopeOf<D>;
}
