import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { array, dateTime, enumOf, id, object } from '../json-schema';
import { Topic } from '../topics';
import type { PayeeKind } from './payout-batch-created.v1';

/** `data` of `payout.batch-acknowledged` v1 on `payouts`. */
export interface PayoutBatchAcknowledgedV1Data {
  readonly batchId: string;
  readonly payeeKind: PayeeKind;
  readonly payeeId: string;
  readonly status: 'accepted' | 'partially-accepted' | 'rejected';
  readonly rejectedLineIds?: readonly string[];
  readonly payeeReference?: string;
  readonly acknowledgedAt: string;
}

export const PayoutBatchAcknowledgedV1: EventDescriptor<'payout.batch-acknowledged', 1, PayoutBatchAcknowledgedV1Data, 'payouts'> = {
  type: 'payout.batch-acknowledged',
  schemaVersion: 1,
  topic: Topic.Payouts,
  schema: object(
    'The payee\'s answer to a payout batch.',
    {
      batchId: id('The batch acknowledged.', 'pob-2025-04-bank-demo-se-001'),
      payeeKind: enumOf('"bank" or "affiliate", as in the batch.', ['bank', 'affiliate']),
      payeeId: id('The payee that acknowledged (also the message key).', 'bank-demo-se'),
      status: enumOf(
        '"accepted": every line will be paid; "partially-accepted": the lines in rejectedLineIds will not (e.g. closed accounts) and go back to the customer\'s balance; "rejected": nothing will be paid and the whole batch goes back.',
        ['accepted', 'partially-accepted', 'rejected'],
      ),
      rejectedLineIds: array('The lineIds the payee will not pay; required when status is "partially-accepted".', id('A lineId from the batch.', 'pol-0002'), { maxItems: 5000 }),
      payeeReference: id("The payee's own reference for the payment, for reconciliation.", 'NDA-PAY-88213'),
      acknowledgedAt: dateTime('When the payee acknowledged.'),
    },
    ['batchId', 'payeeKind', 'payeeId', 'status', 'acknowledgedAt'],
    { if: { properties: { status: { const: 'partially-accepted' } } }, then: { required: ['rejectedLineIds'] } },
  ),
  summary: 'A payee accepted or rejected a payout batch.',
  description: 'Produced by billing when the payee acknowledges a batch through the payouts API. Rejected lines return to the payable balance for the next run.',
  example: {
    batchId: 'pob-2025-04-bank-demo-se-001',
    payeeKind: 'bank',
    payeeId: 'bank-demo-se',
    status: 'accepted',
    payeeReference: 'NDA-PAY-88213',
    acknowledgedAt: '2025-05-01T09:12:00.000Z',
  },
};

export type PayoutBatchAcknowledgedV1Envelope = EnvelopeOf<typeof PayoutBatchAcknowledgedV1>;
