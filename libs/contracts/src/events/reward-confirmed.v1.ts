import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, money, object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_REWARD, REWARD_REQUIRED, reasonSchema, rewardProperties, statusSchema, type RewardFields } from './reward.shared';

/** `data` of `reward.confirmed` v1 on `rewards`. */
export interface RewardConfirmedV1Data extends RewardFields {
  readonly status: 'confirmed';
  readonly reasonCode: 'hold-period-passed';
  readonly amount: Money;
  readonly settledAt: string;
  readonly confirmedAt: string;
}

export const RewardConfirmedV1: EventDescriptor<'reward.confirmed', 1, RewardConfirmedV1Data, 'rewards'> = {
  type: 'reward.confirmed',
  schemaVersion: 1,
  topic: Topic.Rewards,
  schema: object(
    'A pending reward became payable.',
    {
      ...rewardProperties(),
      status: statusSchema('confirmed', 'Payable in the next payout batch to the bank.'),
      reasonCode: reasonSchema('hold-period-passed', 'The purchase settled and the hold period passed without a full refund.'),
      amount: money('The amount confirmed: the earned amount minus any partial reversals so far.', 'positive'),
      settledAt: dateTime('When the purchase settled (the hold period counts from here).'),
      confirmedAt: dateTime('When the reward was confirmed.'),
    },
    [...REWARD_REQUIRED, 'amount', 'settledAt', 'confirmedAt'],
  ),
  summary: 'A reward became payable.',
  description:
    'Produced by attribution when the purchase has settled and the campaign\'s hold period has passed without a refund. billing moves the amount to customer cashback payable; the next payout batch to the bank includes it.',
  example: {
    ...EXAMPLE_REWARD,
    status: 'confirmed',
    reasonCode: 'hold-period-passed',
    amount: { amountMinor: 4_295, currency: 'SEK' },
    settledAt: '2025-03-16T02:00:00.000Z',
    confirmedAt: '2025-04-15T02:00:05.000Z',
  },
};

export type RewardConfirmedV1Envelope = EnvelopeOf<typeof RewardConfirmedV1>;
