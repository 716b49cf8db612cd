import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, money, object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_OFFER_MATCH, OFFER_MATCH_REQUIRED, offerMatchProperties, type OfferMatchFields } from './offer-match.shared';

/** `data` of `offer-match.matched` v1 on `offer-matches`. */
export interface OfferMatchMatchedV1Data extends OfferMatchFields {
  readonly rewardAmount: Money;
  readonly platformFee: Money;
  readonly matchedAt: string;
}

export const OfferMatchMatchedV1: EventDescriptor<'offer-match.matched', 1, OfferMatchMatchedV1Data, 'offer-matches'> = {
  type: 'offer-match.matched',
  schemaVersion: 1,
  topic: Topic.OfferMatches,
  schema: object(
    'A purchase qualified for a campaign: merchant, currency, channel, schedule, minimum spend, audience, customer cap and budget all passed.',
    {
      ...offerMatchProperties(),
      rewardAmount: money(
        "The customer's cashback for this purchase under the campaign's reward rule, after the per-purchase maximum: percent rewards are rounded down to the minor unit. In the campaign currency.",
        'non-negative',
      ),
      platformFee: money("Prestanda's fee for this purchase, billed to the advertiser on top of the reward (percent of the reward rounded down, or a fixed amount).", 'non-negative'),
      matchedAt: dateTime('When offer-matching decided the match.'),
    },
    [...OFFER_MATCH_REQUIRED, 'rewardAmount', 'platformFee', 'matchedAt'],
  ),
  summary: 'A purchase matched a campaign.',
  description:
    'One per (purchase, campaign): produced by offer-matching on the first of the purchase\'s authorization or settlement. attribution decides whether it becomes a reward (activation and attribution rules, at most one reward per purchase and campaign) and credits a publisher.',
  example: {
    ...EXAMPLE_OFFER_MATCH,
    rewardAmount: { amountMinor: 4_295, currency: 'SEK' },
    platformFee: { amountMinor: 859, currency: 'SEK' },
    matchedAt: '2025-03-14T15:09:27.120Z',
  },
};

export type OfferMatchMatchedV1Envelope = EnvelopeOf<typeof OfferMatchMatchedV1>;
