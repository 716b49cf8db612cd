import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { array, currency, dateTime, enumOf, id, integer, money, object } from '../json-schema';
import { Topic } from '../topics';

export type PayeeKind = 'bank' | 'affiliate';

export interface PayoutLine {
  readonly lineId: string;
  readonly customerId?: string;
  readonly campaignId?: string;
  readonly amount: Money;
  readonly nettedNegativeBalance?: Money;
  readonly rewardIds?: readonly string[];
  readonly conversionIds?: readonly string[];
}

/** `data` of `payout.batch-created` v1 on `payouts`. */
export interface PayoutBatchCreatedV1Data {
  readonly batchId: string;
  readonly payeeKind: PayeeKind;
  readonly payeeId: string;
  readonly currency: string;
  readonly total: Money;
  readonly lineCount: number;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly items: readonly PayoutLine[];
  readonly createdAt: string;
}

export const MAX_PAYOUT_LINES = 5000;

export const PayoutBatchCreatedV1: EventDescriptor<'payout.batch-created', 1, PayoutBatchCreatedV1Data, 'payouts'> = {
  type: 'payout.batch-created',
  schemaVersion: 1,
  topic: Topic.Payouts,
  schema: object(
    'A payout batch to one payee in one currency.',
    {
      batchId: id('Unique id of the batch; the payee acknowledges it by this id and must treat a repeated batchId as the same batch (pay once).', 'pob-2025-04-bank-demo-se-001'),
      payeeKind: enumOf('"bank": customer cashback, which the bank credits to each customer\'s account; "affiliate": commission to an affiliate publisher.', ['bank', 'affiliate']),
      payeeId: id('The bank integration id or the affiliate publisher id being paid (also the message key).', 'bank-demo-se'),
      currency: currency('Currency of every amount in the batch (ISO 4217).'),
      total: money('Sum of the line amounts: what the payee receives.', 'positive'),
      lineCount: integer('Number of lines in `items`.', { minimum: 1, maximum: MAX_PAYOUT_LINES, examples: [2] }),
      periodStart: dateTime('Start (inclusive) of the period whose confirmed rewards or conversions the batch pays.'),
      periodEnd: dateTime('End (exclusive) of that period.'),
      items: array(
        `The lines; at most ${MAX_PAYOUT_LINES} per batch (larger payouts are split into several batches).`,
        object(
          'One line: a customer (bank batches) or a campaign (affiliate batches).',
          {
            lineId: id('Unique id of the line within the batch; referenced by acknowledgements that reject single lines.', 'pol-0001'),
            customerId: id("Bank batches: the bank's pseudonymous customer id to credit.", 'cust-5c1e9b2f'),
            campaignId: id('Affiliate batches: the campaign the commission was earned on.', 'cmp-01HQ5B3N7P'),
            amount: money('Amount to pay on this line, after netting any negative balance from refunds after earlier payouts.', 'positive'),
            nettedNegativeBalance: money("The negative balance (clawbacks after payout) deducted from this line's rewards.", 'positive'),
            rewardIds: array('Bank batches: the rewards paid on this line.', id('A rewardId.', 'rwd-2b7e9c41d0'), { maxItems: 1000 }),
            conversionIds: array('Affiliate batches: the conversions paid on this line.', id('A conversionId.', 'cnv-7a1b2c3d4e'), { maxItems: 1000 }),
          },
          ['lineId', 'amount'],
        ),
        { minItems: 1, maxItems: MAX_PAYOUT_LINES },
      ),
      createdAt: dateTime('When billing created the batch.'),
    },
    ['batchId', 'payeeKind', 'payeeId', 'currency', 'total', 'lineCount', 'periodStart', 'periodEnd', 'items', 'createdAt'],
  ),
  summary: 'Billing created a payout batch for a bank or an affiliate.',
  description:
    'Produced by billing per payee and currency at each payout run (customer cashback per bank, commission per affiliate). notification delivers it to the payee by signed webhook; the payee acknowledges it (payout.batch-acknowledged). Customers whose balance is negative are carried to the next run, not paid.',
  example: {
    batchId: 'pob-2025-04-bank-demo-se-001',
    payeeKind: 'bank',
    payeeId: 'bank-demo-se',
    currency: 'SEK',
    total: { amountMinor: 7_590, currency: 'SEK' },
    lineCount: 2,
    periodStart: '2025-04-01T00:00:00.000Z',
    periodEnd: '2025-05-01T00:00:00.000Z',
    items: [
      { lineId: 'pol-0001', customerId: 'cust-5c1e9b2f', amount: { amountMinor: 4_295, currency: 'SEK' }, rewardIds: ['rwd-2b7e9c41d0'] },
      {
        lineId: 'pol-0002',
        customerId: 'cust-a8d0e611',
        amount: { amountMinor: 3_295, currency: 'SEK' },
        nettedNegativeBalance: { amountMinor: 1_000, currency: 'SEK' },
        rewardIds: ['rwd-5f0c8a77e2'],
      },
    ],
    createdAt: '2025-05-01T06:00:00.000Z',
  },
};

export type PayoutBatchCreatedV1Envelope = EnvelopeOf<typeof PayoutBatchCreatedV1>;

