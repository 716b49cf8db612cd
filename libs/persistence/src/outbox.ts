import { context, propagation } from '@opentelemetry/api';
import type { TopicEvents, TopicName } from '@prestanda/contracts';
import { EntityManager } from 'typeorm';
import { OutboxMessage } from './messaging.entities';

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
  const rows = items.map((item) => {
    const headers: Record<string, string> = { ...(item.headers ?? {}) };
    propagation.inject(context.active(), headers);
    return { topic: item.topic, key: item.key, payload: item.event as object, headers };
  });
  await manager.getRepository(OutboxMessage).insert(rows);
}

export function enqueueEvent<T extends TopicName>(manager: EntityManager, topic: T, key: string, event: TopicEvents[T], headers?: Record<string, string>): Promise<void> {
  return enqueueEvents(manager, [{ topic, key, event, headers } as OutboxItem]);
}
