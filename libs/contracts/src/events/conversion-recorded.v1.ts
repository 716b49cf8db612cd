import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, enumOf, id, integer, money, object } from '../json-schema';
import { PRICING_MODELS, type PricingModel } from '../reason-codes';
import { Topic } from '../topics';

/** `data` of `conversion.recorded` v1 on `conversions`. */
export interface ConversionRecordedV1Data {
  readonly conversionId: string;
  readonly campaignId: string;
  readonly advertiserId: string;
  readonly publisherId: string;
  readonly pricingModel: PricingModel;
  readonly units: number;
  readonly customerId?: string;
  readonly touchpointId?: string;
  readonly rewardId?: string;
  readonly rewardAmount?: Money;
  readonly platformFee: Money;
  readonly publisherCommission: Money;
  readonly advertiserCharge: Money;
  readonly convertedAt: string;
  /** Affiliate sales: the shop's order id, the order value commission was computed on, when the lock (return) period ends. */
  readonly orderId?: string;
  readonly orderAmount?: Money;
  readonly lockedUntil?: string;
}

export const ConversionRecordedV1: EventDescriptor<'conversion.recorded', 1, ConversionRecordedV1Data, 'conversions'> = {
  type: 'conversion.recorded',
  schemaVersion: 1,
  topic: Topic.Conversions,
  schema: object(
    'An attributed, billable action with the amounts to charge and credit.',
    {
      conversionId: id('Unique id of the conversion, deterministic from what triggered it (reward, lead, click or impression block), so a retried attribution yields the same id.', 'cnv-7a1b2c3d4e'),
      campaignId: id('The campaign the action is billed to.', 'cmp-01HQ4Z8K2M'),
      advertiserId: id('The advertiser charged.', 'adv-ica-demo'),
      publisherId: id('The publisher credited with the action and earning the commission.', 'pub-bank-demo-se'),
      pricingModel: enumOf(
        'How the action is priced: "CPA" per qualifying purchase (card-linked reward or affiliate sale), "CPL" per accepted lead, "CPC" per valid click (once per customer, campaign and 30 minutes), "CPM" per thousand impressions.',
        PRICING_MODELS,
      ),
      units: integer('Actions covered: 1 for CPA, CPL and CPC; for CPM the number of impressions whose accrued micro-unit cost reached the whole minor units charged here (the sub-minor remainder carries to the next CPM conversion).', {
        minimum: 1,
        examples: [1],
      }),
      customerId: id('The pseudonymous customer, when known (card-linked and app traffic).', 'cust-5c1e9b2f'),
      touchpointId: id('What triggered it: the clickId (CPC, affiliate CPA), leadId (CPL) or matchId (card-linked CPA). Absent for CPM blocks.', 'om-8c1d4e2f9a0b'),
      rewardId: id('The customer reward, for card-linked CPA conversions.', 'rwd-2b7e9c41d0'),
      rewardAmount: money('The customer cashback included in the charge (card-linked CPA only).', 'non-negative'),
      platformFee: money("Prestanda's fee in the charge.", 'non-negative'),
      publisherCommission: money("The publisher's earnings for this action (its revenue share of the fee for card-linked CPA; the commission for affiliate CPA, CPL, CPC, CPM).", 'non-negative'),
      advertiserCharge: money('Total charged to the advertiser\'s budget for this conversion, in whole minor units (card-linked CPA: reward + platform fee).', 'non-negative'),
      convertedAt: dateTime('When the action happened (purchase, lead, click or last impression of the block); the budget day is taken from it.'),
      orderId: id("Affiliate sales: the shop's order id (unique per advertiser).", 'ORD-100234'),
      orderAmount: money('Affiliate sales: the order value the commission was computed on.', 'positive'),
      lockedUntil: dateTime('Affiliate sales: end of the lock (return) period. Until then the commission is pending and a return reverses it pro rata; after it, conversion.confirmed makes it payable.'),
    },
    ['conversionId', 'campaignId', 'advertiserId', 'publisherId', 'pricingModel', 'units', 'platformFee', 'publisherCommission', 'advertiserCharge', 'convertedAt'],
  ),
  summary: 'A billable action was attributed.',
  description:
    'Produced by attribution for every billable card-linked action, and by affiliate for every attributed affiliate sale (CPA without rewardId: commission pending until conversion.confirmed). billing books it in the ledger (advertiser budget → customer cashback payable, publisher payable, platform revenue), counts it against the budget and emits budget-events at 80 % and 100 %.',
  example: {
    conversionId: 'cnv-7a1b2c3d4e',
    campaignId: 'cmp-01HQ4Z8K2M',
    advertiserId: 'adv-ica-demo',
    publisherId: 'pub-bank-demo-se',
    pricingModel: 'CPA',
    units: 1,
    customerId: 'cust-5c1e9b2f',
    touchpointId: 'om-8c1d4e2f9a0b',
    rewardId: 'rwd-2b7e9c41d0',
    rewardAmount: { amountMinor: 4_295, currency: 'SEK' },
    platformFee: { amountMinor: 859, currency: 'SEK' },
    publisherCommission: { amountMinor: 257, currency: 'SEK' },
    advertiserCharge: { amountMinor: 5_154, currency: 'SEK' },
    convertedAt: '2025-03-14T15:09:26.000Z',
  },
};

export type ConversionRecordedV1Envelope = EnvelopeOf<typeof ConversionRecordedV1>;
