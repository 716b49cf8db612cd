import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { INBOUND_TOPICS, integrationTopic, integrationTopicSpecs, parseIntegrationTopic, Topic, type InboundTopicName, type IntegrationSnapshotV1Envelope, type TopicEvents } from '@prestanda/contracts';
import { ensureTopics, physicalTopic, topicPrefix, type BatchContext, type Subscription, type TopicBatchHandlers, type TopicHandlers } from '@prestanda/kafka';
import { createLogger } from '@prestanda/observability';
import { MessagingRuntime, type EventHandlerSet } from '@prestanda/service-kit';
import type { Kafka } from 'kafkajs';
import { DataSource, type EntityManager } from 'typeorm';
import { INGESTION_CONFIG, IngestionEnv } from '../config';
import { assertPublisherOwnsTraffic, assertSourceOwnsTopic } from './checks';
import { GateService } from './gate.service';
import { IntegrationDirectory } from './integrations';

const log = createLogger('ingestion');

/**
 * The inbound topics: the shared `inbound.*` (unless switched off) and each configured
 * integration's own `inbound.<id>.<kind>`. The consumer has already validated each message
 * against its contract (and dead-lettered the invalid ones, redacting card numbers); the gate
 * does the rest in the consumer's transaction, a chunk at a time. A GateRefusal fails the chunk:
 * the consumer then applies its events one at a time, and dead-letters the refused one with code
 * `rejected` and its reason. On an integration's own topic that includes `source-mismatch`.
 */
@Injectable()
export class GateConsumer implements EventHandlerSet, OnApplicationShutdown {
  /** The registry's integrations (integrations topic): their own topics are read, their traffic bound to their publisher. */
  readonly directory = new IntegrationDirectory();
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    private readonly gate: GateService,
    @Inject(INGESTION_CONFIG) private readonly config: IngestionEnv,
    @Optional() private readonly dataSource?: DataSource,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {}

  handlers(): TopicHandlers {
    return { integrations: (event, ctx) => this.onIntegration(event, ctx.manager) };
  }

  subscriptions(): Subscription[] {
    const shared = this.config.INGESTION_SHARED_INBOUND_TOPICS === 'on' ? INBOUND_TOPICS.map((contract) => ({ topic: physicalTopic(contract), contract })) : [];
    return [
      { topic: physicalTopic(Topic.Integrations), contract: Topic.Integrations },
      ...shared,
      ...this.ownTopics().map(({ topic, contract }) => ({ topic: physicalTopic(topic), contract })),
    ];
  }

  /**
   * Reads the registered integrations, and creates the own topics (and their dead-letter topics)
   * of those and of INGESTION_INTEGRATION_TOPICS that do not exist yet, like the shared ones of
   * their kind. In a deployment the topics job creates the configured ones first
   * (tools/scripts/create-topics.ts reads the same variable); registered ones are created here.
   */
  async prepare(kafka: Kafka): Promise<void> {
    if (this.dataSource) await this.directory.load(this.dataSource);
    this.startRefresh();
    const specs = integrationTopicSpecs(this.owners());
    if (specs.length === 0) return;
    await ensureTopics(kafka, specs.map((s) => ({ ...s, config: { ...s.config } })), { replicationFactor: this.config.KAFKA_REPLICATION_FACTOR });
  }

  /** integration.snapshot: recorded; this replica looks for new integrations right after (the others on their interval). */
  async onIntegration(event: IntegrationSnapshotV1Envelope, m: EntityManager): Promise<void> {
    await this.directory.record(m, event.data);
    setTimeout(() => void this.refresh(), 200).unref();
  }

  /** Re-reads the registered integrations; a new one restarts the consumer on its topics too. */
  async refresh(): Promise<void> {
    if (!this.dataSource?.isInitialized) return;
    try {
      const added = await this.directory.load(this.dataSource);
      if (added.length === 0) return;
      log.info({ integrations: added }, 'new integrations: reading their own topics');
      await this.moduleRef?.get(MessagingRuntime, { strict: false }).resubscribe();
    } catch (err) {
      log.warn({ err }, 'integration refresh failed; retried on the next interval');
    }
  }

  private startRefresh(): void {
    if (this.refreshTimer || !this.dataSource) return;
    this.refreshTimer = setInterval(() => void this.refresh(), this.config.INGESTION_INTEGRATIONS_REFRESH_MS);
    this.refreshTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
  }

  /** Configured (INGESTION_INTEGRATION_TOPICS) and registered integrations: each reads its own topics. */
  private owners(): string[] {
    return [...new Set([...this.config.integrationTopicOwners(), ...this.directory.ids()])];
  }

  batchHandlers(): TopicBatchHandlers {
    const admit =
      <T extends InboundTopicName>(contract: T) =>
      async (events: TopicEvents[T][], ctx: BatchContext) => {
        this.assertOwner(ctx.topic, events);
        await this.gate.admitAll(contract, events, ctx.manager, ctx.publish, 'kafka');
      };
    return {
      'inbound.card-transactions': admit('inbound.card-transactions'),
      'inbound.impressions': admit('inbound.impressions'),
      'inbound.clicks': admit('inbound.clicks'),
      'inbound.leads': admit('inbound.leads'),
    };
  }

  private ownTopics(): { topic: string; contract: InboundTopicName }[] {
    return this.owners().flatMap((id) => INBOUND_TOPICS.map((contract) => ({ topic: integrationTopic(id, contract), contract })));
  }

  /**
   * On an integration's own topic, every envelope must be that integration's; and when the
   * registry knows it, its impressions, clicks and leads must be for its publisher (as over HTTP).
   */
  private assertOwner(physical: string, events: { source: string; data?: unknown }[]): void {
    const prefix = topicPrefix();
    const owned = parseIntegrationTopic(prefix && physical.startsWith(prefix) ? physical.slice(prefix.length) : physical);
    if (!owned) return;
    const registered = owned.contract === Topic.InboundCardTransactions ? undefined : this.directory.get(owned.integrationId);
    for (const e of events) {
      assertSourceOwnsTopic(e.source, owned.integrationId, physical);
      if (registered) assertPublisherOwnsTraffic(owned.integrationId, registered.publisherId, e);
    }
  }
}
