import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { cardTransactionSchema, exampleInbound, type InboundCardTransactionData } from './card-transaction.shared';

/** `data` of `card-transaction.authorization` v1 on `inbound.card-transactions` (bank → Prestanda). */
export type InboundCardTransactionAuthorizationV1Data = InboundCardTransactionData;

export const InboundCardTransactionAuthorizationV1: EventDescriptor<'card-transaction.authorization', 1, InboundCardTransactionAuthorizationV1Data, 'inbound.card-transactions'> = {
  type: 'card-transaction.authorization',
  schemaVersion: 1,
  topic: Topic.InboundCardTransactions,
  schema: cardTransactionSchema('authorization', false),
  summary: 'A bank reports a card authorization.',
  description:
    "The bank's card issuer approved a card payment at a merchant. Send every authorization at any merchant (Prestanda, not the bank, decides which merchants belong to advertisers). A purchase is matched once, on the first of its authorization or settlement, so send the authorization as soon as it is approved: it lets the customer see pending cashback within seconds.",
  example: exampleInbound('authorization'),
};

export type InboundCardTransactionAuthorizationV1Envelope = EnvelopeOf<typeof InboundCardTransactionAuthorizationV1>;
