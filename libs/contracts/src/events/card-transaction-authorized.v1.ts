import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { cardTransactionSchema, exampleCanonical, type CardTransactionData } from './card-transaction.shared';

/** `data` of `card-transaction.authorized` v1 on `card-transactions` (ingestion → Prestanda services). */
export type CardTransactionAuthorizedV1Data = CardTransactionData;

export const CardTransactionAuthorizedV1: EventDescriptor<'card-transaction.authorized', 1, CardTransactionAuthorizedV1Data, 'card-transactions'> = {
  type: 'card-transaction.authorized',
  schemaVersion: 1,
  topic: Topic.CardTransactions,
  schema: cardTransactionSchema('authorization', true),
  summary: 'A validated, de-duplicated card authorization.',
  description:
    "Produced by ingestion from card-transaction.authorization once per (bank source, transactionId). A card payment was approved. offer-matching matches it against active campaigns (if its settlement has not already been matched) and updates the customer's purchase history at the advertiser.",
  example: exampleCanonical('authorization'),
};

export type CardTransactionAuthorizedV1Envelope = EnvelopeOf<typeof CardTransactionAuthorizedV1>;
