import { PermanentError } from '@prestanda/persistence';
import { isCurrency, minorDigits } from '@prestanda/money';

/**
 * The gate's checks that a JSON Schema cannot express. Pure: time and the known original
 * are passed in. Every refusal carries a stable reason code (first word of the dead-letter
 * reason, `code` in the HTTP body) and the field; never a value from the payload.
 */
export type RefusalReason =
  | 'future-timestamp'
  | 'refund-without-original'
  | 'reversal-without-original'
  | 'currency-mismatch'
  | 'amount-exceeds-original'
  | 'bad-currency'
  | 'negative-amount'
  | 'implausible-amount'
  | 'id-too-long'
  | 'source-mismatch'
  | 'publisher-mismatch';

/** A handler-level refusal: the consumer dead-letters it with code `rejected`, the HTTP path answers 422. */
export class GateRefusal extends PermanentError {
  constructor(
    readonly reason: RefusalReason,
    detail: string,
    override readonly field: string,
  ) {
    super(`${reason}: ${detail}`, field);
    this.name = 'GateRefusal';
  }
}

/**
 * On an integration's own topic the topic says who is knocking: an envelope whose source names
 * another integration is refused. The reason names both; the claimed source has passed the
 * envelope's id pattern (printable ASCII, at most 128 characters) and the reason is sanitised.
 */
export function assertSourceOwnsTopic(source: string, owner: string, topic: string): void {
  if (source !== owner) throw new GateRefusal('source-mismatch', `source ${JSON.stringify(source)} is not ${owner}, the integration that owns ${topic}`, 'source');
}

/**
 * Over HTTP a key speaks for one publisher: impressions, clicks and leads must carry the key's
 * publisherId, and a key without one reports none. Returns why not (for a 403), or undefined.
 * Whether that publisher is approved on the campaign is billing's and attribution's to decide:
 * the gate does not read campaigns.
 */
export function touchpointPublisherRefusal(keyPublisherId: string | undefined, item: unknown): string | undefined {
  const data = typeof item === 'object' && item !== null ? (item as { data?: unknown }).data : undefined;
  const reported = typeof data === 'object' && data !== null ? (data as { publisherId?: unknown }).publisherId : undefined;
  if (keyPublisherId === undefined) return 'this API key has no publisher: it cannot report impressions, clicks or leads';
  if (typeof reported === 'string' && reported !== keyPublisherId) return 'data.publisherId is not the publisher of this API key';
  return undefined;
}

/**
 * On a registered integration's own Kafka topic, impressions, clicks and leads must be for the
 * publisher the registry gives it (and an integration without one reports none), as a key binds
 * them over HTTP.
 */
export function assertPublisherOwnsTraffic(integrationId: string, publisherId: string | null, event: unknown): void {
  const why = touchpointPublisherRefusal(publisherId ?? undefined, event);
  if (why) throw new GateRefusal('publisher-mismatch', why.replace('this API key', `integration ${integrationId}`), 'data.publisherId');
}

/** Largest amount accepted for one card transaction, in major units of its currency (100 million). */
export const MAX_AMOUNT_MAJOR_UNITS = 100_000_000;

/** Refuses a business time later than now + tolerance (clock skew allowed, a wrong clock or a typo refused). */
export function assertNotInFuture(value: string, field: string, now: Date, toleranceSeconds: number): void {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new GateRefusal('future-timestamp', `${field} is not a date-time`, field);
  const aheadSeconds = Math.floor((at - now.getTime()) / 1000);
  if (aheadSeconds > toleranceSeconds) {
    throw new GateRefusal('future-timestamp', `${field} is ${aheadSeconds} s in the future (tolerance ${toleranceSeconds} s)`, field);
  }
}

/** Currency known (case-insensitively), amount a positive integer below the plausibility cap. Returns the currency upper-cased. */
export function assertAmountSane(amount: { amountMinor: number; currency: string }, field: string): string {
  const currency = amount.currency.toUpperCase();
  if (!isCurrency(currency)) throw new GateRefusal('bad-currency', `${field}.currency is not an ISO 4217 currency Prestanda supports`, `${field}.currency`);
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) {
    throw new GateRefusal('negative-amount', `${field}.amountMinor must be a positive integer (a refund carries its amount positive)`, `${field}.amountMinor`);
  }
  if (amount.amountMinor / 10 ** minorDigits(currency) > MAX_AMOUNT_MAJOR_UNITS) {
    throw new GateRefusal('implausible-amount', `${field}.amountMinor is above ${MAX_AMOUNT_MAJOR_UNITS} ${currency}`, `${field}.amountMinor`);
  }
  return currency;
}

export type TransactionKind = 'authorization' | 'settlement' | 'refund' | 'reversal';

/** What the gate remembers of an accepted authorization or settlement. */
export interface KnownOriginal {
  readonly purchaseId: string | null;
  readonly amountMinor: number | null;
  readonly currency: string | null;
  /** Sum of the refunds of its purchase the gate already accepted. */
  readonly refundedMinor?: number;
}

/**
 * Refunds and reversals must point at an authorization or settlement the gate accepted from
 * the same bank; their currency must be the original's and their amount at most the
 * original's. A settlement may name an original the gate never saw (it then starts the
 * purchase itself), and may exceed the authorization (tips, fuel). Partial refunds of one
 * purchase together may not exceed the original either.
 */
export function assertOriginal(kind: TransactionKind, amount: { amountMinor: number; currency: string }, original: KnownOriginal | undefined): void {
  if (kind !== 'refund' && kind !== 'reversal') return;
  if (!original) {
    throw new GateRefusal(
      kind === 'refund' ? 'refund-without-original' : 'reversal-without-original',
      `data.originalTransactionId names no ${kind === 'refund' ? 'authorization or settlement' : 'authorization'} received from this source; send the original first`,
      'data.originalTransactionId',
    );
  }
  if (original.currency && original.currency !== amount.currency.toUpperCase()) {
    throw new GateRefusal('currency-mismatch', `data.amount.currency differs from the original transaction's currency`, 'data.amount.currency');
  }
  if (original.amountMinor !== null && amount.amountMinor > original.amountMinor) {
    throw new GateRefusal('amount-exceeds-original', `data.amount.amountMinor is larger than the original transaction's amount`, 'data.amount.amountMinor');
  }
  if (kind === 'refund' && original.amountMinor !== null && amount.amountMinor + (original.refundedMinor ?? 0) > original.amountMinor) {
    throw new GateRefusal('amount-exceeds-original', `data.amount.amountMinor plus the refunds already accepted exceed the original transaction's amount`, 'data.amount.amountMinor');
  }
}
