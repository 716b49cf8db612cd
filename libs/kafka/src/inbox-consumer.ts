import {
  CONSUMER_MAX_BYTES,
  CONSUMER_MAX_BYTES_PER_PARTITION,
  containsPan,
  decodeEvent,
  DecodeResult,
  redactPansInText,
  TopicEvents,
  TopicName,
} from '@prestanda/contracts';
import {
  consumerBatchSeconds,
  consumerMessages,
  consumerRetries,
  consumerStalledPartitions,
  consumerStuckMessages,
  consumerStuckPending,
  createLogger,
  Logger,
  withBatchConsumerSpan,
  withConsumerSpan,
} from '@prestanda/observability';
import { enqueueEvents, isTransientError, OutboxItem, PermanentError } from '@prestanda/persistence';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Message, Partitioners, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { boundedSends } from './bounded-batches';
import { deadLetterMessage, DeadLetterReason, DLQ_HEADERS, sanitizeReason } from './dead-letter';
import { headersToRecord } from './headers';
import { PartitionProgress } from './partition-progress';
import { physicalTopic } from './topic-names';

/** What a handler gets besides the event: its transaction, the message's coordinates, and the outbox. */
export interface MessageContext {
  /** The transaction the inbox row and the handler's effect commit in. */
  manager: EntityManager;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** Records events to publish when this transaction commits (transactional outbox). */
  publish(items: OutboxItem[]): Promise<void>;
}

export type TopicHandler<T extends TopicName> = (event: TopicEvents[T], ctx: MessageContext) => Promise<void>;
export type TopicHandlers = { [T in TopicName]?: TopicHandler<T> };

/** What a batch handler gets: the transaction and the outbox, for all fresh events of one chunk. */
export type BatchContext = Pick<MessageContext, 'manager' | 'topic' | 'partition' | 'publish'>;
export type TopicBatchHandler<T extends TopicName> = (events: TopicEvents[T][], ctx: BatchContext) => Promise<void>;
/**
 * Handlers that take every fresh event of a chunk at once (in partition order), for effects that
 * are cheaper set-based (one multi-row INSERT instead of one per event). Same guarantees.
 */
export type TopicBatchHandlers = { [T in TopicName]?: TopicBatchHandler<T> };

/** A topic to read and the contract its messages follow (the same name, except in tests and replays). */
export interface Subscription {
  topic: string;
  contract: TopicName;
}

export interface InboxConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  /** The consumer group, also the inbox's scope: one group applies an event once. */
  groupId: string;
  /** Service name, for logs and dead-letter headers. */
  service: string;
  handlers: TopicHandlers;
  batchHandlers?: TopicBatchHandlers;
  /** Defaults to one subscription per handler, the topic named like its contract. */
  subscriptions?: Subscription[];
  /** Read a new group's topics from the start (default true: nothing published is skipped). */
  fromBeginning?: boolean;
  /** Messages applied per database transaction. */
  chunkSize?: number;
  /** Attempts for a message whose handler fails with a non-transient error before it is dead-lettered. */
  maxAttempts?: number;
  /** Backoff for retries: initial and cap, in ms (exponential with full jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Attempts at a transient error (database away, deadlock) before the consumer asks the
   * database whether it answers at all: when it does, the message is what fails, and it is
   * treated as a handler failure (retried `maxAttempts` times alone, then dead-lettered); when it
   * does not, the consumer keeps waiting (and readiness is red). Default 10.
   */
  maxTransientAttempts?: number;
  /**
   * Attempts at writing a chunk's dead letters (default 5). Between attempts the partition is
   * paused for `deadLetterBackoff`, so the other partitions keep moving; after the last one the
   * dead letters are recorded in the `stuck_messages` table, the partition moves on, and they
   * are re-driven to the dead-letter topic every `redriveIntervalMs`.
   */
  deadLetterAttempts?: number;
  deadLetterBackoff?: { initialMs: number; maxMs: number };
  redriveIntervalMs?: number;
  /** Readiness turns red while a partition holds messages without progress for longer than this (default 60 s). */
  stallAfterMs?: number;
  partitionsConsumedConcurrently?: number;
  /** Restarts after a crash (non-retriable client error) before the process gives up (default 5). */
  maxRestarts?: number;
  /** How long the group waits for a silent member before handing its partitions on (default 30 s). */
  sessionTimeoutMs?: number;
  /** Validates and decodes a message; defaults to the contracts' validator. */
  decode?: (contract: TopicName, value: Buffer | null) => DecodeResult;
  /** Called after a transaction that may have written outbox rows commits. */
  onCommitted?: () => void;
  /**
   * A crashed consumer must not leave an idle process behind: by default the process exits
   * so its supervisor restarts it.
   */
  onFatal?: (error: unknown) => void;
  logger?: Logger;
}

export type ConsumerState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

interface Decoded {
  message: KafkaMessage;
  result: DecodeResult;
}
interface Valid {
  message: KafkaMessage;
  event: { eventId: string } & Record<string, unknown>;
}

class StoppingError extends Error {}

/** The partition pauses for a while and its messages are fetched again (other partitions go on). */
class BackOff extends Error {
  constructor(readonly delayMs: number) {
    super(`backing off for ${delayMs} ms`);
  }
}

/** A transient error that outlasted maxTransientAttempts while the database answered: the message's fault. */
class PersistentlyTransient extends Error {
  constructor(override readonly cause: unknown) {
    super(`still failing after retries while the database answers: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

interface StuckRow {
  id: string;
  dead_letter_topic: string;
  message_key: Buffer | null;
  message_value: Buffer | null;
  headers: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Kafka consumer with an inbox: for each chunk of a batch it validates every message, sends
 * the invalid ones to `<topic>.dlq`, applies the valid ones and records their event ids in one
 * Postgres transaction, and only then commits the offsets. A redelivered event finds its inbox
 * row and has no second effect. No retry loop is endless: transient database errors are
 * retried while the database is away, a handler error `maxAttempts` times and then
 * dead-lettered, a dead letter that cannot be written `deadLetterAttempts` times (pausing only
 * its partition) and then recorded in `stuck_messages`, so every partition keeps moving.
 */
export class InboxConsumer {
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly log: Logger;
  private readonly subscriptions: Subscription[];
  private readonly contractOf = new Map<string, TopicName>();
  private readonly schema: string;
  private stateValue: ConsumerState = 'created';
  private restarts = 0;
  private lastError: unknown;
  private readonly progress: PartitionProgress;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private redriveTimer?: NodeJS.Timeout;
  private redriving?: Promise<void>;

  constructor(private readonly options: InboxConsumerOptions) {
    this.log = options.logger ?? createLogger(options.service);
    const contracts = [...new Set([...Object.keys(options.handlers), ...Object.keys(options.batchHandlers ?? {})])] as TopicName[];
    this.subscriptions = options.subscriptions ?? contracts.map((t) => ({ topic: physicalTopic(t), contract: t }));
    for (const s of this.subscriptions) this.contractOf.set(s.topic, s.contract);
    const schema = (options.dataSource.options as { schema?: string }).schema;
    if (!schema) throw new Error('InboxConsumer needs a data source with its own schema');
    this.schema = schema;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30000,
      heartbeatInterval: 3000,
      // From libs/contracts limits.ts, like the topics' max.message.bytes.
      maxBytesPerPartition: CONSUMER_MAX_BYTES_PER_PARTITION,
      maxBytes: CONSUMER_MAX_BYTES,
      // A cluster that is briefly unavailable (a fresh broker still creating __consumer_offsets,
      // a leader election) is survived by a few restarts; past that the process exits.
      retry: {
        retries: 10,
        restartOnFailure: async (error) => {
          this.restarts++;
          this.log.warn({ err: error, restarts: this.restarts }, 'consumer failed; restarting');
          return this.restarts <= (options.maxRestarts ?? 5);
        },
      },
    });
    this.progress = new PartitionProgress(options.stallAfterMs ?? 60_000);
    // The dead-letter producer gives up quickly: attempts are counted (and bounded) here, with the partition paused between them.
    this.producer = options.kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    const { GROUP_JOIN, CRASH, STOP } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => {
      this.progress.reset();
      if (this.stateValue === 'starting' || this.stateValue === 'running') this.stateValue = 'running';
    });
    this.consumer.on(STOP, () => {
      if (this.stateValue !== 'crashed') this.stateValue = 'stopped';
    });
    this.consumer.on(CRASH, (e) => {
      if (e.payload.restart) return;
      this.stateValue = 'crashed';
      this.lastError = e.payload.error;
      this.log.error({ err: e.payload.error, groupId: options.groupId }, 'consumer crashed');
      (options.onFatal ?? InboxConsumer.exitProcess)(e.payload.error);
    });
  }

  static exitProcess(error: unknown): void {
    console.error('Kafka consumer crashed; exiting so the supervisor restarts this process', error);
    process.exit(1);
  }

  get state(): ConsumerState {
    return this.stateValue;
  }

  /** Ready when the consumer joined its group, has not crashed, and no partition is stalled. */
  isReady(): boolean {
    return this.readiness().ok;
  }

  /** What readiness says, with the stalled partitions named. */
  readiness(): { ok: boolean; detail: string } {
    const stalled = this.progress.stalled();
    consumerStalledPartitions.set({ group: this.options.groupId }, stalled.length);
    if (this.stateValue !== 'running') return { ok: false, detail: this.stateValue };
    if (stalled.length === 0) return { ok: true, detail: 'running' };
    return { ok: false, detail: `no progress on ${stalled.map((s) => `${s.partition} for ${Math.round(s.forMs / 1000)} s`).join(', ')}` };
  }

  get error(): unknown {
    return this.lastError;
  }

  /** The physical topics this consumer reads. */
  get topics(): string[] {
    return this.subscriptions.map((s) => s.topic);
  }

  async start(): Promise<void> {
    this.stateValue = 'starting';
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.subscriptions.map((s) => s.topic), fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    const interval = this.options.redriveIntervalMs ?? 30_000;
    this.redriveTimer = setInterval(() => void this.redriveStuck(), interval);
    this.redriveTimer.unref();
    void this.redriveStuck();
  }

  /** Stops fetching, lets the batch in hand finish its transaction, then disconnects. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped' || this.stateValue === 'created') return;
    this.stateValue = 'stopping';
    if (this.redriveTimer) clearInterval(this.redriveTimer);
    for (const t of this.resumeTimers) clearTimeout(t);
    this.resumeTimers.clear();
    await this.redriving;
    await this.consumer.disconnect().catch((err) => this.log.warn({ err }, 'consumer disconnect failed'));
    await this.producer.disconnect().catch((err) => this.log.warn({ err }, 'producer disconnect failed'));
    this.stateValue = 'stopped';
  }

  private async eachBatch({ batch, heartbeat, isRunning, isStale, resolveOffset, pause }: EachBatchPayload): Promise<void> {
    const chunkSize = this.options.chunkSize ?? 250;
    const contract = this.contractOf.get(batch.topic);
    if (!contract) throw new Error(`No contract for topic ${batch.topic}`);
    for (let i = 0; i < batch.messages.length; i += chunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(i, i + chunkSize);
      this.progress.working(batch.topic, batch.partition);
      try {
        await this.processChunk(batch.topic, batch.partition, contract, chunk, heartbeat, isRunning);
      } catch (error) {
        if (error instanceof StoppingError) return; // not committed: redelivered to whoever takes the partition
        if (error instanceof BackOff) return this.pauseFor(pause, error.delayMs); // fetched again from this chunk on resume
        throw error;
      }
      const last = chunk[chunk.length - 1].offset;
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      resolveOffset(last);
      this.progress.progressed(batch.topic, batch.partition);
      await heartbeat();
    }
  }

  /** Pauses this partition only; kafkajs fetches the others meanwhile and this one again from its last resolved offset. */
  private pauseFor(pause: () => () => void, delayMs: number): void {
    const resume = pause();
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      resume();
    }, delayMs);
    this.resumeTimers.add(timer);
  }

  private async processChunk(
    topic: string,
    partition: number,
    contract: TopicName,
    chunk: KafkaMessage[],
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<void> {
    const decode = this.options.decode ?? ((c: TopicName, v: Buffer | null) => decodeEvent(c, v));
    const decoded: Decoded[] = chunk.map((message) => ({ message, result: decode(contract, message.value) }));
    const deadLetters: { message: KafkaMessage; why: DeadLetterReason }[] = [];
    const valid: Valid[] = [];
    for (const d of decoded) {
      if (d.result.ok) valid.push({ message: d.message, event: d.result.event as unknown as Valid['event'] });
      else deadLetters.push({ message: d.message, why: { code: d.result.code, reason: d.result.reason, field: d.result.field } });
    }
    if (valid.length > 0) {
      const started = process.hrtime.bigint();
      try {
        await this.withTransientRetry(topic, heartbeat, isRunning, () => this.applyInTransaction(topic, partition, valid));
      } catch (error) {
        if (error instanceof StoppingError) throw error;
        // One message spoiled the chunk: apply one by one so only the culprit is dead-lettered.
        this.log.warn({ topic, partition, err: error }, 'chunk failed; applying its messages one at a time');
        for (const v of valid) {
          const failure = await this.applyAlone(topic, partition, v, heartbeat, isRunning);
          if (failure) deadLetters.push({ message: v.message, why: failure });
        }
      }
      consumerBatchSeconds.observe({ group: this.options.groupId }, Number(process.hrtime.bigint() - started) / 1e9);
      this.options.onCommitted?.();
    }
    if (deadLetters.length > 0) await this.sendDeadLetters(topic, partition, deadLetters, heartbeat, isRunning);
  }

  /** Applies one message in its own transaction; returns why it failed for good, or nothing. */
  private async applyAlone(topic: string, partition: number, v: Valid, heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<DeadLetterReason | undefined> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        // Alone, a message gets fewer transient retries than a chunk: the chunk has already spent its own.
        await this.withTransientRetry(topic, heartbeat, isRunning, () => this.applyInTransaction(topic, partition, [v]), 3);
        return undefined;
      } catch (error) {
        if (error instanceof StoppingError) throw error;
        const permanent = error instanceof PermanentError;
        if (permanent || attempt >= maxAttempts) {
          const message = error instanceof Error ? error.message : String(error);
          this.log.error({ topic, partition, offset: v.message.offset, eventId: v.event.eventId, err: error }, 'handler failed; dead-lettering');
          return { code: permanent ? 'rejected' : 'handler-failed', reason: sanitizeReason(message), field: permanent ? (error as PermanentError).field : undefined, attempts: attempt };
        }
        consumerRetries.inc({ group: this.options.groupId, topic, kind: 'handler' });
        await this.backoff(attempt, heartbeat);
      }
    }
  }

  private async applyInTransaction(topic: string, partition: number, valid: Valid[]): Promise<void> {
    const contract = this.contractOf.get(topic)!;
    const handler = this.options.handlers[contract] as TopicHandler<TopicName> | undefined;
    const batchHandler = this.options.batchHandlers?.[contract] as TopicBatchHandler<TopicName> | undefined;
    if (!handler && !batchHandler) throw new PermanentError(`No handler for ${contract}`);
    let processed = 0;
    await this.options.dataSource.transaction(async (manager) => {
      const ids = [...new Set(valid.map((v) => v.event.eventId))];
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO "${this.schema}"."inbox" ("consumer_group", "event_id", "topic")
         SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id
         ON CONFLICT DO NOTHING RETURNING "event_id"`,
        [this.options.groupId, ids, topic],
      );
      const fresh = new Set(inserted.map((r) => r.event_id));
      if (batchHandler) {
        const freshValid = valid.filter((v) => fresh.delete(v.event.eventId));
        const events = freshValid.map((v) => v.event as unknown as TopicEvents[TopicName]);
        if (events.length)
          await withBatchConsumerSpan(
            `${topic} process`,
            freshValid.map((v) => headersToRecord(v.message.headers)),
            { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.kafka.partition': partition },
            () => batchHandler(events, { manager, topic, partition, publish: (items) => enqueueEvents(manager, items) }),
          );
        processed = events.length;
        return;
      }
      for (const v of valid) {
        if (!fresh.delete(v.event.eventId)) continue; // seen before: no second effect
        const headers = headersToRecord(v.message.headers);
        const ctx: MessageContext = {
          manager,
          topic,
          partition,
          offset: v.message.offset,
          key: v.message.key ? v.message.key.toString('utf8') : null,
          headers,
          publish: (items) => enqueueEvents(manager, items),
        };
        await withConsumerSpan(`${topic} process`, headers, { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.kafka.partition': partition, 'messaging.kafka.offset': v.message.offset, 'messaging.message.id': v.event.eventId }, () =>
          handler!(v.event as unknown as TopicEvents[TopicName], ctx),
        );
        processed++;
      }
    });
    consumerMessages.inc({ group: this.options.groupId, topic, outcome: 'processed' }, processed);
    if (valid.length > processed) consumerMessages.inc({ group: this.options.groupId, topic, outcome: 'duplicate' }, valid.length - processed);
  }

  /**
   * Retries while the error is transient, as long as the consumer runs. Past `limit` attempts it
   * asks the database whether it answers: if so, the error is the message's and is thrown as a
   * permanent one; if not, the database is away and waiting is right (readiness is red meanwhile).
   */
  private async withTransientRetry<T>(
    topic: string,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
    fn: () => Promise<T>,
    limit = this.options.maxTransientAttempts ?? 10,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!isTransientError(error)) throw error;
        if (!isRunning() || this.stateValue === 'stopping') throw new StoppingError();
        if (attempt >= limit && (await this.databaseAnswers())) throw new PersistentlyTransient(error);
        consumerRetries.inc({ group: this.options.groupId, topic, kind: 'transient' });
        this.log.warn({ topic, attempt, err: (error as Error).message }, 'transient error; retrying');
        await this.backoff(attempt, heartbeat);
      }
    }
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.options.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private static delay(attempt: number, { initialMs, maxMs }: { initialMs: number; maxMs: number }): number {
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 20));
    return Math.max(initialMs / 2, Math.random() * ceiling);
  }

  private async backoff(attempt: number, heartbeat: () => Promise<void>): Promise<void> {
    await sleep(InboxConsumer.delay(attempt, this.options.backoff ?? { initialMs: 100, maxMs: 10000 }));
    await heartbeat().catch(() => undefined);
  }

  /**
   * Writes a chunk's dead letters. A write that fails pauses the partition and is tried again
   * (`deadLetterAttempts` in all); after the last attempt the dead letters are recorded in
   * `stuck_messages` instead, and the partition moves on.
   */
  private async sendDeadLetters(topic: string, partition: number, items: { message: KafkaMessage; why: DeadLetterReason }[], heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    const letters = items.map((item) => ({ item, dl: this.deadLetterOf(topic, partition, item.message, item.why) }));
    for (const { item } of letters) this.log.warn({ topic, partition, offset: item.message.offset, code: item.why.code, reason: item.why.reason }, 'dead-lettered');
    try {
      await this.produce(letters.map((l) => l.dl));
    } catch (error) {
      if (!isRunning() || this.stateValue === 'stopping') throw new StoppingError();
      const attempt = this.progress.failedAttempt(topic, partition, items[0].message.offset);
      const attempts = this.options.deadLetterAttempts ?? 5;
      consumerRetries.inc({ group: this.options.groupId, topic, kind: 'dead-letter' });
      if (attempt < attempts) {
        const delayMs = InboxConsumer.delay(attempt, this.options.deadLetterBackoff ?? { initialMs: 1000, maxMs: 15000 });
        this.log.warn({ topic, partition, offset: items[0].message.offset, attempt, attempts, delayMs, err: error }, 'dead-letter write failed; pausing the partition');
        throw new BackOff(delayMs);
      }
      await this.withTransientRetry(topic, heartbeat, isRunning, () => this.recordStuck(topic, partition, letters, attempt, error));
      return;
    }
    consumerMessages.inc({ group: this.options.groupId, topic, outcome: 'dead-lettered' }, items.length);
  }

  /** The dead letter of one message; a card number is never written anywhere, the dead-letter topic included. */
  private deadLetterOf(topic: string, partition: number, message: KafkaMessage, why: DeadLetterReason): { topic: string; message: Message } {
    const raw = message.value?.toString('utf8');
    const value = raw !== undefined && containsPan(raw) ? redactPansInText(raw) : undefined;
    const dl = deadLetterMessage({ topic, partition, message }, why, this.options.service, value);
    // A cut can leave a digit run that reads as a card number where the whole did not.
    const stored = dl.message.value?.toString();
    if (dl.message.headers?.[DLQ_HEADERS.truncated] && stored !== undefined && containsPan(stored)) dl.message.value = redactPansInText(stored);
    return dl;
  }

  private async produce(letters: { topic: string; message: Message }[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const l of letters) byTopic.set(l.topic, [...(byTopic.get(l.topic) ?? []), l.message]);
    for (const send of boundedSends([...byTopic].map(([t, messages]) => ({ topic: t, messages })))) {
      await this.producer.sendBatch({ acks: -1, topicMessages: send });
    }
  }

  private async recordStuck(topic: string, partition: number, letters: { item: { message: KafkaMessage; why: DeadLetterReason }; dl: { topic: string; message: Message } }[], attempts: number, error: unknown): Promise<void> {
    const lastError = sanitizeReason(error instanceof Error ? error.message : String(error));
    await this.options.dataSource.query(
      `INSERT INTO "${this.schema}"."stuck_messages"
         ("consumer_group", "topic", "partition", "offset", "dead_letter_topic", "message_key", "message_value", "headers", "code", "reason", "attempts", "last_error")
       SELECT $1, $2, $3, o, $4, k, v, h, c, r, $5, $6
       FROM unnest($7::bigint[], $8::bytea[], $9::bytea[], $10::jsonb[], $11::text[], $12::text[]) AS x(o, k, v, h, c, r)
       ON CONFLICT DO NOTHING`,
      [
        this.options.groupId,
        topic,
        partition,
        letters[0].dl.topic,
        attempts,
        lastError,
        letters.map((l) => l.item.message.offset),
        letters.map((l) => (l.dl.message.key === null || l.dl.message.key === undefined ? null : Buffer.from(l.dl.message.key))),
        letters.map((l) => (l.dl.message.value === null || l.dl.message.value === undefined ? null : Buffer.from(l.dl.message.value))),
        letters.map((l) => JSON.stringify(headersToRecord(l.dl.message.headers))),
        letters.map((l) => l.item.why.code),
        letters.map((l) => l.item.why.reason),
      ],
    );
    consumerStuckMessages.inc({ group: this.options.groupId, topic }, letters.length);
    this.log.error(
      { topic, partition, offsets: letters.map((l) => l.item.message.offset), attempts, err: lastError },
      'dead letters could not be written; recorded in stuck_messages and stepped over (re-driven when the dead-letter topic takes writes)',
    );
  }

  /** Writes recorded stuck messages to their dead-letter topic, oldest first; one run at a time. */
  redriveStuck(): Promise<void> {
    this.redriving ??= this.redriveOnce()
      .catch((err) => this.log.warn({ err }, 'stuck messages not re-driven yet'))
      .finally(() => (this.redriving = undefined));
    return this.redriving;
  }

  private async redriveOnce(): Promise<void> {
    this.readiness(); // keeps the stalled-partitions gauge current between probes
    for (;;) {
      const sent = await this.options.dataSource.transaction(async (manager) => {
        const rows: StuckRow[] = await manager.query(
          `SELECT "id", "dead_letter_topic", "message_key", "message_value", "headers" FROM "${this.schema}"."stuck_messages"
           WHERE "consumer_group" = $1 AND "redriven_at" IS NULL ORDER BY "id" LIMIT 100 FOR UPDATE SKIP LOCKED`,
          [this.options.groupId],
        );
        if (rows.length === 0) return 0;
        await this.produce(rows.map((r) => ({ topic: r.dead_letter_topic, message: { key: r.message_key, value: r.message_value, headers: r.headers } })));
        await manager.query(`UPDATE "${this.schema}"."stuck_messages" SET "redriven_at" = now() WHERE "id" = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
        this.log.info({ count: rows.length }, 'stuck messages re-driven to their dead-letter topic');
        return rows.length;
      });
      if (sent < 100) break;
    }
    const [{ pending }] = await this.options.dataSource.query(
      `SELECT count(*)::int AS "pending" FROM "${this.schema}"."stuck_messages" WHERE "consumer_group" = $1 AND "redriven_at" IS NULL`,
      [this.options.groupId],
    );
    consumerStuckPending.set({ group: this.options.groupId }, pending);
  }
}
