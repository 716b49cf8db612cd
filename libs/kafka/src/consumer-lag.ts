import { consumerLag, createLogger, Logger } from '@prestanda/observability';
import { Admin, Kafka } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

type TopicEnds = { topic: string; partitions: { partition: number; high: string; low: string }[] };
type GroupOffsets = { topic: string; partitions: { partition: number; offset: string }[] };

/**
 * Lag per partition: high watermark minus the committed offset. Nothing committed yet (offset
 * -1) counts from the low watermark, as our consumers start from the beginning; a committed
 * offset below the low watermark (retention deleted what was never read) counts from there
 * too, since those messages cannot be read any more.
 */
export function partitionLags(ends: TopicEnds[], committed: GroupOffsets[]): PartitionLag[] {
  const lags: PartitionLag[] = [];
  for (const t of ends) {
    const offsets = committed.find((c) => c.topic === t.topic)?.partitions;
    for (const p of t.partitions) {
      const high = BigInt(p.high);
      const low = BigInt(p.low);
      const raw = offsets?.find((o) => o.partition === p.partition)?.offset;
      const at = raw === undefined || BigInt(raw) < low ? low : BigInt(raw);
      const lag = high > at ? high - at : 0n;
      lags.push({ topic: t.topic, partition: p.partition, lag: Number(lag) });
    }
  }
  return lags;
}

export interface ConsumerLagMonitorOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** How often to ask the broker (default 15 s). */
  intervalMs?: number;
  logger?: Logger;
}

/**
 * Publishes `prestanda_consumer_lag{group,topic,partition}` from the broker's view (committed
 * offsets against high watermarks, through the admin API), on an interval and off the message
 * path: nothing is added per message. The gauge is what KEDA's Kafka trigger and an alert on a
 * consumer falling behind need.
 */
export class ConsumerLagMonitor {
  private readonly admin: Admin;
  private readonly log: Logger;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private reported = new Set<string>();
  private failing = false;

  constructor(private readonly options: ConsumerLagMonitorOptions) {
    this.admin = options.kafka.admin();
    this.log = options.logger ?? createLogger('consumer-lag');
  }

  async start(): Promise<void> {
    await this.admin.connect();
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs ?? 15_000);
    this.timer.unref();
    void this.poll();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
    await this.admin.disconnect().catch(() => undefined);
  }

  /** Reads the lag once and sets the gauge (one read at a time; a failed read keeps the last values). */
  poll(): Promise<void> {
    this.polling ??= this.read()
      .then(() => {
        if (this.failing) this.log.info({ groupId: this.options.groupId }, 'consumer lag readable again');
        this.failing = false;
      })
      .catch((err) => {
        if (!this.failing) this.log.warn({ err, groupId: this.options.groupId }, 'consumer lag not readable; keeping the last values');
        this.failing = true;
      })
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async read(): Promise<void> {
    const { groupId, topics } = this.options;
    const [committed, ends] = await Promise.all([
      this.admin.fetchOffsets({ groupId, topics }),
      Promise.all(topics.map(async (topic) => ({ topic, partitions: await this.admin.fetchTopicOffsets(topic) }))),
    ]);
    const seen = new Set<string>();
    for (const { topic, partition, lag } of partitionLags(ends, committed)) {
      const labels = { group: groupId, topic, partition: String(partition) };
      consumerLag.set(labels, lag);
      seen.add(`${topic}\u0000${partition}`);
    }
    // Partitions that went away (topic deleted or re-created smaller) stop being reported.
    for (const key of this.reported) {
      if (seen.has(key)) continue;
      const [topic, partition] = key.split('\u0000');
      consumerLag.remove({ group: groupId, topic, partition });
    }
    this.reported = seen;
  }
}
