import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { cardTransactionSchema, exampleCanonical, type LinkedCardTransactionData } from './card-transaction.shared';

/** `data` of `card-transaction.reversed` v1 on `card-transactions` (ingestion → Prestanda services). */
export type CardTransactionReversedV1Data = LinkedCardTransactionData;

export const CardTransactionReversedV1: EventDescriptor<'card-transaction.reversed', 1, CardTransactionReversedV1Data, 'card-transactions'> = {
  type: 'card-transaction.reversed',
  schemaVersion: 1,
  topic: Topic.CardTransactions,
  schema: cardTransactionSchema('reversal', true),
  summary: 'A validated, de-duplicated card reversal.',
  description:
    'Produced by ingestion from card-transaction.reversal once per (bank source, transactionId). An authorization was cancelled and will never settle. attribution cancels the rewards earned on it (reward.reversed with reason authorization-reversed).',
  example: exampleCanonical('reversal') as LinkedCardTransactionData,
};

export type CardTransactionReversedV1Envelope = EnvelopeOf<typeof CardTransactionReversedV1>;
