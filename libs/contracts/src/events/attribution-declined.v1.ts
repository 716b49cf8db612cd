import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, enumOf, id, money, object } from '../json-schema';
import { ATTRIBUTION_DECLINE_REASONS, type AttributionDeclineReason } from '../reason-codes';
import { Topic } from '../topics';

/** `data` of `attribution.declined` v1 on `attribution-decisions`. */
export interface AttributionDeclinedV1Data {
  readonly matchId: string;
  readonly purchaseId: string;
  readonly campaignId: string;
  readonly advertiserId: string;
  readonly bankSource: string;
  readonly customerId: string;
  readonly reasonCode: AttributionDeclineReason;
  /** reward + platform fee of the match: what offer-matching reserved on the campaign's budget. */
  readonly released: Money;
  readonly declinedAt: string;
}

export const AttributionDeclinedV1: EventDescriptor<'attribution.declined', 1, AttributionDeclinedV1Data, 'attribution-decisions'> = {
  type: 'attribution.declined',
  schemaVersion: 1,
  topic: Topic.AttributionDecisions,
  schema: object(
    'Attribution did not turn an offer-match.matched into a reward.',
    {
      matchId: id('The offer-match.matched it decided (deterministic from purchase and campaign).', 'om-8c1d4e2f9a0b'),
      purchaseId: id('The purchase, "<bankSource>:<transactionId>".', 'bank-demo-se:txn-20250314-authorization-8f2c1a'),
      campaignId: id('The campaign.', 'cmp-01HQ4Z8K2M'),
      advertiserId: id('The advertiser owning the campaign.', 'adv-ica-demo'),
      bankSource: id('Integration id of the bank the purchase came from.', 'bank-demo-se'),
      customerId: id("The bank's pseudonymous customer id.", 'cust-5c1e9b2f'),
      reasonCode: enumOf(
        'Why no reward: "not-activated" (activation required, none before the purchase), "activation-outside-window" (only activations older than the click window), "bank-not-targeted" (the campaign dropped the bank in between), "already-rewarded" (this purchase already earned on the campaign), "zero-reward".',
        ATTRIBUTION_DECLINE_REASONS,
      ),
      released: money("The match's reward plus platform fee: the budget reservation offer-matching gives back.", 'non-negative'),
      declinedAt: dateTime('When attribution decided.'),
    },
    ['matchId', 'purchaseId', 'campaignId', 'advertiserId', 'bankSource', 'customerId', 'reasonCode', 'released', 'declinedAt'],
  ),
  summary: 'A match did not become a reward; its budget reservation is released.',
  description:
    "Produced by attribution for every offer-match.matched it declines. offer-matching gives the match's reservation (reward + fee) back to the campaign's budget, so purchases of customers who never activated cannot exhaust an activation-required campaign; the customer's and the bank's \"why no cashback?\" read the same reason.",
  example: {
    matchId: 'om-8c1d4e2f9a0b',
    purchaseId: 'bank-demo-se:txn-20250314-authorization-8f2c1a',
    campaignId: 'cmp-01HQ4Z8K2M',
    advertiserId: 'adv-ica-demo',
    bankSource: 'bank-demo-se',
    customerId: 'cust-5c1e9b2f',
    reasonCode: 'not-activated',
    released: { amountMinor: 5_154, currency: 'SEK' },
    declinedAt: '2025-03-14T15:09:28.002Z',
  },
};

export type AttributionDeclinedV1Envelope = EnvelopeOf<typeof AttributionDeclinedV1>;
