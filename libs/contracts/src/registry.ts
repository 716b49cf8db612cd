import type { AnyEventDescriptor } from './descriptor';
import type { EnvelopeOf } from './envelope';
import * as E from './events';
import { Topic, type TopicName } from './topics';

/**
 * Every event descriptor, every version. Adding a version = adding its file and listing it
 * here and in `TopicEvents` below (the compile-time check at the bottom fails until both agree).
 */
export const EVENT_DESCRIPTORS = [
  E.InboundCardTransactionAuthorizationV1,
  E.InboundCardTransactionSettlementV1,
  E.InboundCardTransactionRefundV1,
  E.InboundCardTransactionReversalV1,
  E.InboundImpressionReportedV1,
  E.InboundClickReportedV1,
  E.InboundLeadReportedV1,
  E.CardTransactionAuthorizedV1,
  E.CardTransactionSettledV1,
  E.CardTransactionRefundedV1,
  E.CardTransactionReversedV1,
  E.ImpressionRecordedV1,
  E.ClickRecordedV1,
  E.LeadRecordedV1,
  E.OfferMatchMatchedV1,
  E.OfferMatchDeclinedV1,
  E.AttributionDeclinedV1,
  E.RewardEarnedV1,
  E.RewardConfirmedV1,
  E.RewardReversedV1,
  E.RewardPaidV1,
  E.RewardReinstatedV1,
  E.ConversionRecordedV1,
  E.ConversionReversedV1,
  E.ConversionConfirmedV1,
  E.BudgetThresholdReachedV1,
  E.BudgetExhaustedV1,
  E.BudgetReplenishedV1,
  E.SpendLimitThresholdReachedV1,
  E.SpendLimitExhaustedV1,
  E.SpendLimitReplenishedV1,
  E.PayoutBatchCreatedV1,
  E.PayoutBatchAcknowledgedV1,
  E.NotificationDeliveredV1,
  E.NotificationFailedV1,
  E.CampaignSnapshotV1,
  E.IntegrationSnapshotV1,
] as const;

export type AnyEventDescriptorInRegistry = (typeof EVENT_DESCRIPTORS)[number];

/**
 * The one typed map from topic to the events it carries. A producer typed
 * `produce<T extends TopicName>(topic: T, event: TopicEvents[T])` cannot put a payload on the
 * wrong topic, and a consumer's handler gets the right union for its topic.
 */
export interface TopicEvents {
  'inbound.card-transactions':
    | E.InboundCardTransactionAuthorizationV1Envelope
    | E.InboundCardTransactionSettlementV1Envelope
    | E.InboundCardTransactionRefundV1Envelope
    | E.InboundCardTransactionReversalV1Envelope;
  'inbound.impressions': E.InboundImpressionReportedV1Envelope;
  'inbound.clicks': E.InboundClickReportedV1Envelope;
  'inbound.leads': E.InboundLeadReportedV1Envelope;
  'card-transactions':
    | E.CardTransactionAuthorizedV1Envelope
    | E.CardTransactionSettledV1Envelope
    | E.CardTransactionRefundedV1Envelope
    | E.CardTransactionReversedV1Envelope;
  impressions: E.ImpressionRecordedV1Envelope;
  clicks: E.ClickRecordedV1Envelope;
  leads: E.LeadRecordedV1Envelope;
  'offer-matches': E.OfferMatchMatchedV1Envelope | E.OfferMatchDeclinedV1Envelope;
  'attribution-decisions': E.AttributionDeclinedV1Envelope;
  rewards: E.RewardEarnedV1Envelope | E.RewardConfirmedV1Envelope | E.RewardReversedV1Envelope | E.RewardPaidV1Envelope | E.RewardReinstatedV1Envelope;
  conversions: E.ConversionRecordedV1Envelope | E.ConversionReversedV1Envelope | E.ConversionConfirmedV1Envelope;
  'budget-events':
    | E.BudgetThresholdReachedV1Envelope
    | E.BudgetExhaustedV1Envelope
    | E.BudgetReplenishedV1Envelope
    | E.SpendLimitThresholdReachedV1Envelope
    | E.SpendLimitExhaustedV1Envelope
    | E.SpendLimitReplenishedV1Envelope;
  payouts: E.PayoutBatchCreatedV1Envelope | E.PayoutBatchAcknowledgedV1Envelope;
  notifications: E.NotificationDeliveredV1Envelope | E.NotificationFailedV1Envelope;
  campaigns: E.CampaignSnapshotV1Envelope;
  integrations: E.IntegrationSnapshotV1Envelope;
}

/** Any event on any topic. */
export type AnyEvent = TopicEvents[TopicName];
/** The event types (`type` strings) a topic carries. */
export type EventTypeOf<T extends TopicName> = TopicEvents[T]['type'];
/** The envelope of one event type on one topic: `EventOf<'rewards', 'reward.earned'>`. */
export type EventOf<T extends TopicName, TType extends EventTypeOf<T>> = Extract<TopicEvents[T], { type: TType }>;

// --- compile-time consistency between EVENT_DESCRIPTORS and TopicEvents ---------------
type DerivedTopicEvents = {
  [T in TopicName]: AnyEventDescriptorInRegistry extends infer D
    ? D extends AnyEventDescriptor
      ? D['topic'] extends T
        ? EnvelopeOf<D>
        : never
      : never
    : never;
};
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AllTrue<T extends Record<string, boolean>> = T[keyof T] extends true ? true : false;
const registryMatchesDescriptors: AllTrue<{ [T in TopicName]: Same<TopicEvents[T], DerivedTopicEvents[T]> }> = true;
void registryMatchesDescriptors;
const everyTopicHasEvents: { [T in TopicName]: TopicEvents[T] extends never ? false : true }[TopicName] = true;
void everyTopicHasEvents;

// --- runtime lookup --------------------------------------------------------------------

const byTopicTypeVersion = new Map<string, AnyEventDescriptorInRegistry>();
const versionsByTopicType = new Map<string, number[]>();
for (const d of EVENT_DESCRIPTORS) {
  const key = `${d.topic}|${d.type}`;
  if (byTopicTypeVersion.has(`${key}|${d.schemaVersion}`)) throw new Error(`duplicate descriptor ${key} v${d.schemaVersion}`);
  byTopicTypeVersion.set(`${key}|${d.schemaVersion}`, d);
  versionsByTopicType.set(key, [...(versionsByTopicType.get(key) ?? []), d.schemaVersion].sort((a, b) => a - b));
}

/** The descriptor for (topic, type, version), if any. */
export function findDescriptor(topic: string, type: string, schemaVersion: number): AnyEventDescriptorInRegistry | undefined {
  return byTopicTypeVersion.get(`${topic}|${type}|${schemaVersion}`);
}

/** The schema versions known for (topic, type); empty when the type is unknown on that topic. */
export function knownVersions(topic: string, type: string): readonly number[] {
  return versionsByTopicType.get(`${topic}|${type}`) ?? [];
}

/** Descriptors of the events a topic carries. */
export function descriptorsForTopic(topic: TopicName): readonly AnyEventDescriptorInRegistry[] {
  return EVENT_DESCRIPTORS.filter((d) => d.topic === topic);
}

/** Every topic, with the event types it carries — handy for docs and assertions. */
export function eventTypesByTopic(): Record<TopicName, string[]> {
  const out = Object.fromEntries(Object.values(Topic).map((t) => [t, [] as string[]])) as Record<TopicName, string[]>;
  for (const d of EVENT_DESCRIPTORS) if (!out[d.topic].includes(d.type)) out[d.topic].push(d.type);
  return out;
}
