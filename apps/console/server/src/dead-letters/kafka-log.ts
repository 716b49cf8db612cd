import { randomUUID } from 'node:crypto';
import { ensureTopics } from '@prestanda/kafka';
import { type Admin, type IHeaders, type Kafka, type KafkaMessage, Partitioners, type Producer } from 'kafkajs';
import { AUDIT_TOPIC, AUDIT_TOPIC_CONFIG, type AuditEntry, deadLetterTopicNames, type PartitionRange, topicSummary, type DeadLetterTopic } from './dead-letters';

/** How long one read of an offset range may take before it is given up (the broker is slow or gone). */
const READ_TIMEOUT_MS = 15_000;

/**
 * The console server's Kafka access for dead letters: topic offsets through the admin API, offset
 * ranges read by a throwaway consumer that never commits (its group has no offsets, so it is gone
 * when it disconnects and disturbs no service's group), and a producer (acks from every in-sync
 * replica) for replays and the audit topic. Topic names here are physical
 * (with KAFKA_TOPIC_PREFIX); callers name them without it.
 */
export class KafkaLog {
  private admin?: Promise<Admin>;
  private producer?: Promise<Producer>;
  private auditReady?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    readonly prefix: string,
  ) {}

  physical(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((e: unknown) => {
      this.admin = undefined;
      throw e;
    });
    return this.admin;
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      // Every write names its partition (the one the message came from); the partitioner is never asked.
      // Not idempotent: that needs unlimited retries, and an HTTP request must end. A message written
      // twice after a retry is harmless, because every consumer is idempotent on the event id.
      const producer = this.kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      return producer;
    })().catch((e: unknown) => {
      this.producer = undefined;
      throw e;
    });
    return this.producer;
  }

  async partitions(topic: string): Promise<PartitionRange[]> {
    const admin = await this.connectedAdmin();
    const offsets = await admin.fetchTopicOffsets(this.physical(topic));
    return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high }));
  }

  /** One dead-letter topic (name without the prefix) with its offsets, or undefined when there is no such `.dlq` topic. */
  async deadLetterTopic(name: string): Promise<DeadLetterTopic | undefined> {
    const admin = await this.connectedAdmin();
    if (!deadLetterTopicNames(await admin.listTopics(), this.prefix).includes(name)) return undefined;
    return topicSummary(name, await this.partitions(name));
  }

  /** Every dead-letter topic under the prefix, with its offsets. */
  async deadLetterTopics(): Promise<DeadLetterTopic[]> {
    const admin = await this.connectedAdmin();
    const names = deadLetterTopicNames(await admin.listTopics(), this.prefix);
    return Promise.all(names.map(async (name) => topicSummary(name, await this.partitions(name))));
  }

  /**
   * The messages at offsets [from, to) of one partition, oldest first. Offsets with no message
   * (transaction markers, compaction) are skipped: the read ends when the consumer has passed `to`.
   */
  async read(topic: string, partition: number, from: bigint, to: bigint): Promise<KafkaMessage[]> {
    if (to <= from) return [];
    const physical = this.physical(topic);
    const consumer = this.kafka.consumer({ groupId: `console-reader-${randomUUID()}`, maxWaitTimeInMs: 250, sessionTimeout: 10_000, allowAutoTopicCreation: false });
    const messages: KafkaMessage[] = [];
    try {
      await consumer.connect();
      // From the beginning, so that even a batch fetched before the seek applies starts below `from`.
      await consumer.subscribe({ topics: [physical], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic}/${partition} took over ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        consumer
          .run({
            autoCommit: false,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch }) => {
              if (batch.partition !== partition) return;
              for (const m of batch.messages) {
                const offset = BigInt(m.offset);
                if (offset >= from && offset < to) messages.push(m);
              }
              // Past the range (an empty batch's last offset is the partition's end − 1, and `to` never exceeds the end).
              if (BigInt(batch.lastOffset()) >= to - 1n) done();
            },
          })
          .then(() => consumer.seek({ topic: physical, partition, offset: from.toString() }))
          .catch((e: unknown) => {
            clearTimeout(timer);
            reject(e);
          });
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    const seen = new Set<string>();
    return messages.filter((m) => (seen.has(m.offset) ? false : (seen.add(m.offset), true))).sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  }

  /** Writes one message to an exact partition; resolves with its offset. */
  async write(topic: string, partition: number, message: { key: Buffer | null; value: Buffer | null; headers: IHeaders }): Promise<string> {
    const producer = await this.connectedProducer();
    const [meta] = await producer.send({ topic: this.physical(topic), acks: -1, messages: [{ partition, key: message.key, value: message.value, headers: message.headers }] });
    return meta.baseOffset ?? '-1';
  }

  /** The audit topic is the console's own: it creates it (one partition, kept forever) on first use. */
  private ensureAuditTopic(): Promise<void> {
    this.auditReady ??= ensureTopics(this.kafka, [{ name: this.physical(AUDIT_TOPIC), partitions: 1, config: AUDIT_TOPIC_CONFIG }]).then(
      () => undefined,
      (e: unknown) => {
        this.auditReady = undefined;
        throw e;
      },
    );
    return this.auditReady;
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.ensureAuditTopic();
    await this.write(AUDIT_TOPIC, 0, { key: Buffer.from(entry.replayId), value: Buffer.from(JSON.stringify(entry)), headers: { 'content-type': 'application/json' } });
  }

  /** The newest `limit` audit entries below `before`, newest first. */
  async auditEntries(limit: number, before?: bigint): Promise<{ entries: (AuditEntry & { offset: string })[]; nextBefore: string | null }> {
    await this.ensureAuditTopic();
    const [range] = await this.partitions(AUDIT_TOPIC);
    const low = BigInt(range.low);
    const high = BigInt(range.high);
    const to = before === undefined || before > high ? high : before;
    const from = to - BigInt(limit) < low ? low : to - BigInt(limit);
    const messages = await this.read(AUDIT_TOPIC, 0, from, to);
    const entries = messages.flatMap((m) => {
      try {
        return [{ ...(JSON.parse(m.value?.toString('utf8') ?? '') as AuditEntry), offset: m.offset }];
      } catch {
        return [];
      }
    });
    return { entries: entries.reverse(), nextBefore: from > low ? from.toString() : null };
  }

  async close(): Promise<void> {
    const [admin, producer] = await Promise.all([this.admin?.catch(() => undefined), this.producer?.catch(() => undefined)]);
    await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  }
}
