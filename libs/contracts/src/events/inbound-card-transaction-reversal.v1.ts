import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { cardTransactionSchema, exampleInbound, type InboundLinkedCardTransactionData } from './card-transaction.shared';

/** `data` of `card-transaction.reversal` v1 on `inbound.card-transactions` (bank → Prestanda). */
export type InboundCardTransactionReversalV1Data = InboundLinkedCardTransactionData;

export const InboundCardTransactionReversalV1: EventDescriptor<'card-transaction.reversal', 1, InboundCardTransactionReversalV1Data, 'inbound.card-transactions'> = {
  type: 'card-transaction.reversal',
  schemaVersion: 1,
  topic: Topic.InboundCardTransactions,
  schema: cardTransactionSchema('reversal', false),
  summary: 'A bank reports a card reversal.',
  description:
    'An authorization was cancelled and will never settle (e.g. a hotel pre-authorization released, a cancelled order). originalTransactionId is required and names the authorization. A reversal cancels any reward earned on that authorization.',
  example: exampleInbound('reversal') as InboundLinkedCardTransactionData,
};

export type InboundCardTransactionReversalV1Envelope = EnvelopeOf<typeof InboundCardTransactionReversalV1>;
