import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, id, money, object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_REWARD, REWARD_REQUIRED, reasonSchema, rewardProperties, statusSchema, type RewardFields } from './reward.shared';

/** `data` of `reward.reinstated` v1 on `rewards`. */
export interface RewardReinstatedV1Data extends RewardFields {
  readonly status: 'earned';
  readonly reasonCode: 'settled-after-expiry';
  readonly amount: Money;
  readonly platformFee: Money;
  readonly publisherShare: Money;
  readonly transactionId: string;
  readonly settledAt: string;
  readonly reinstatedAt: string;
}

export const RewardReinstatedV1: EventDescriptor<'reward.reinstated', 1, RewardReinstatedV1Data, 'rewards'> = {
  type: 'reward.reinstated',
  schemaVersion: 1,
  topic: Topic.Rewards,
  schema: object(
    'A reward reversed because its authorization expired is earned again: the purchase settled after all.',
    {
      ...rewardProperties(),
      status: statusSchema('earned', 'Pending again; confirmed after the hold period from the settlement.'),
      reasonCode: reasonSchema('settled-after-expiry', 'The settlement arrived after the authorization had expired (reward.reversed with authorization-expired).'),
      amount: money('The reward earned again: what the customer keeps after any refunds so far.', 'positive'),
      platformFee: money('The platform fee charged again, in the same proportion.', 'non-negative'),
      publisherShare: money("The publisher's share of that fee.", 'non-negative'),
      transactionId: id('The settlement that arrived.', 'txn-9f2c'),
      settledAt: dateTime('When the purchase settled.'),
      reinstatedAt: dateTime('When attribution reinstated the reward.'),
    },
    [...REWARD_REQUIRED, 'amount', 'platformFee', 'publisherShare', 'transactionId', 'settledAt', 'reinstatedAt'],
  ),
  summary: 'An expired reward is earned again.',
  description:
    'Produced by attribution, at most once per reward, when a settlement arrives for a purchase whose authorization had expired. The same reward (same rewardId) is back: billing charges the advertiser again (budget checked), the hold period counts from the settlement.',
  example: {
    ...EXAMPLE_REWARD,
    status: 'earned',
    reasonCode: 'settled-after-expiry',
    amount: { amountMinor: 4_295, currency: 'SEK' },
    platformFee: { amountMinor: 859, currency: 'SEK' },
    publisherShare: { amountMinor: 258, currency: 'SEK' },
    transactionId: 'txn-9f2c',
    settledAt: '2025-04-02T02:00:00.000Z',
    reinstatedAt: '2025-04-02T02:00:03.000Z',
  },
};

export type RewardReinstatedV1Envelope = EnvelopeOf<typeof RewardReinstatedV1>;
