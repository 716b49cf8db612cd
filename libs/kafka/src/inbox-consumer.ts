import { containsPan, decodeEvent, DecodeResult, redactPansInText, TopicEvents, TopicName } from '@prestanda/contracts';
import { consumerBatchSeconds, consumerMessages, consumerRetries, createLogger, Logger, withBatchConsumerSpan, withConsumerSpan } from '@prestanda/observability';
import { enqueueEvents, isTransientError, OutboxItem, PermanentError } from '@prestanda/persistence';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Partitioners, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { deadLetterMessage, DeadLetterReason } from './dead-letter';
import { headersToRecord } from './headers';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Kafka consumer with an inbox: for each chunk of a batch it validates every message, sends
 * the invalid ones to `<topic>.dlq`, applies the valid ones and records their event ids in one
 * Postgres transaction, and only then commits the offsets. A redelivered event finds its inbox
 * row and has no second effect. Transient database errors are retried with backoff for as
 * long as it takes; a handler error is retried `maxAttempts` times and then dead-lettered, so
 * the partition keeps moving.
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
      maxBytesPerPartition: 1024 * 1024,
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
    this.producer = options.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    const { GROUP_JOIN, CRASH, STOP } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => {
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

  /** Ready when the consumer joined its group and has not crashed. */
  isReady(): boolean {
    return this.stateValue === 'running';
  }

  get error(): unknown {
    return this.lastError;
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
  }

  /** Stops fetching, lets the batch in hand finish its transaction, then disconnects. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped' || this.stateValue === 'created') return;
    this.stateValue = 'stopping';
    await this.consumer.disconnect().catch((err) => this.log.warn({ err }, 'consumer disconnect failed'));
    await this.producer.disconnect().catch((err) => this.log.warn({ err }, 'producer disconnect failed'));
    this.stateValue = 'stopped';
  }

  private async eachBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const chunkSize = this.options.chunkSize ?? 250;
    const contract = this.contractOf.get(batch.topic);
    if (!contract) throw new Error(`No contract for topic ${batch.topic}`);
    for (let i = 0; i < batch.messages.length; i += chunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(i, i + chunkSize);
      try {
        await this.processChunk(batch.topic, batch.partition, contract, chunk, heartbeat, isRunning);
      } catch (error) {
        if (error instanceof StoppingError) return; // not committed: redelivered to whoever takes the partition
        throw error;
      }
      const last = chunk[chunk.length - 1].offset;
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      resolveOffset(last);
      await heartbeat();
    }
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
        await this.withTransientRetry(topic, heartbeat, isRunning, () => this.applyInTransaction(topic, partition, [v]));
        return undefined;
      } catch (error) {
        if (error instanceof StoppingError) throw error;
        const permanent = error instanceof PermanentError;
        if (permanent || attempt >= maxAttempts) {
          const message = error instanceof Error ? error.message : String(error);
          this.log.error({ topic, partition, offset: v.message.offset, eventId: v.event.eventId, err: error }, 'handler failed; dead-lettering');
          return { code: permanent ? 'rejected' : 'handler-failed', reason: message, field: permanent ? (error as PermanentError).field : undefined, attempts: attempt };
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

  /** Retries while the error is transient (database or network away), as long as the consumer runs. */
  private async withTransientRetry<T>(topic: string, heartbeat: () => Promise<void>, isRunning: () => boolean, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!isTransientError(error)) throw error;
        if (!isRunning() || this.stateValue === 'stopping') throw new StoppingError();
        consumerRetries.inc({ group: this.options.groupId, topic, kind: 'transient' });
        this.log.warn({ topic, attempt, err: (error as Error).message }, 'transient error; retrying');
        await this.backoff(attempt, heartbeat);
      }
    }
  }

  private async backoff(attempt: number, heartbeat: () => Promise<void>): Promise<void> {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 100, maxMs: 10000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 20));
    await sleep(Math.max(initialMs / 2, Math.random() * ceiling));
    await heartbeat().catch(() => undefined);
  }

  private async sendDeadLetters(topic: string, partition: number, items: { message: KafkaMessage; why: DeadLetterReason }[], heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    const byTopic = new Map<string, ReturnType<typeof deadLetterMessage>['message'][]>();
    for (const item of items) {
      // A card number is never written anywhere, the dead-letter topic included, whatever else
      // is wrong with the message (malformed JSON, a schema failure, a handler refusal).
      const raw = item.message.value?.toString('utf8');
      const value = raw !== undefined && containsPan(raw) ? redactPansInText(raw) : undefined;
      const dl = deadLetterMessage({ topic, partition, message: item.message }, item.why, this.options.service, value);
      byTopic.set(dl.topic, [...(byTopic.get(dl.topic) ?? []), dl.message]);
      this.log.warn({ topic, partition, offset: item.message.offset, code: item.why.code, reason: item.why.reason }, 'dead-lettered');
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([t, messages]) => ({ topic: t, messages })) });
        break;
      } catch (error) {
        if (!isRunning()) throw new StoppingError();
        this.log.warn({ err: error, attempt }, 'dead-letter publish failed; retrying');
        await this.backoff(attempt, heartbeat);
      }
    }
    consumerMessages.inc({ group: this.options.groupId, topic, outcome: 'dead-lettered' }, items.length);
  }
}
