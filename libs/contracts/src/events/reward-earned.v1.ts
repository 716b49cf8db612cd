import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, enumOf, id, integer, money, object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_REWARD, REWARD_REQUIRED, reasonSchema, rewardProperties, statusSchema, type RewardFields } from './reward.shared';

export type AttributionMethod = 'activation' | 'click' | 'impression' | 'bank-default';

/** `data` of `reward.earned` v1 on `rewards`. */
export interface RewardEarnedV1Data extends RewardFields {
  readonly matchId: string;
  readonly status: 'earned';
  readonly reasonCode: 'rewarded';
  readonly amount: Money;
  readonly platformFee: Money;
  readonly publisherShare: Money;
  readonly attribution: { readonly method: AttributionMethod; readonly touchpointId?: string };
  readonly holdPeriodDays: number;
  readonly earnedAt: string;
}

export const RewardEarnedV1: EventDescriptor<'reward.earned', 1, RewardEarnedV1Data, 'rewards'> = {
  type: 'reward.earned',
  schemaVersion: 1,
  topic: Topic.Rewards,
  schema: object(
    'A customer earned cashback on a purchase (pending until confirmed).',
    {
      ...rewardProperties(),
      matchId: id('The offer-match.matched outcome this reward comes from.', 'om-8c1d4e2f9a0b'),
      status: statusSchema('earned', 'Pending: not yet payable.'),
      reasonCode: reasonSchema('rewarded', 'The purchase met every rule of the campaign.'),
      amount: money('The cashback earned, rounded down to the minor unit, in the campaign currency.', 'positive'),
      platformFee: money("Prestanda's fee for this reward, charged to the advertiser on top of the cashback.", 'non-negative'),
      publisherShare: money("The credited publisher's revenue share of the platform fee, rounded down.", 'non-negative'),
      attribution: object(
        'Why this publisher is credited.',
        {
          method: enumOf(
            '"activation": the customer activated the offer within the click window (activation-required campaigns); "click": last click within the click window; "impression": last impression within the view window; "bank-default": no touchpoint, the bank the transaction came from is credited.',
            ['activation', 'click', 'impression', 'bank-default'],
          ),
          touchpointId: id('The clickId or impressionId credited. Absent for bank-default.', 'clk-4e5f6a7b'),
        },
        ['method'],
      ),
      holdPeriodDays: integer('Days after settlement without a refund before the reward is confirmed (the campaign\'s hold period, default 30).', { minimum: 0, maximum: 365, examples: [30] }),
      earnedAt: dateTime('When the reward was earned (attribution decided it).'),
    },
    [...REWARD_REQUIRED, 'matchId', 'amount', 'platformFee', 'publisherShare', 'attribution', 'holdPeriodDays', 'earnedAt'],
  ),
  summary: 'A customer earned cashback (pending).',
  description:
    "Produced by attribution from an offer-match.matched. billing books the advertiser's charge (reward + fee) against the budget; notification tells the customer through their bank (\"You earned 42,95 kr cashback at ICA\"). The reward is confirmed after the purchase has settled and the hold period has passed without a refund.",
  example: {
    ...EXAMPLE_REWARD,
    matchId: 'om-8c1d4e2f9a0b',
    status: 'earned',
    reasonCode: 'rewarded',
    amount: { amountMinor: 4_295, currency: 'SEK' },
    platformFee: { amountMinor: 859, currency: 'SEK' },
    publisherShare: { amountMinor: 257, currency: 'SEK' },
    attribution: { method: 'activation', touchpointId: 'clk-4e5f6a7b' },
    holdPeriodDays: 30,
    earnedAt: '2025-03-14T15:09:27.480Z',
  },
};

export type RewardEarnedV1Envelope = EnvelopeOf<typeof RewardEarnedV1>;
