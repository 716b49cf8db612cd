import type { Money } from '@prestanda/money';
import { CHANNELS, COUNTRY, dateTime, enumOf, id, money, object, string, uuid, type JsonSchema, type PurchaseChannel } from '../json-schema';

/** Shared shape of the four card-transaction kinds, inbound and canonical. Not an event itself. */

export type CardTransactionKind = 'authorization' | 'settlement' | 'refund' | 'reversal';

export interface CardMerchant {
  /** Acquirer merchant id of the location, when the bank has it. */
  readonly mid?: string;
  /** Merchant name as it appears on the statement. */
  readonly descriptor: string;
  /** ISO 18245 merchant category code, four digits. */
  readonly mcc?: string;
  /** ISO 3166-1 alpha-2. */
  readonly country?: string;
  readonly city?: string;
}

export interface CanonicalCardMerchant extends CardMerchant {
  readonly normalisedDescriptor: string;
}

interface CardTransactionFields<TMerchant> {
  readonly transactionId: string;
  readonly originalTransactionId?: string;
  readonly customerId: string;
  readonly cardId: string;
  readonly amount: Money;
  readonly merchant: TMerchant;
  readonly channel: PurchaseChannel;
  readonly transactionAt: string;
}

interface CanonicalFields {
  readonly bankSource: string;
  readonly purchaseId: string;
  readonly inboundEventId: string;
}

export type InboundCardTransactionData = CardTransactionFields<CardMerchant>;
/** Refunds and reversals always point at the purchase they undo. */
export type InboundLinkedCardTransactionData = InboundCardTransactionData & { readonly originalTransactionId: string };
export type CardTransactionData = CardTransactionFields<CanonicalCardMerchant> & CanonicalFields;
export type LinkedCardTransactionData = CardTransactionData & { readonly originalTransactionId: string };

const KIND_TEXT: Record<CardTransactionKind, { amount: string; original: string }> = {
  authorization: {
    amount: 'The authorized amount in the transaction currency (the currency the card was charged in, not the cardholder account currency if they differ).',
    original:
      'Only for incremental authorizations (hotels, car rental, fuel): the transactionId of the first authorization of the same purchase. Omit otherwise.',
  },
  settlement: {
    amount: 'The settled (cleared) amount in the transaction currency. May differ from the authorized amount (tips, fuel, partial shipments).',
    original:
      "The transactionId of the authorization this settlement clears, when the bank links them. Omit it if the bank uses the same transactionId for authorization and settlement (the settlement is then linked by transactionId) or if there was no authorization (offline / force-posted transaction, which is then matched on its own).",
  },
  refund: {
    amount: 'The refunded amount, positive, in the currency of the original purchase. A partial refund carries only the part returned; several partial refunds may follow one purchase.',
    original: "Required: the transactionId of the purchase being refunded (its authorization or settlement). A refund of a transaction Prestanda never received is recorded but cannot reverse a reward.",
  },
  reversal: {
    amount: 'The amount whose authorization is cancelled, positive; normally the full authorized amount.',
    original: 'Required: the transactionId of the authorization being cancelled. A reversed authorization never settles.',
  },
};

function merchantSchema(canonical: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    mid: id(
      'Merchant id (MID) the acquirer assigned to the merchant location, exactly as in the authorization or clearing record (keep leading zeros). The most reliable matching key: send it whenever the record has it.',
      '000000123456789',
    ),
    descriptor: string(
      'Merchant name as it appears on the card statement (the card-acceptor name), unmodified, e.g. "ZETTLE_*CAFE OGON" or "NETFLIX.COM". Used for matching when there is no MID.',
      { minLength: 1, maxLength: 200, examples: ['ICA NARA HOKARANGEN'] },
    ),
    mcc: string('Merchant category code (ISO 18245), four digits, e.g. "5411" for grocery stores. Reported for analytics; never used alone to match a merchant.', {
      pattern: '^[0-9]{4}$',
      maxLength: 4,
      examples: ['5411'],
    }),
    country: COUNTRY("Country of the merchant location (card acceptor)."),
    city: string('City of the merchant location as in the card record, e.g. "STOCKHOLM". Free text.', { minLength: 1, maxLength: 100, examples: ['STOCKHOLM'] }),
  };
  const required = ['descriptor'];
  if (canonical) {
    properties.normalisedDescriptor = string(
      'The descriptor after ingestion normalisation: diacritics folded to ASCII ("ÅHLÉNS" → "AHLENS", "Æ" → "AE", "Ø" → "O"; campaign descriptor patterns are folded the same way), upper case, payment-facilitator prefixes (such as "PAYPAL *", "SQ *", "ZETTLE_*", "SUMUP *", "IZ *") removed, store numbers and punctuation removed, whitespace collapsed. Matched against campaign descriptor patterns.',
      { minLength: 1, maxLength: 200, examples: ['ICA NARA HOKARANGEN'] },
    );
    required.push('normalisedDescriptor');
  }
  return object(
    canonical ? 'Where the card was used, as reported by the bank plus the normalised descriptor.' : 'Where the card was used, as the card record describes the card acceptor.',
    properties,
    required,
  );
}

export function cardTransactionSchema(kind: CardTransactionKind, canonical: boolean): JsonSchema {
  const text = KIND_TEXT[kind];
  const properties: Record<string, JsonSchema> = {
    transactionId: id(
      `The bank's own id of this ${kind} record. Together with the envelope source (the bank) it is the idempotency key: the same (source, transactionId) sent twice is one transaction, so resend freely after a timeout.`,
      'txn-20250314-8f2c1a',
    ),
    originalTransactionId: id(text.original, 'txn-20250312-77ab01'),
    customerId: id(
      "The bank's pseudonymous customer id, stable across the customer's cards and over time. Never a name, e-mail address, personal identity number or card number.",
      'cust-5c1e9b2f',
    ),
    cardId: id(
      "The bank's token or internal id for the card used (e.g. a card reference or network token id). Never the card number (PAN): any message containing a card number anywhere is refused and dead-lettered.",
      'card-3f9d2e',
    ),
    amount: money(text.amount, 'positive'),
    merchant: merchantSchema(canonical),
    channel: enumOf(
      'How the card was used: "online" for card-not-present (e-commerce, in-app, mail/telephone order), "in-store" for card-present (chip, contactless, wallet at a terminal).',
      CHANNELS,
    ),
    transactionAt: dateTime(`When the ${kind} happened at the card network or issuer (not when it was sent to Prestanda).`),
  };
  const required = ['transactionId', 'customerId', 'cardId', 'amount', 'merchant', 'channel', 'transactionAt'];
  if (kind === 'refund' || kind === 'reversal') required.push('originalTransactionId');
  if (canonical) {
    properties.bankSource = id('The integration id of the bank that reported the transaction (the `source` of the inbound event). Scopes transactionId.', 'bank-demo-se');
    properties.purchaseId = id(
      'The purchase this transaction belongs to: "<bankSource>:<originalTransactionId>" when an original is given, else "<bankSource>:<transactionId>". Authorization, settlement, refunds and reversal of one purchase share it; offer matches and rewards refer to it.',
      'bank-demo-se:txn-20250312-77ab01',
    );
    properties.inboundEventId = uuid('The eventId of the inbound event this was derived from, for tracing a transaction back to what the bank sent.', '6a1f9c3e-8a0b-4a53-9d47-2b0c0e5e9a11');
    required.push('bankSource', 'purchaseId', 'inboundEventId');
  }
  return object(
    canonical
      ? `A ${kind} card transaction after validation, de-duplication and normalisation by ingestion.`
      : `A ${kind} card transaction as the bank reports it.`,
    properties,
    required,
  );
}

const EXAMPLE_MERCHANT: CardMerchant = {
  mid: '000000123456789',
  descriptor: 'ICA NARA HOKARANGEN',
  mcc: '5411',
  country: 'SE',
  city: 'STOCKHOLM',
};

export function exampleInbound(kind: CardTransactionKind): InboundCardTransactionData {
  const base: InboundCardTransactionData = {
    transactionId: `txn-20250314-${kind}-8f2c1a`,
    customerId: 'cust-5c1e9b2f',
    cardId: 'card-3f9d2e',
    amount: { amountMinor: kind === 'refund' ? 10_000 : 42_950, currency: 'SEK' },
    merchant: EXAMPLE_MERCHANT,
    channel: 'in-store',
    transactionAt: '2025-03-14T15:09:26.000Z',
  };
  return kind === 'authorization' ? base : { ...base, originalTransactionId: 'txn-20250314-authorization-8f2c1a' };
}

export function exampleCanonical(kind: CardTransactionKind): CardTransactionData {
  const inbound = exampleInbound(kind);
  return {
    ...inbound,
    merchant: { ...inbound.merchant, normalisedDescriptor: 'ICA NARA HOKARANGEN' },
    bankSource: 'bank-demo-se',
    purchaseId: `bank-demo-se:${inbound.originalTransactionId ?? inbound.transactionId}`,
    inboundEventId: '6a1f9c3e-8a0b-4a53-9d47-2b0c0e5e9a11',
  };
}
