import { context, propagation } from '@opentelemetry/api';
import type { TopicEvents, TopicName } from '@prestanda/contracts';
import { EntityManager } from 'typeorm';

export interface OutboxItem<T extends TopicName = TopicName> {
  topic: T;
  /** The partition key: customer id, campaign id or advertiser id (see libs/contracts topics). */
  key: string;
  event: TopicEvents[T];
  headers?: Record<string, string>;
}

/**
 * Records events to publish in the caller's transaction. Nothing reaches Kafka unless the
 * transaction commits; the relay publishes what committed. The active trace context is
 * captured here so the consumer's span links to the producer's.
 */
export async function enqueueEvents(manager: EntityManager, items: OutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  const schema = (manager.connection.options as { schema?: string }).schema;
  const rows = outboxRows(items);
  // One statement with one JSON parameter: this runs for every event every service publishes.
  // TypeORM's insert builder, and pg's escaping of a text[] of JSON documents, cost more CPU
  // than PostgreSQL's own JSON parser. Ids follow the items' order (WITH ORDINALITY).
  await manager.query(
    `INSERT INTO "${schema}"."outbox" ("topic", "message_key", "payload", "headers")
     SELECT x.value->>'t', x.value->>'k', x.value->'p', x.value->'h' FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(value, n) ORDER BY x.n`,
    [JSON.stringify(rows)],
  );
}

export function enqueueEvent<T extends TopicName>(manager: EntityManager, topic: T, key: string, event: TopicEvents[T], headers?: Record<string, string>): Promise<void> {
  return enqueueEvents(manager, [{ topic, key, event, headers } as OutboxItem]);
}

/**
 * One write and its events in ONE statement (`WITH w AS (<write>) INSERT INTO outbox …`): atomic
 * without a transaction, one round trip. For hot paths that write a single row (the affiliate
 * redirect records a click before it answers). `write` must be an INSERT/UPDATE/DELETE whose
 * parameters are `$1..$n`; the events take the next parameter.
 */
export async function writeWithEvents(manager: EntityManager, write: string, params: unknown[], items: OutboxItem[]): Promise<void> {
  if (items.length === 0) {
    await manager.query(write, params);
    return;
  }
  const schema = (manager.connection.options as { schema?: string }).schema;
  const rows = outboxRows(items);
  await manager.query(
    `WITH w AS (${write})
     INSERT INTO "${schema}"."outbox" ("topic", "message_key", "payload", "headers")
     SELECT x.value->>'t', x.value->>'k', x.value->'p', x.value->'h' FROM jsonb_array_elements($${params.length + 1}::jsonb) WITH ORDINALITY AS x(value, n) ORDER BY x.n`,
    [...params, JSON.stringify(rows)],
  );
}

/** Outbox rows with the active trace context captured in their headers. */
function outboxRows(items: OutboxItem[]): { t: string; k: string; p: unknown; h: Record<string, string> }[] {
  return items.map((item) => {
    const headers: Record<string, string> = { ...(item.headers ?? {}) };
    propagation.inject(context.active(), headers);
    return { t: item.topic, k: item.key, p: item.event, h: headers };
  });
}
