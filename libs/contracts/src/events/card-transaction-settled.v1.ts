import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { cardTransactionSchema, exampleCanonical, type CardTransactionData } from './card-transaction.shared';

/** `data` of `card-transaction.settled` v1 on `card-transactions` (ingestion → Prestanda services). */
export type CardTransactionSettledV1Data = CardTransactionData;

export const CardTransactionSettledV1: EventDescriptor<'card-transaction.settled', 1, CardTransactionSettledV1Data, 'card-transactions'> = {
  type: 'card-transaction.settled',
  schemaVersion: 1,
  topic: Topic.CardTransactions,
  schema: cardTransactionSchema('settlement', true),
  summary: 'A validated, de-duplicated card settlement.',
  description:
    "Produced by ingestion from card-transaction.settlement once per (bank source, transactionId). A card payment cleared. offer-matching matches it if the purchase was not matched at authorization; attribution uses it to start the hold period of the purchase's rewards.",
  example: exampleCanonical('settlement'),
};

export type CardTransactionSettledV1Envelope = EnvelopeOf<typeof CardTransactionSettledV1>;
