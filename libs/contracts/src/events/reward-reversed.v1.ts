import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { boolean, dateTime, enumOf, id, money, object } from '../json-schema';
import { REWARD_REVERSAL_REASONS, type RewardReversalReason } from '../reason-codes';
import { Topic } from '../topics';
import { anyStatusSchema, EXAMPLE_REWARD, REWARD_REQUIRED, rewardProperties, type RewardFields, type RewardStatus } from './reward.shared';

/** `data` of `reward.reversed` v1 on `rewards`. */
export interface RewardReversedV1Data extends RewardFields {
  readonly status: RewardStatus;
  readonly reasonCode: RewardReversalReason;
  readonly reversedAmount: Money;
  readonly remainingAmount: Money;
  readonly platformFeeReversed: Money;
  readonly publisherShareReversed: Money;
  readonly transactionId?: string;
  readonly afterPayout: boolean;
  readonly reversedAt: string;
}

export const RewardReversedV1: EventDescriptor<'reward.reversed', 1, RewardReversedV1Data, 'rewards'> = {
  type: 'reward.reversed',
  schemaVersion: 1,
  topic: Topic.Rewards,
  schema: object(
    'All or part of a reward was clawed back.',
    {
      ...rewardProperties(),
      status: anyStatusSchema(
        'Reward status after this reversal: "reversed" when nothing remains; otherwise the status it had ("earned", "confirmed" or "paid") with a smaller remaining amount.',
      ),
      reasonCode: enumOf(
        '"refund-netted": the purchase was refunded in full or in part and the reward reduced in proportion; "authorization-reversed": the authorization was cancelled and never settled; "authorization-expired": the authorization was not settled within the bank\'s window (14 days by default) and is treated as reversed — a settlement after that reinstates the reward once (reward.reinstated); "ops-adjustment": reversed by an ops user in the console (e.g. a resolved dispute).',
        REWARD_REVERSAL_REASONS,
      ),
      reversedAmount: money(
        'The cashback clawed back by this event. Partial refunds: reward − floor(reward × (purchase − total refunded) / purchase) minus what earlier reversals already clawed back, so refunds adding up to the purchase claw back exactly the reward.',
        'positive',
      ),
      remainingAmount: money('The cashback the customer keeps after this reversal (zero when fully reversed).', 'non-negative'),
      platformFeeReversed: money('The part of the platform fee credited back to the advertiser.', 'non-negative'),
      publisherShareReversed: money("The part of the publisher's revenue share taken back.", 'non-negative'),
      transactionId: id("The bank's transactionId of the refund or reversal that caused this, when one did.", 'txn-20250320-refund-51d0e3'),
      afterPayout: boolean(
        'True when the reward had already been paid out: the clawback becomes a negative balance that nets against the customer\'s next payout instead of being taken back from a pending balance.',
      ),
      reversedAt: dateTime('When the reversal was decided.'),
    },
    [...REWARD_REQUIRED, 'reversedAmount', 'remainingAmount', 'platformFeeReversed', 'publisherShareReversed', 'afterPayout', 'reversedAt'],
  ),
  summary: 'A reward was reversed in full or in part.',
  description:
    'Produced by attribution on a refund (in proportion to the refunded share), a reversal (in full) or an ops adjustment. billing credits the advertiser back and reduces the customer\'s payable (or books a negative balance after payout); notification tells the customer.',
  example: {
    ...EXAMPLE_REWARD,
    status: 'earned',
    reasonCode: 'refund-netted',
    reversedAmount: { amountMinor: 1_000, currency: 'SEK' },
    remainingAmount: { amountMinor: 3_295, currency: 'SEK' },
    platformFeeReversed: { amountMinor: 200, currency: 'SEK' },
    publisherShareReversed: { amountMinor: 60, currency: 'SEK' },
    transactionId: 'txn-20250320-refund-51d0e3',
    afterPayout: false,
    reversedAt: '2025-03-20T11:30:00.000Z',
  },
};

export type RewardReversedV1Envelope = EnvelopeOf<typeof RewardReversedV1>;
