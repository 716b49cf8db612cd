import { exampleEnvelope } from './asyncapi';
import { newEnvelope, type EventEnvelope } from './envelope';
import {
  CardTransactionAuthorizedV1,
  ImpressionRecordedV1,
  InboundCardTransactionAuthorizationV1,
  RewardEarnedV1,
  type RewardEarnedV1Envelope,
} from './events';
import { descriptorsForTopic, EVENT_DESCRIPTORS, eventTypesByTopic, type EventOf, type TopicEvents } from './registry';
import { Topic, TOPIC_NAMES, type TopicName } from './topics';

/** What a typed producer looks like (libs/kafka's EventProducer.send has this signature). */
function produce<T extends TopicName>(topic: T, event: TopicEvents[T]): { topic: T; type: string } {
  return { topic, type: event.type };
}

describe('TopicEvents: the wrong payload on a topic does not compile', () => {
  const rewardEarned = exampleEnvelope(RewardEarnedV1);
  const authorization = exampleEnvelope(InboundCardTransactionAuthorizationV1);
  const authorized = exampleEnvelope(CardTransactionAuthorizedV1);

  it('accepts each event on its own topic', () => {
    expect(produce(Topic.Rewards, rewardEarned)).toEqual({ topic: 'rewards', type: 'reward.earned' });
    expect(produce(Topic.InboundCardTransactions, authorization).type).toBe('card-transaction.authorization');
    expect(produce('card-transactions', authorized).type).toBe('card-transaction.authorized');
  });

  it('rejects an event on another topic', () => {
    // @ts-expect-error a reward is not a card transaction
    produce(Topic.CardTransactions, rewardEarned);
    // @ts-expect-error the inbound (bank) shape is not the canonical one: no bankSource, purchaseId, normalisedDescriptor
    produce(Topic.CardTransactions, authorization);
    // @ts-expect-error canonical transactions never go back to the inbound topic
    produce(Topic.InboundCardTransactions, authorized);
    // @ts-expect-error there is no such topic
    produce('card-transaction', authorized);
    expect(true).toBe(true);
  });

  it('rejects a payload of the wrong shape, type string or version', () => {
    const bad = { ...rewardEarned, data: { ...rewardEarned.data, amount: 4295 } };
    // @ts-expect-error amounts are Money objects, not numbers
    produce(Topic.Rewards, bad);
    const wrongType = { ...rewardEarned, type: 'reward.earnt' as const };
    // @ts-expect-error unknown event type on the topic
    produce(Topic.Rewards, wrongType);
    const v2 = { ...rewardEarned, schemaVersion: 2 as const };
    // @ts-expect-error schemaVersion 2 of reward.earned does not exist
    produce(Topic.Rewards, v2);
    const { customerId: _, ...withoutCustomer } = rewardEarned.data;
    // @ts-expect-error customerId is required
    produce(Topic.Rewards, { ...rewardEarned, data: withoutCustomer });
    expect(true).toBe(true);
  });

  it('narrows the union by type in a consumer', () => {
    const handle = (event: TopicEvents['rewards']): string => {
      switch (event.type) {
        case 'reward.earned':
          return `${event.data.amount.amountMinor} via ${event.data.attribution.method}`;
        case 'reward.reversed':
          return `${event.data.reversedAmount.amountMinor} ${event.data.reasonCode}`;
        default:
          return event.data.status;
      }
    };
    expect(handle(rewardEarned)).toBe('4295 via activation');
    const earned: EventOf<'rewards', 'reward.earned'> = rewardEarned;
    const envelope: RewardEarnedV1Envelope = earned;
    expect(envelope.data.rewardId).toBe('rwd-2b7e9c41d0');
  });

  it('newEnvelope types its result from the descriptor', () => {
    const e = newEnvelope(ImpressionRecordedV1, { source: 'ingestion', occurredAt: new Date(), data: ImpressionRecordedV1.example });
    const typed: TopicEvents['impressions'] = e;
    expect(typed.type).toBe('impression.recorded');
    // @ts-expect-error data must match the descriptor
    newEnvelope(ImpressionRecordedV1, { source: 'ingestion', occurredAt: new Date(), data: RewardEarnedV1.example });
    const generic: EventEnvelope = e;
    expect(generic.schemaVersion).toBe(1);
  });
});

describe('registry at runtime', () => {
  it('has events for every topic, and every descriptor on a known topic', () => {
    const byTopic = eventTypesByTopic();
    for (const topic of TOPIC_NAMES) expect(byTopic[topic].length).toBeGreaterThan(0);
    for (const d of EVENT_DESCRIPTORS) expect(TOPIC_NAMES).toContain(d.topic);
  });

  it('has one descriptor per (topic, type, version)', () => {
    const keys = EVENT_DESCRIPTORS.map((d) => `${d.topic}|${d.type}|${d.schemaVersion}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lists the event types per topic', () => {
    expect(eventTypesByTopic()).toEqual({
      'inbound.card-transactions': ['card-transaction.authorization', 'card-transaction.settlement', 'card-transaction.refund', 'card-transaction.reversal'],
      'inbound.impressions': ['impression.reported'],
      'inbound.clicks': ['click.reported'],
      'inbound.leads': ['lead.reported'],
      'card-transactions': ['card-transaction.authorized', 'card-transaction.settled', 'card-transaction.refunded', 'card-transaction.reversed'],
      impressions: ['impression.recorded'],
      clicks: ['click.recorded'],
      leads: ['lead.recorded'],
      'offer-matches': ['offer-match.matched', 'offer-match.declined'],
      'attribution-decisions': ['attribution.declined'],
      rewards: ['reward.earned', 'reward.confirmed', 'reward.reversed', 'reward.paid', 'reward.reinstated'],
      conversions: ['conversion.recorded', 'conversion.reversed', 'conversion.confirmed'],
      'budget-events': ['budget.threshold-reached', 'budget.exhausted', 'budget.replenished', 'spend-limit.threshold-reached', 'spend-limit.exhausted', 'spend-limit.replenished'],
      payouts: ['payout.batch-created', 'payout.batch-acknowledged'],
      notifications: ['notification.delivered', 'notification.failed'],
      campaigns: ['campaign.snapshot'],
      integrations: ['integration.snapshot'],
    });
    expect(descriptorsForTopic(Topic.Campaigns)).toHaveLength(1);
  });
});
