import { Kafka, KafkaMessage } from 'kafkajs';
import { uniqueSuffix } from './test-env';

export interface ReadMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  json<T = unknown>(): T;
}

function toRead(topic: string, partition: number, m: KafkaMessage): ReadMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString() : String(v);
  const value = m.value ? m.value.toString('utf8') : null;
  return { topic, partition, offset: m.offset, key: m.key ? m.key.toString() : null, value, headers, json: <T>() => JSON.parse(value ?? 'null') as T };
}

/**
 * Reads a topic from the beginning in its own throwaway group and keeps everything it sees;
 * `messages` grows while the test runs. Stop it at the end of the test.
 */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private consumer;

  constructor(private readonly kafka: Kafka, private readonly topics: string[]) {
    this.consumer = kafka.consumer({ groupId: `test-reader-${uniqueSuffix()}`, sessionTimeout: 10000 });
  }

  static async start(kafka: Kafka, topics: string[]): Promise<TopicReader> {
    const reader = new TopicReader(kafka, topics);
    await reader.consumer.connect();
    await reader.consumer.subscribe({ topics, fromBeginning: true });
    await reader.consumer.run({ eachMessage: async ({ topic, partition, message }) => void reader.messages.push(toRead(topic, partition, message)) });
    return reader;
  }

  of(topic: string): ReadMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
