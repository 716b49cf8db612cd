import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, enumOf, id, money, object } from '../json-schema';
import { Topic } from '../topics';

export const CONVERSION_REVERSAL_REASONS = ['order-returned', 'order-cancelled', 'fraud'] as const;
export type ConversionReversalReason = (typeof CONVERSION_REVERSAL_REASONS)[number];

/** `data` of `conversion.reversed` v1 on `conversions`. */
export interface ConversionReversedV1Data {
  readonly conversionId: string;
  readonly reversalId: string;
  readonly campaignId: string;
  readonly advertiserId: string;
  readonly publisherId: string;
  readonly reason: ConversionReversalReason;
  readonly orderId?: string;
  readonly orderAmountAfter: Money;
  readonly publisherCommissionReversed: Money;
  readonly platformFeeReversed: Money;
  readonly advertiserCredit: Money;
  readonly reversedAt: string;
}

export const ConversionReversedV1: EventDescriptor<'conversion.reversed', 1, ConversionReversedV1Data, 'conversions'> = {
  type: 'conversion.reversed',
  schemaVersion: 1,
  topic: Topic.Conversions,
  schema: object(
    'An affiliate sale was returned in part or in full, or cancelled, inside its lock period: the commission and fee are reversed pro rata.',
    {
      conversionId: id('The conversion reversed (from its conversion.recorded).', 'cnv-7a1b2c3d4e'),
      reversalId: id("Unique id of this reversal (the shop's amendment, or the cancellation): billing credits each reversal once.", 'rev-3f2a9c'),
      campaignId: id('The campaign the sale was billed to.', 'cmp-01HQ4Z8K2M'),
      advertiserId: id('The advertiser credited back.', 'adv-ica-demo'),
      publisherId: id('The publisher whose pending commission is reduced.', 'pub-aff-sparkollen'),
      reason: enumOf('"order-returned": a partial or full return (the order value went down); "order-cancelled": the shop cancelled the order; "fraud": ops rejected it after review.', CONVERSION_REVERSAL_REASONS),
      orderId: id("The shop's order id.", 'ORD-100234'),
      orderAmountAfter: money('The order value after this reversal (0 when cancelled or fully returned).', 'non-negative'),
      publisherCommissionReversed: money('Commission taken back from the publisher by this reversal.', 'non-negative'),
      platformFeeReversed: money('Network fee credited back to the advertiser by this reversal.', 'non-negative'),
      advertiserCredit: money('Total credited back to the advertiser (= publisherCommissionReversed + platformFeeReversed).', 'non-negative'),
      reversedAt: dateTime('When the shop reported the return or cancellation.'),
    },
    ['conversionId', 'reversalId', 'campaignId', 'advertiserId', 'publisherId', 'reason', 'orderAmountAfter', 'publisherCommissionReversed', 'platformFeeReversed', 'advertiserCredit', 'reversedAt'],
  ),
  summary: 'An affiliate commission was reversed (in part or in full).',
  description:
    'Produced by affiliate when a shop reports a return or a cancellation inside the lock period. The amounts are proportional to the order value removed (rounded down, never more than what remains). billing credits the advertiser and takes the commission from the publisher\'s pending commission; notification tells the publisher.',
  example: {
    conversionId: 'cnv-7a1b2c3d4e',
    reversalId: 'rev-3f2a9c',
    campaignId: 'cmp-01HQ4Z8K2M',
    advertiserId: 'adv-ica-demo',
    publisherId: 'pub-aff-sparkollen',
    reason: 'order-returned',
    orderId: 'ORD-100234',
    orderAmountAfter: { amountMinor: 100_000, currency: 'SEK' },
    publisherCommissionReversed: { amountMinor: 2_500, currency: 'SEK' },
    platformFeeReversed: { amountMinor: 500, currency: 'SEK' },
    advertiserCredit: { amountMinor: 3_000, currency: 'SEK' },
    reversedAt: '2025-03-20T10:00:00.000Z',
  },
};

export type ConversionReversedV1Envelope = EnvelopeOf<typeof ConversionReversedV1>;
