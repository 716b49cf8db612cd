import { DLQ_SUFFIX, DLQ_TOPIC_SPECS, isInboundTopic, Topic, topicSpec, type InboundTopicName } from './topics';

/**
 * An integration's own inbound topics: `inbound.<integrationId>.<kind>`, e.g.
 * `inbound.bank-a.card-transactions`. Each integration may write only its own (literal ACLs, see
 * deploy/kafka-acls.md), so the gate knows who is knocking from the topic a message came on,
 * and refuses an envelope whose `source` says otherwise (`source-mismatch`). Their messages
 * follow the contract of the shared topic of the same kind; their dead letters go to
 * `<topic>.dlq`.
 */

/** Integration ids that can name topics: lower-case letters, digits and dashes (Kafka topic names allow no more). */
export const TOPIC_SAFE_INTEGRATION_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** The shared topics an integration gets its own copy of. */
export const INBOUND_TOPICS: readonly InboundTopicName[] = [Topic.InboundCardTransactions, Topic.InboundImpressions, Topic.InboundClicks, Topic.InboundLeads];

/** `inbound.<integrationId>.<kind>` for the shared inbound topic `contract`. */
export function integrationTopic(integrationId: string, contract: InboundTopicName): string {
  if (!TOPIC_SAFE_INTEGRATION_ID.test(integrationId)) throw new Error(`integration id ${JSON.stringify(integrationId)} cannot name a topic (lower-case letters, digits, dashes; 1-64)`);
  return `inbound.${integrationId}.${contract.slice('inbound.'.length)}`;
}

/** The integration and contract of an integration topic name (without prefix), or undefined for any other name. */
export function parseIntegrationTopic(name: string): { integrationId: string; contract: InboundTopicName } | undefined {
  const m = /^inbound\.([a-z0-9-]+)\.([a-z-]+)$/.exec(name);
  if (!m || !TOPIC_SAFE_INTEGRATION_ID.test(m[1])) return undefined;
  const contract = `inbound.${m[2]}`;
  return isInboundTopicName(contract) ? { integrationId: m[1], contract } : undefined;
}

function isInboundTopicName(name: string): name is InboundTopicName {
  return (INBOUND_TOPICS as readonly string[]).includes(name) && isInboundTopic(name as InboundTopicName);
}

/** A topic to create: name (without deployment prefix), partitions and topic config. */
export interface IntegrationTopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Every topic the integrations `ids` need: their own copy of each inbound topic (partitions and
 * config of the shared topic of that kind) and its dead-letter topic.
 */
export function integrationTopicSpecs(ids: readonly string[]): IntegrationTopicSpec[] {
  return [...new Set(ids)].flatMap((id) =>
    INBOUND_TOPICS.flatMap((contract) => {
      const name = integrationTopic(id, contract);
      const dlq = DLQ_TOPIC_SPECS.find((d) => d.deadLetterOf === contract)!;
      return [
        { name, partitions: topicSpec(contract).partitions, config: topicSpec(contract).config },
        { name: `${name}${DLQ_SUFFIX}`, partitions: dlq.partitions, config: dlq.config },
      ];
    }),
  );
}
