import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, id, money, object } from '../json-schema';
import { Topic } from '../topics';

/** `data` of `conversion.confirmed` v1 on `conversions`. */
export interface ConversionConfirmedV1Data {
  readonly conversionId: string;
  readonly campaignId: string;
  readonly advertiserId: string;
  readonly publisherId: string;
  readonly orderId?: string;
  readonly publisherCommission: Money;
  readonly confirmedAt: string;
}

export const ConversionConfirmedV1: EventDescriptor<'conversion.confirmed', 1, ConversionConfirmedV1Data, 'conversions'> = {
  type: 'conversion.confirmed',
  schemaVersion: 1,
  topic: Topic.Conversions,
  schema: object(
    "An affiliate sale's lock (return) period passed: its commission is confirmed and payable.",
    {
      conversionId: id('The conversion confirmed.', 'cnv-7a1b2c3d4e'),
      campaignId: id('The campaign the sale was billed to.', 'cmp-01HQ4Z8K2M'),
      advertiserId: id('The advertiser charged.', 'adv-ica-demo'),
      publisherId: id('The publisher paid.', 'pub-aff-sparkollen'),
      orderId: id("The shop's order id.", 'ORD-100234'),
      publisherCommission: money('The commission confirmed: what was recorded minus every reversal. May be 0 after a full return (nothing to pay).', 'non-negative'),
      confirmedAt: dateTime('When the lock period ended and the commission was confirmed.'),
    },
    ['conversionId', 'campaignId', 'advertiserId', 'publisherId', 'publisherCommission', 'confirmedAt'],
  ),
  summary: 'An affiliate commission became payable.',
  description:
    'Produced by affiliate when the lock period of a sale has passed. billing moves the commission from the publisher\'s pending commission to publisher payable, so the next affiliate payout batch includes it; notification tells the publisher. Nothing changes for the advertiser.',
  example: {
    conversionId: 'cnv-7a1b2c3d4e',
    campaignId: 'cmp-01HQ4Z8K2M',
    advertiserId: 'adv-ica-demo',
    publisherId: 'pub-aff-sparkollen',
    orderId: 'ORD-100234',
    publisherCommission: { amountMinor: 7_500, currency: 'SEK' },
    confirmedAt: '2025-04-14T10:00:00.000Z',
  },
};

export type ConversionConfirmedV1Envelope = EnvelopeOf<typeof ConversionConfirmedV1>;
