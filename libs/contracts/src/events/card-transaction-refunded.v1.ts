import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { cardTransactionSchema, exampleCanonical, type LinkedCardTransactionData } from './card-transaction.shared';

/** `data` of `card-transaction.refunded` v1 on `card-transactions` (ingestion → Prestanda services). */
export type CardTransactionRefundedV1Data = LinkedCardTransactionData;

export const CardTransactionRefundedV1: EventDescriptor<'card-transaction.refunded', 1, CardTransactionRefundedV1Data, 'card-transactions'> = {
  type: 'card-transaction.refunded',
  schemaVersion: 1,
  topic: Topic.CardTransactions,
  schema: cardTransactionSchema('refund', true),
  summary: 'A validated, de-duplicated card refund.',
  description:
    "Produced by ingestion from card-transaction.refund once per (bank source, transactionId). Money was returned to the card for an earlier purchase. attribution reverses the purchase's rewards in proportion (reward.reversed).",
  example: exampleCanonical('refund') as LinkedCardTransactionData,
};

export type CardTransactionRefundedV1Envelope = EnvelopeOf<typeof CardTransactionRefundedV1>;
