import { DEAD_LETTER_VALUE_MAX_BYTES, TOPIC_MAX_MESSAGE_BYTES } from './limits';

/**
 * The one place that names every Kafka topic. Nothing else in the code base may spell a
 * topic name as a string literal: use `Topic.CardTransactions`, `dlqTopic(...)`, and the
 * specs below (topic-creation scripts and the AsyncAPI document read `TOPIC_SPECS`).
 */
export const Topic = {
  InboundCardTransactions: 'inbound.card-transactions',
  InboundImpressions: 'inbound.impressions',
  InboundClicks: 'inbound.clicks',
  InboundLeads: 'inbound.leads',
  CardTransactions: 'card-transactions',
  Impressions: 'impressions',
  Clicks: 'clicks',
  Leads: 'leads',
  OfferMatches: 'offer-matches',
  AttributionDecisions: 'attribution-decisions',
  Rewards: 'rewards',
  Conversions: 'conversions',
  BudgetEvents: 'budget-events',
  Payouts: 'payouts',
  Notifications: 'notifications',
  Campaigns: 'campaigns',
  Integrations: 'integrations',
} as const;

export type TopicName = (typeof Topic)[keyof typeof Topic];
export type InboundTopicName = Extract<TopicName, `inbound.${string}`>;
export type CanonicalTopicName = Exclude<TopicName, InboundTopicName>;
export type DlqTopicName = `${TopicName}.dlq`;

export const TOPIC_NAMES: readonly TopicName[] = Object.freeze(Object.values(Topic));

export const DLQ_SUFFIX = '.dlq';

/** The dead-letter topic of a topic: `card-transactions` → `card-transactions.dlq`. */
export function dlqTopic<T extends TopicName>(topic: T): `${T}.dlq` {
  return `${topic}${DLQ_SUFFIX}` as `${T}.dlq`;
}

export function isTopicName(value: string): value is TopicName {
  return (TOPIC_NAMES as readonly string[]).includes(value);
}

export function isInboundTopic(topic: TopicName): topic is InboundTopicName {
  return topic.startsWith('inbound.');
}

/** Which field of the event's `data` is the Kafka message key. */
export type MessageKeyRule =
  | 'customerId'
  | 'customerId-else-leadId'
  | 'campaignId'
  | 'advertiserId'
  | 'payeeId'
  | 'recipientId'
  | 'integrationId';

export interface TopicSpec {
  readonly name: TopicName;
  readonly kind: 'inbound' | 'canonical';
  /** Default partition count; deployments may raise it (never lower it: keys would move). */
  readonly partitions: number;
  readonly key: MessageKeyRule;
  /** Human explanation of the key, for integrators and the AsyncAPI document. */
  readonly keyDescription: string;
  readonly description: string;
  /** Topic-level Kafka configuration to set at creation. */
  readonly config: Readonly<Record<string, string>>;
  /** Services that produce to it (integrations for inbound topics). */
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
}

export interface DlqTopicSpec {
  readonly name: DlqTopicName;
  readonly kind: 'dead-letter';
  readonly deadLetterOf: TopicName;
  readonly partitions: number;
  readonly keyDescription: string;
  readonly description: string;
  readonly config: Readonly<Record<string, string>>;
}

/** Inbound topics and their dead letters take the same largest message (limits.ts). */
const SIZED = { 'max.message.bytes': String(TOPIC_MAX_MESSAGE_BYTES) } as const;

const CUSTOMER_KEY = 'The customer id (`data.customerId`), so that every event of one customer stays in order within one partition.';

export const TOPIC_SPECS: readonly TopicSpec[] = Object.freeze<TopicSpec[]>([
  {
    name: Topic.InboundCardTransactions,
    kind: 'inbound',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description:
      "Card transactions as a bank sends them: authorizations, settlements (clearing), refunds and reversals. Produced only by bank integrations (ACLs: an integration may write only to inbound.* topics). Anything may arrive here; the ingestion service validates, de-duplicates on (source, transactionId) and re-publishes to card-transactions, or dead-letters to inbound.card-transactions.dlq.",
    config: SIZED,
    producers: ['bank integrations'],
    consumers: ['ingestion'],
  },
  {
    name: Topic.InboundImpressions,
    kind: 'inbound',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description: 'Offer impressions reported by publishers (a bank app showed an offer to a customer). Validated and de-duplicated by ingestion onto impressions.',
    config: SIZED,
    producers: ['bank integrations', 'publisher integrations', 'ingestion (HTTP beacon edge)'],
    consumers: ['ingestion'],
  },
  {
    name: Topic.InboundClicks,
    kind: 'inbound',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description: 'Clicks on offers and offer activations reported by publishers. Validated and de-duplicated by ingestion onto clicks.',
    config: SIZED,
    producers: ['bank integrations', 'publisher integrations', 'ingestion (HTTP redirect edge)'],
    consumers: ['ingestion'],
  },
  {
    name: Topic.InboundLeads,
    kind: 'inbound',
    partitions: 4,
    key: 'customerId-else-leadId',
    keyDescription: 'The customer id when the lead carries one, otherwise the lead id.',
    description: 'Leads (sign-ups, form submissions) reported by advertisers or publishers for CPL campaigns. Validated and de-duplicated on leadId by ingestion onto leads.',
    config: SIZED,
    producers: ['advertiser integrations', 'publisher integrations', 'ingestion (HTTP postback edge)'],
    consumers: ['ingestion'],
  },
  {
    name: Topic.CardTransactions,
    kind: 'canonical',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description: 'Validated, de-duplicated and normalised card transactions (one event per bank transaction, exactly once per (bank source, transactionId)).',
    config: {},
    producers: ['ingestion'],
    consumers: ['offer-matching', 'attribution'],
  },
  {
    name: Topic.Impressions,
    kind: 'canonical',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description: 'Validated, de-duplicated offer impressions.',
    config: {},
    producers: ['ingestion', 'affiliate (redirect edge, pixel and lead postbacks)'],
    consumers: ['attribution', 'billing'],
  },
  {
    name: Topic.Clicks,
    kind: 'canonical',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description: 'Validated, de-duplicated clicks and offer activations.',
    config: {},
    producers: ['ingestion', 'affiliate (redirect edge, pixel and lead postbacks)'],
    consumers: ['attribution', 'billing'],
  },
  {
    name: Topic.Leads,
    kind: 'canonical',
    partitions: 4,
    key: 'customerId-else-leadId',
    keyDescription: 'The customer id when the lead carries one, otherwise the lead id.',
    description: 'Validated leads, de-duplicated on leadId.',
    config: {},
    producers: ['ingestion', 'affiliate (redirect edge, pixel and lead postbacks)'],
    consumers: ['attribution', 'billing'],
  },
  {
    name: Topic.OfferMatches,
    kind: 'canonical',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description: 'The outcome of matching one purchase against one candidate campaign: a match (the purchase qualifies for a reward) or a decline with its reason code.',
    config: {},
    producers: ['offer-matching'],
    consumers: ['attribution'],
  },
  {
    name: Topic.AttributionDecisions,
    kind: 'canonical',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description: "Attribution's decisions on offer-matches that did not become rewards (attribution.declined), with the reservation to release. offer-matching gives the reserved budget back.",
    config: {},
    producers: ['attribution'],
    consumers: ['offer-matching'],
  },
  {
    name: Topic.Rewards,
    kind: 'canonical',
    partitions: 4,
    key: 'customerId',
    keyDescription: CUSTOMER_KEY,
    description: "Every change in a customer's reward: earned (pending), confirmed, reversed (in full or in part), paid.",
    config: {},
    producers: ['attribution', 'billing (reward.paid)'],
    consumers: ['billing', 'notification'],
  },
  {
    name: Topic.Conversions,
    kind: 'canonical',
    partitions: 4,
    key: 'campaignId',
    keyDescription: "The campaign id, so that billing sees one campaign's billable actions in order.",
    description: 'Attributed billable actions (card-linked CPA purchases, affiliate sales) with the amounts to charge the advertiser and credit the publisher, and the lifecycle of affiliate commissions (reversed on returns, confirmed after the lock period).',
    config: {},
    producers: ['attribution', 'affiliate'],
    consumers: ['billing', 'notification'],
  },
  {
    name: Topic.BudgetEvents,
    kind: 'canonical',
    partitions: 4,
    key: 'advertiserId',
    keyDescription: "The advertiser id, so that all budget changes of one advertiser's campaigns stay in order.",
    description: 'Budget thresholds of campaigns (budget.*) and of advertiser budgets and per-bank caps (spend-limit.*): 80 % reached, exhausted (matching stops), replenished.',
    config: {},
    producers: ['billing'],
    consumers: ['campaigns', 'offer-matching', 'notification'],
  },
  {
    name: Topic.Payouts,
    kind: 'canonical',
    partitions: 4,
    key: 'payeeId',
    keyDescription: 'The payee id (the bank or affiliate publisher being paid).',
    description: 'Payout batches: customer cashback per bank, commission per affiliate, and their acknowledgements.',
    config: {},
    producers: ['billing'],
    consumers: ['notification'],
  },
  {
    name: Topic.Notifications,
    kind: 'canonical',
    partitions: 4,
    key: 'recipientId',
    keyDescription: 'The recipient id (bank, affiliate, advertiser or customer).',
    description: 'Delivery outcomes of outgoing webhooks and e-mails (delivered, failed after the last retry).',
    config: {},
    producers: ['notification'],
    consumers: ['console (via the notification REST API)', 'ops tooling'],
  },
  {
    name: Topic.Campaigns,
    kind: 'canonical',
    partitions: 1,
    key: 'campaignId',
    keyDescription: 'The campaign id. The topic is log-compacted: the latest snapshot per campaign id is its current state.',
    description:
      "The full current state of every campaign, as a log-compacted topic. Consumers that need every campaign (offer-matching's merchant index, attribution, billing) read it from the beginning with all partitions assigned, not as a share of a consumer group. Ended campaigns stay as snapshots with status 'ended'; the topic carries no tombstones.",
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
    producers: ['campaigns'],
    consumers: ['offer-matching', 'attribution', 'billing'],
  },
  {
    name: Topic.Integrations,
    kind: 'canonical',
    partitions: 1,
    key: 'integrationId',
    keyDescription: 'The integration id. The topic is log-compacted: the latest snapshot per integration is its current registration.',
    description:
      "The integration registry (banks, rewards apps, publishers), as a log-compacted topic: ingestion opens a registered integration's own inbound topics and binds the publisher its traffic is reported for. Carries no API keys.",
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
    producers: ['campaigns'],
    consumers: ['ingestion'],
  },
]);

const DLQ_RETENTION_MS = String(30 * 24 * 60 * 60 * 1000);

/** One dead-letter topic per topic. The original bytes and key are kept untouched; see README for the headers. */
export const DLQ_TOPIC_SPECS: readonly DlqTopicSpec[] = Object.freeze(
  TOPIC_SPECS.map(
    (spec): DlqTopicSpec => ({
      name: dlqTopic(spec.name),
      kind: 'dead-letter',
      deadLetterOf: spec.name,
      partitions: 1,
      keyDescription: `The original message key of ${spec.name}, unchanged.`,
      description: `Messages of ${spec.name} that could not be processed: the original key and value (card numbers redacted; a value over ${DEAD_LETTER_VALUE_MAX_BYTES} bytes truncated, with x-truncated, x-original-size and x-original-sha256 saying so), with x-dlq-* and x-original-* headers that say why, where and when, and where the original still lies. Inspected and replayed from the console. Kept 30 days.`,
      config: { 'retention.ms': DLQ_RETENTION_MS, ...SIZED },
    }),
  ),
);

export function topicSpec(topic: TopicName): TopicSpec {
  const spec = TOPIC_SPECS.find((s) => s.name === topic);
  if (!spec) throw new Error(`No TopicSpec for ${topic}`);
  return spec;
}

/** Headers a dead-lettered message carries (values are UTF-8 strings). */
export const DlqHeader = {
  Reason: 'x-dlq-reason',
  Code: 'x-dlq-code',
  Field: 'x-dlq-field',
  OriginalTopic: 'x-original-topic',
  OriginalPartition: 'x-original-partition',
  OriginalOffset: 'x-original-offset',
  FailedAt: 'x-failed-at',
  SourceService: 'x-dlq-source-service',
  Attempts: 'x-attempts',
  /** "true" when the value is the first DEAD_LETTER_VALUE_MAX_BYTES bytes of the original. */
  Truncated: 'x-truncated',
  /** Size in bytes of the original value (as stored here before truncation: card numbers already redacted). */
  OriginalSize: 'x-original-size',
  /** Hex SHA-256 of that full value. */
  OriginalSha256: 'x-original-sha256',
  /** How many original headers were left out (over DEAD_LETTER_MAX_ORIGINAL_HEADERS); absent when none. */
  OriginalHeadersDropped: 'x-original-headers-dropped',
} as const;
