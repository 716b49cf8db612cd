import type { Money } from '@prestanda/money';
import { CHANNELS, dateTime, enumOf, id, integer, money, object, uuid, type JsonSchema, type PurchaseChannel } from '../json-schema';
import { AUDIENCE_SEGMENTS, type AudienceSegment } from '../reason-codes';

/** Shared fields of offer-match.matched and offer-match.declined. Not an event itself. */

export interface MatchedTransactionRef {
  readonly bankSource: string;
  readonly transactionId: string;
  readonly kind: 'authorization' | 'settlement';
  readonly transactionAt: string;
  readonly cardTransactionEventId: string;
}

export interface OfferMatchFields {
  readonly matchId: string;
  readonly purchaseId: string;
  readonly transaction: MatchedTransactionRef;
  readonly customerId: string;
  readonly campaignId: string;
  readonly campaignVersion: number;
  readonly advertiserId: string;
  readonly merchantId: string;
  readonly matchedBy: 'mid' | 'descriptor';
  readonly purchaseAmount: Money;
  readonly channel: PurchaseChannel;
  readonly audienceSegment: AudienceSegment;
}

export function offerMatchProperties(): Record<string, JsonSchema> {
  return {
    matchId: id(
      'Id of this outcome, deterministic from (purchaseId, campaignId): re-evaluating the same purchase for the same campaign yields the same id, so consumers de-duplicate on it as well as on eventId.',
      'om-8c1d4e2f9a0b',
    ),
    purchaseId: id('The purchase evaluated, "<bankSource>:<transactionId of its first authorization or settlement>", as on card-transactions.', 'bank-demo-se:txn-20250314-authorization-8f2c1a'),
    transaction: object(
      'The card transaction the purchase was evaluated on (its authorization, or its settlement when no authorization came first).',
      {
        bankSource: id('Integration id of the bank the transaction came from.', 'bank-demo-se'),
        transactionId: id("The bank's transaction id.", 'txn-20250314-authorization-8f2c1a'),
        kind: enumOf('Which record the purchase was evaluated on.', ['authorization', 'settlement']),
        transactionAt: dateTime('When the transaction happened (the schedule and attribution windows are evaluated at this time).'),
        cardTransactionEventId: uuid('The eventId of the card-transactions event evaluated.', '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a'),
      },
      ['bankSource', 'transactionId', 'kind', 'transactionAt', 'cardTransactionEventId'],
    ),
    customerId: id("The bank's pseudonymous customer id of the purchase.", 'cust-5c1e9b2f'),
    campaignId: id('The campaign evaluated.', 'cmp-01HQ4Z8K2M'),
    campaignVersion: integer('The campaign snapshot version the rules were taken from (campaign.snapshot `version`).', { minimum: 1, examples: [7] }),
    advertiserId: id('The advertiser owning the campaign and the merchant.', 'adv-ica-demo'),
    merchantId: id("The advertiser's merchant the transaction was attributed to.", 'mer-ica-hokarangen'),
    matchedBy: enumOf('How the merchant was recognised: "mid" (merchant id match) or "descriptor" (normalised descriptor matched a pattern). Never MCC alone.', ['mid', 'descriptor']),
    purchaseAmount: money('The purchase amount of the transaction evaluated.', 'positive'),
    channel: enumOf('Channel of the purchase: "online" (card not present) or "in-store" (card present).', CHANNELS),
    audienceSegment: enumOf(
      'The customer\'s segment at this advertiser as of before this purchase: "new" (no purchase within the look-back window), "lapsed" (purchases before the window but none within it), "existing" (at least one purchase within the window).',
      AUDIENCE_SEGMENTS,
    ),
  };
}

export const OFFER_MATCH_REQUIRED = [
  'matchId',
  'purchaseId',
  'transaction',
  'customerId',
  'campaignId',
  'campaignVersion',
  'advertiserId',
  'merchantId',
  'matchedBy',
  'purchaseAmount',
  'channel',
  'audienceSegment',
];

export const EXAMPLE_OFFER_MATCH: OfferMatchFields = {
  matchId: 'om-8c1d4e2f9a0b',
  purchaseId: 'bank-demo-se:txn-20250314-authorization-8f2c1a',
  transaction: {
    bankSource: 'bank-demo-se',
    transactionId: 'txn-20250314-authorization-8f2c1a',
    kind: 'authorization',
    transactionAt: '2025-03-14T15:09:26.000Z',
    cardTransactionEventId: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a',
  },
  customerId: 'cust-5c1e9b2f',
  campaignId: 'cmp-01HQ4Z8K2M',
  campaignVersion: 7,
  advertiserId: 'adv-ica-demo',
  merchantId: 'mer-ica-hokarangen',
  matchedBy: 'mid',
  purchaseAmount: { amountMinor: 42_950, currency: 'SEK' },
  channel: 'in-store',
  audienceSegment: 'lapsed',
};
