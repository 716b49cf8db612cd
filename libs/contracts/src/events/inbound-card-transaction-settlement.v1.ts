import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { cardTransactionSchema, exampleInbound, type InboundCardTransactionData } from './card-transaction.shared';

/** `data` of `card-transaction.settlement` v1 on `inbound.card-transactions` (bank → Prestanda). */
export type InboundCardTransactionSettlementV1Data = InboundCardTransactionData;

export const InboundCardTransactionSettlementV1: EventDescriptor<'card-transaction.settlement', 1, InboundCardTransactionSettlementV1Data, 'inbound.card-transactions'> = {
  type: 'card-transaction.settlement',
  schemaVersion: 1,
  topic: Topic.InboundCardTransactions,
  schema: cardTransactionSchema('settlement', false),
  summary: 'A bank reports a card settlement.',
  description:
    "A card payment cleared (the clearing/presentment record). Link it to its authorization with originalTransactionId, or reuse the authorization's transactionId. A settlement is what confirms a reward: the hold period starts when the purchase has settled.",
  example: exampleInbound('settlement'),
};

export type InboundCardTransactionSettlementV1Envelope = EnvelopeOf<typeof InboundCardTransactionSettlementV1>;
