import { createLogger, endProducerSpans, Logger, outboxBacklog, outboxPublished, startProducerSpan, tracingEnabled } from '@prestanda/observability';
import type { Span } from '@opentelemetry/api';
import { Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { boundedSends } from './bounded-batches';
import { physicalTopic } from './topic-names';

export interface OutboxRelayOptions {
  kafka: Kafka;
  dataSource: DataSource;
  /** Rows published per pass. */
  batchSize?: number;
  /** How often to look when nobody nudged. */
  pollIntervalMs?: number;
  logger?: Logger;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string | null;
  /** The event as JSON text (read as ::text: no parse and re-serialise on the way through). */
  payload: string;
  headers: Record<string, string>;
}

/** A stable 32-bit key per schema for the advisory lock that keeps one relay active at a time. */
function lockKey(schema: string): number {
  let h = 0x811c9dc5;
  for (const c of `prestanda-outbox:${schema}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h | 0;
}

/**
 * Publishes committed outbox rows in id order and deletes them once every broker in the ISR
 * acknowledged (acks=-1). One pass is one transaction holding an advisory lock, so replicas of
 * a service never publish the same rows at once; a crash after the send and before the delete
 * publishes those rows again, which consumers absorb through their inbox (at-least-once in,
 * effectively-once out).
 */
export class OutboxRelay {
  private readonly producer: Producer;
  private readonly schema: string;
  private readonly log: Logger;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private nudged = false;

  constructor(private readonly options: OutboxRelayOptions) {
    const schema = (options.dataSource.options as { schema?: string }).schema;
    if (!schema) throw new Error('OutboxRelay needs a data source with its own schema');
    this.schema = schema;
    this.log = options.logger ?? createLogger(`outbox-relay:${schema}`);
    this.producer = options.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests: 1 });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  /** Publish soon: something was just committed. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Publishes what is committed now, then stops. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.drain().catch((err) => this.log.warn({ err }, 'final outbox drain failed'));
    await this.producer.disconnect();
  }

  /** Publishes until the outbox is empty; returns how many rows went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishOnce();
      total += n;
      if (n === 0) return total;
    }
  }

  private async run(): Promise<void> {
    const interval = this.options.pollIntervalMs ?? 200;
    let failures = 0;
    while (this.running) {
      try {
        const n = await this.publishOnce();
        failures = 0;
        if (n > 0) continue;
      } catch (err) {
        failures++;
        this.log.warn({ err, failures }, 'outbox publish failed; will retry');
        // While nothing goes out (broker away, topic missing, ACLs) the backlog still shows what waits.
        await this.remaining(this.options.dataSource.manager)
          .then((n) => outboxBacklog.set({ schema: this.schema }, n))
          .catch(() => undefined);
      }
      if (!this.running) break;
      const wait = failures > 0 ? Math.min(10000, interval * 2 ** failures) : interval;
      if (this.nudged && failures === 0) {
        this.nudged = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      this.nudged = false;
    }
  }

  /**
   * Rows still in the outbox (after a full pass, or while publishing fails), estimated from the
   * ends of the primary key (max(id) - min(id) + 1: two index probes, whatever the backlog).
   * Ids come from a sequence and the relay deletes in id order, so this is exact unless there
   * are gaps below max(id): inserts that rolled back, or a slow transaction that committed an
   * older id after newer ones went out (until the next pass). It then reads high, never low.
   * Counting the rows would scan them all, on every pass, exactly when the relay is behind.
   */
  private async remaining(manager: EntityManager): Promise<number> {
    const [ends]: { lo: string | null; hi: string | null }[] = await manager.query(`SELECT min("id")::text AS "lo", max("id")::text AS "hi" FROM "${this.schema}"."outbox"`);
    if (!ends?.lo || !ends.hi) return 0;
    return Number(BigInt(ends.hi) - BigInt(ends.lo) + 1n);
  }

  /** One pass: lock, read a batch in id order, publish, delete, commit. */
  async publishOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    return this.options.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [lockKey(this.schema)]);
      if (!locked) {
        // Another replica publishes: it reports the backlog (aggregate with max by schema), and
        // this one must not keep a stale figure from when it held the lock.
        outboxBacklog.set({ schema: this.schema }, 0);
        return 0;
      }
      const rows: OutboxRow[] = await manager.query(
        `SELECT "id", "topic", "message_key", "payload"::text AS "payload", "headers" FROM "${this.schema}"."outbox" ORDER BY "id" LIMIT $1`,
        [batchSize],
      );
      if (rows.length === 0) {
        outboxBacklog.set({ schema: this.schema }, 0);
        return 0;
      }
      const byTopic = new Map<string, Message[]>();
      // With tracing on, each row gets a PRODUCER span in the trace that wrote it (its headers
      // then name that span); with it off, nothing is allocated here.
      const spans: Span[] | undefined = tracingEnabled() ? [] : undefined;
      for (const row of rows) {
        const topic = physicalTopic(row.topic);
        const list = byTopic.get(topic) ?? [];
        if (spans) {
          const span = startProducerSpan(`${topic} publish`, row.headers, { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': topic });
          if (span) spans.push(span);
        }
        list.push({ key: row.message_key, value: row.payload, headers: row.headers });
        byTopic.set(topic, list);
      }
      try {
        // Sends of at most PRODUCER_MAX_REQUEST_BYTES, one after another: order holds per topic.
        for (const topicMessages of boundedSends([...byTopic].map(([topic, messages]) => ({ topic, messages })))) await this.producer.sendBatch({ acks: -1, topicMessages });
      } catch (error) {
        if (spans) endProducerSpans(spans, error);
        throw error;
      }
      if (spans) endProducerSpans(spans);
      await manager.query(`DELETE FROM "${this.schema}"."outbox" WHERE "id" = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      for (const [topic, messages] of byTopic) outboxPublished.inc({ schema: this.schema, topic }, messages.length);
      outboxBacklog.set({ schema: this.schema }, rows.length === batchSize ? await this.remaining(manager) : 0);
      return rows.length;
    });
  }
}
