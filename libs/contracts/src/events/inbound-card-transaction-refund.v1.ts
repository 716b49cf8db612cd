import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { cardTransactionSchema, exampleInbound, type InboundLinkedCardTransactionData } from './card-transaction.shared';

/** `data` of `card-transaction.refund` v1 on `inbound.card-transactions` (bank → Prestanda). */
export type InboundCardTransactionRefundV1Data = InboundLinkedCardTransactionData;

export const InboundCardTransactionRefundV1: EventDescriptor<'card-transaction.refund', 1, InboundCardTransactionRefundV1Data, 'inbound.card-transactions'> = {
  type: 'card-transaction.refund',
  schemaVersion: 1,
  topic: Topic.InboundCardTransactions,
  schema: cardTransactionSchema('refund', false),
  summary: 'A bank reports a card refund.',
  description:
    "The merchant returned money to the card for an earlier purchase, in full or in part. originalTransactionId is required. A refund reverses the purchase's reward in proportion to the refunded share (partial refund, partial clawback); after payout the clawback becomes a negative balance netted against the customer's next payout.",
  example: exampleInbound('refund') as InboundLinkedCardTransactionData,
};

export type InboundCardTransactionRefundV1Envelope = EnvelopeOf<typeof InboundCardTransactionRefundV1>;
