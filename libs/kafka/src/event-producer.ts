import type { TopicEvents, TopicName } from '@prestanda/contracts';
import { injectTraceHeaders } from '@prestanda/observability';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { physicalTopic } from './topic-names';

/**
 * Typed direct producer, for integrations, the load generator and tests: producing the wrong
 * payload to a topic does not compile. Services publish through the outbox instead.
 */
export class EventProducer {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Sends a batch to one topic with acks from all in-sync replicas. */
  async send<T extends TopicName>(topic: T, items: { key: string; event: TopicEvents[T]; headers?: Record<string, string> }[]): Promise<void> {
    if (items.length === 0) return;
    await this.producer.send({
      topic: physicalTopic(topic),
      acks: -1,
      messages: items.map((i) => ({ key: i.key, value: JSON.stringify(i.event), headers: injectTraceHeaders({ ...(i.headers ?? {}) }) })),
    });
  }

  /** Sends raw bytes (for malformed-input tests and replays of dead letters). */
  async sendRaw(topic: string, messages: { key?: string | null; value: string | Buffer | null; headers?: Record<string, string> }[]): Promise<void> {
    await this.producer.send({ topic: physicalTopic(topic), acks: -1, messages });
  }
}
