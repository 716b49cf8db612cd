import type { TopicEvents, TopicName } from '@prestanda/contracts';
import { context, type Span } from '@opentelemetry/api';
import { endProducerSpans, injectTraceHeaders, startProducerSpan } from '@prestanda/observability';
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
    const destination = physicalTopic(topic);
    const spans: Span[] = [];
    const messages = items.map((i) => {
      const headers = { ...(i.headers ?? {}) };
      const span = startProducerSpan(`${destination} publish`, headers, { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': destination }, context.active());
      if (span) spans.push(span);
      else if (!headers.traceparent) injectTraceHeaders(headers);
      return { key: i.key, value: JSON.stringify(i.event), headers };
    });
    try {
      await this.producer.send({ topic: destination, acks: -1, messages });
    } catch (error) {
      endProducerSpans(spans, error);
      throw error;
    }
    endProducerSpans(spans);
  }

  /** Sends raw bytes (for malformed-input tests and replays of dead letters). */
  async sendRaw(topic: string, messages: { key?: string | null; value: string | Buffer | null; headers?: Record<string, string> }[]): Promise<void> {
    await this.producer.send({ topic: physicalTopic(topic), acks: -1, messages });
  }
}
