import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, enumOf, object } from '../json-schema';
import { MATCH_DECLINE_REASONS, type MatchDeclineReason } from '../reason-codes';
import { Topic } from '../topics';
import { EXAMPLE_OFFER_MATCH, OFFER_MATCH_REQUIRED, offerMatchProperties, type OfferMatchFields } from './offer-match.shared';

/** `data` of `offer-match.declined` v1 on `offer-matches`. */
export interface OfferMatchDeclinedV1Data extends OfferMatchFields {
  readonly reasonCode: MatchDeclineReason;
  readonly evaluatedAt: string;
}

export const OfferMatchDeclinedV1: EventDescriptor<'offer-match.declined', 1, OfferMatchDeclinedV1Data, 'offer-matches'> = {
  type: 'offer-match.declined',
  schemaVersion: 1,
  topic: Topic.OfferMatches,
  schema: object(
    "A purchase at a campaign's merchant that did not qualify, with the first rule it failed.",
    {
      ...offerMatchProperties(),
      reasonCode: enumOf(
        'The first rule that failed, in evaluation order: "bank-not-targeted" (the campaign is not offered to customers of the bank the transaction came from), "campaign-not-active", "currency-mismatch", "wrong-channel", "outside-schedule", "below-minimum-spend", "audience-mismatch", "customer-cap-reached", "budget-exhausted" (the campaign\'s own budget or daily cap), "advertiser-budget-exhausted" (the advertiser\'s budget across all its campaigns and banks), "bank-budget-exhausted" (the advertiser\'s or the campaign\'s cap for the customer\'s bank), "paced" (even pacing: today\'s share of the budget is reserved; matching goes on the next day); or "holdout" when the customer is in the campaign\'s holdout group (eligible but deliberately not rewarded, for incrementality measurement).',
        MATCH_DECLINE_REASONS,
      ),
      evaluatedAt: dateTime('When offer-matching evaluated the purchase.'),
    },
    [...OFFER_MATCH_REQUIRED, 'reasonCode', 'evaluatedAt'],
  ),
  summary: 'A purchase at an advertiser did not qualify for a candidate campaign.',
  description:
    "Every purchase at an advertiser's merchant gets an outcome per candidate campaign. This is the negative one: it answers \"why did I get no cashback?\", feeds advertiser reason-code reports, and (reason holdout) gives the holdout group's spend for incremental sales and iROAS.",
  example: { ...EXAMPLE_OFFER_MATCH, reasonCode: 'below-minimum-spend', evaluatedAt: '2025-03-14T15:09:27.120Z' },
};

export type OfferMatchDeclinedV1Envelope = EnvelopeOf<typeof OfferMatchDeclinedV1>;
