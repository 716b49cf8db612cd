import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, id, money, object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_REWARD, REWARD_REQUIRED, reasonSchema, rewardProperties, statusSchema, type RewardFields } from './reward.shared';

/** `data` of `reward.paid` v1 on `rewards`. */
export interface RewardPaidV1Data extends RewardFields {
  readonly status: 'paid';
  readonly reasonCode: 'paid-out';
  readonly amount: Money;
  readonly payoutBatchId: string;
  readonly paidAt: string;
}

export const RewardPaidV1: EventDescriptor<'reward.paid', 1, RewardPaidV1Data, 'rewards'> = {
  type: 'reward.paid',
  schemaVersion: 1,
  topic: Topic.Rewards,
  schema: object(
    'A confirmed reward was included in a payout batch to the customer\'s bank.',
    {
      ...rewardProperties(),
      status: statusSchema('paid', 'Handed to the bank for crediting to the customer.'),
      reasonCode: reasonSchema('paid-out', 'Included in a payout batch.'),
      amount: money('The amount paid for this reward.', 'positive'),
      payoutBatchId: id('The payout.batch-created batch that carries it.', 'pob-2025-04-bank-demo-se-001'),
      paidAt: dateTime('When the bank acknowledged the payout batch.'),
    },
    [...REWARD_REQUIRED, 'amount', 'payoutBatchId', 'paidAt'],
  ),
  summary: 'A reward was paid out to the customer\'s bank.',
  description:
    'Produced by billing when the customer\'s bank acknowledges (accepts) the payout batch line that carries the confirmed reward: the money has left Prestanda for the customer\'s account. One per reward and batch; a rejected line sends nothing (the reward goes into the next run). A refund after this point creates a negative balance that nets against the customer\'s next payout.',
  example: {
    ...EXAMPLE_REWARD,
    status: 'paid',
    reasonCode: 'paid-out',
    amount: { amountMinor: 4_295, currency: 'SEK' },
    payoutBatchId: 'pob-2025-04-bank-demo-se-001',
    paidAt: '2025-05-01T06:00:00.000Z',
  },
};

export type RewardPaidV1Envelope = EnvelopeOf<typeof RewardPaidV1>;
