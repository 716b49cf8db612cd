import { Inject, Injectable } from '@nestjs/common';
import { INBOUND_TOPICS, integrationTopic, integrationTopicSpecs, parseIntegrationTopic, type InboundTopicName, type TopicEvents } from '@prestanda/contracts';
import { ensureTopics, physicalTopic, topicPrefix, type BatchContext, type Subscription, type TopicBatchHandlers, type TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import type { Kafka } from 'kafkajs';
import { INGESTION_CONFIG, IngestionEnv } from '../config';
import { assertSourceOwnsTopic } from './checks';
import { GateService } from './gate.service';

/**
 * The inbound topics: the shared `inbound.*` (unless switched off) and each configured
 * integration's own `inbound.<id>.<kind>`. The consumer has already validated each message
 * against its contract (and dead-lettered the invalid ones, redacting card numbers); the gate
 * does the rest in the consumer's transaction, a chunk at a time. A GateRefusal fails the chunk:
 * the consumer then applies its events one at a time, and dead-letters the refused one with code
 * `rejected` and its reason. On an integration's own topic that includes `source-mismatch`.
 */
@Injectable()
export class GateConsumer implements EventHandlerSet {
  constructor(
    private readonly gate: GateService,
    @Inject(INGESTION_CONFIG) private readonly config: IngestionEnv,
  ) {}

  handlers(): TopicHandlers {
    return {};
  }

  subscriptions(): Subscription[] {
    const shared = this.config.INGESTION_SHARED_INBOUND_TOPICS === 'on' ? INBOUND_TOPICS.map((contract) => ({ topic: physicalTopic(contract), contract })) : [];
    return [...shared, ...this.ownTopics().map(({ topic, contract }) => ({ topic: physicalTopic(topic), contract }))];
  }

  /**
   * Creates the integrations' own topics (and their dead-letter topics) that do not exist yet, like
   * the shared ones of their kind. In a deployment the topics job creates them first
   * (tools/scripts/create-topics.ts reads the same variable), so the service needs no create right.
   */
  async prepare(kafka: Kafka): Promise<void> {
    const specs = integrationTopicSpecs(this.config.integrationTopicOwners());
    if (specs.length === 0) return;
    await ensureTopics(kafka, specs.map((s) => ({ ...s, config: { ...s.config } })), { replicationFactor: this.config.KAFKA_REPLICATION_FACTOR });
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
    return this.config.integrationTopicOwners().flatMap((id) => INBOUND_TOPICS.map((contract) => ({ topic: integrationTopic(id, contract), contract })));
  }

  /** On an integration's own topic, every envelope must be that integration's. */
  private assertOwner(physical: string, events: { source: string }[]): void {
    const prefix = topicPrefix();
    const owned = parseIntegrationTopic(prefix && physical.startsWith(prefix) ? physical.slice(prefix.length) : physical);
    if (!owned) return;
    for (const e of events) assertSourceOwnsTopic(e.source, owned.integrationId, physical);
  }
}
