import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ConsumerLagMonitor, InboxConsumer, OutboxRelay, Subscription, TopicBatchHandlers, TopicHandlers } from '@prestanda/kafka';
import { collectProcessMetrics, createLogger, shutdownTracing } from '@prestanda/observability';
import { initializeDataSource } from '@prestanda/persistence';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { HealthServer } from './health.server';

export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');
export const EVENT_HANDLERS = Symbol('EVENT_HANDLERS');

/** A provider that gives the consumer its handlers, one per topic (built with DI). */
export interface EventHandlerSet {
  handlers(): TopicHandlers;
  /** Set-based handlers that take every fresh event of a chunk at once (see InboxConsumerOptions.batchHandlers). */
  batchHandlers?(): TopicBatchHandlers;
  /** Topics read under another contract name (integrations' own topics, tests, replays). */
  subscriptions?(): Subscription[];
  /** Runs before the consumer subscribes, e.g. to create topics the subscriptions name. */
  prepare?(kafka: Kafka): Promise<void>;
}

export interface MessagingOptions {
  service: string;
  /** Consumer group; defaults to `prestanda.<service>`. */
  groupId?: string;
  healthPort: number;
  partitionsConsumedConcurrently?: number;
}

/**
 * Owns the service's moving parts and their order: at start the database (migrations), the
 * outbox relay, then the consumer; at shutdown the consumer first (its batch in hand commits),
 * then the relay (drains what committed), and the database pool last.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly health: HealthServer;
  private consumer?: InboxConsumer;
  private relay?: OutboxRelay;
  private lag?: ConsumerLagMonitor;
  private readonly log;

  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    healthChecks: HealthCheckService,
    indicators: HealthIndicatorService,
    @Optional() @Inject(EVENT_HANDLERS) private readonly handlerSet?: EventHandlerSet,
  ) {
    this.log = createLogger(options.service);
    this.health = new HealthServer(healthChecks, indicators);
  }

  get groupId(): string {
    return (this.options.groupId ?? `prestanda.${this.options.service}`) + (process.env.KAFKA_GROUP_SUFFIX ?? '');
  }

  /**
   * How many partitions this service applies at once: KAFKA_PARTITIONS_CONCURRENCY_<SERVICE>
   * (e.g. _ATTRIBUTION), else KAFKA_PARTITIONS_CONCURRENCY, else 1. Worth raising where handlers
   * wait on the database more than they contend for the same rows.
   */
  private partitionConcurrency(): number {
    const own = process.env[`KAFKA_PARTITIONS_CONCURRENCY_${this.options.service.toUpperCase().replace(/-/g, '_')}`];
    return Math.max(1, Number(own ?? process.env.KAFKA_PARTITIONS_CONCURRENCY ?? 1) || 1);
  }

  /** A whole number of milliseconds from the environment, else the default. */
  private static envMs(name: string, fallback: number): number {
    const value = Number(process.env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  }

  private readonly commitListeners: (() => void)[] = [];

  /**
   * Called after each consumer transaction commits (after the relay's own nudge), for work that
   * a commit makes due: the notification dispatcher wakes on it instead of polling.
   */
  onConsumerCommit(listener: () => void): void {
    this.commitListeners.push(listener);
  }

  /** Wake the relay after a commit made outside a consumer (an HTTP request). */
  nudgeRelay(): void {
    this.relay?.nudge();
  }

  private readonly databaseReadyHooks: (() => Promise<void>)[] = [];

  /** Runs `hook` once the database is connected and migrated, before the relay and the consumer start (register it in onModuleInit). */
  onDatabaseReady(hook: () => Promise<void>): void {
    this.databaseReadyHooks.push(hook);
  }

  async onApplicationBootstrap(): Promise<void> {
    collectProcessMetrics(this.options.service);
    await initializeDataSource(this.dataSource);
    for (const hook of this.databaseReadyHooks) await hook();
    this.health.addCheck(async () => {
      await this.dataSource.query('SELECT 1');
      return { name: 'database', ok: true };
    }, 'database');
    await this.health.listen(this.options.healthPort);
    this.relay = new OutboxRelay({ kafka: this.kafka, dataSource: this.dataSource, logger: this.log });
    await this.relay.start();
    if (this.handlerSet) {
      this.health.addCheck(async () => ({ name: 'kafka-consumer', ...(this.consumer?.readiness() ?? { ok: false, detail: 'restarting' }) }), 'kafka-consumer');
      await this.startConsumer(this.handlerSet);
    }
    this.log.info({ groupId: this.groupId, healthPort: this.options.healthPort }, 'messaging started');
  }

  /** Prepares the handler set (e.g. creates topics it names) and starts a consumer on its current subscriptions. */
  private async startConsumer(handlerSet: EventHandlerSet): Promise<void> {
    await handlerSet.prepare?.(this.kafka);
    this.consumer = new InboxConsumer({
      kafka: this.kafka,
      dataSource: this.dataSource,
      groupId: this.groupId,
      service: this.options.service,
      handlers: handlerSet.handlers(),
      batchHandlers: handlerSet.batchHandlers?.(),
      subscriptions: handlerSet.subscriptions?.(),
      // Partitions are applied concurrently (each in its own transaction; order holds per partition).
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? this.partitionConcurrency(),
      onCommitted: () => {
        this.relay?.nudge();
        for (const listener of this.commitListeners) listener();
      },
      // Documented in docs/operations.md ("When a partition is stuck").
      stallAfterMs: MessagingRuntime.envMs('KAFKA_STALL_AFTER_MS', 60_000),
      deadLetterAttempts: MessagingRuntime.envMs('KAFKA_DEAD_LETTER_ATTEMPTS', 5),
      redriveIntervalMs: MessagingRuntime.envMs('KAFKA_STUCK_REDRIVE_INTERVAL_MS', 30_000),
      logger: this.log,
    });
    const consumer = this.consumer;
    await consumer.start();
    // prestanda_consumer_lag, read from the broker off the message path (0 turns it off).
    await this.lag?.stop();
    this.lag = undefined;
    const lagIntervalMs = Number(process.env.KAFKA_LAG_INTERVAL_MS ?? 15_000);
    if (Number.isFinite(lagIntervalMs) && lagIntervalMs > 0) {
      this.lag = new ConsumerLagMonitor({ kafka: this.kafka, groupId: this.groupId, topics: consumer.topics, intervalMs: lagIntervalMs, logger: this.log });
      await this.lag.start();
    }
  }

  private resubscribing?: Promise<void>;
  private shuttingDown = false;

  /**
   * Restarts the consumer on the handler set's current subscriptions (ingestion, when an
   * integration's own topics appear). The batch in hand commits first, as at shutdown; offsets
   * are the group's, so nothing is skipped or applied twice. Calls while one runs join it.
   */
  resubscribe(): Promise<void> {
    if (!this.handlerSet || this.shuttingDown) return Promise.resolve();
    const handlerSet = this.handlerSet;
    this.resubscribing ??= (async () => {
      try {
        await this.consumer?.stop();
        if (!this.shuttingDown) await this.startConsumer(handlerSet);
        this.log.info({ groupId: this.groupId }, 'consumer resubscribed');
      } finally {
        this.resubscribing = undefined;
      }
    })();
    return this.resubscribing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.resubscribing?.catch(() => undefined);
    this.health.markShuttingDown();
    await this.lag?.stop();
    await this.consumer?.stop();
    await this.relay?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.health.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    // Last: the spans of the drain above are exported too, before Nest exits the process.
    await shutdownTracing();
  }
}
