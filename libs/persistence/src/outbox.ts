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
  const topics: string[] = [];
  const keys: string[] = [];
  const payloads: string[] = [];
  const headerSets: string[] = [];
  for (const item of items) {
    const headers: Record<string, string> = { ...(item.headers ?? {}) };
    propagation.inject(context.active(), headers);
    topics.push(item.topic);
    keys.push(item.key);
    payloads.push(JSON.stringify(item.event));
    headerSets.push(JSON.stringify(headers));
  }
  // One statement, parameters only: this runs for every event every service publishes, and
  // TypeORM's insert builder costs more CPU than the round trip.
  await manager.query(
    `INSERT INTO "${schema}"."outbox" ("topic", "message_key", "payload", "headers")
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[])`,
    [topics, keys, payloads, headerSets],
  );
}

export function enqueueEvent<T extends TopicName>(manager: EntityManager, topic: T, key: string, event: TopicEvents[T], headers?: Record<string, string>): Promise<void> {
  return enqueueEvents(manager, [{ topic, key, event, headers } as OutboxItem]);
}
