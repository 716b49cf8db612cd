/**
 * Affiliate sales after they are charged: pure rules for reversals and confirmations. Amounts
 * are integer minor units; what remains of a sale is read from the ledger by the caller.
 */

/** What remains of one affiliate sale in the ledger (recorded minus everything reversed, moved or paid since). */
export interface SaleRemaining {
  /** The publisher's commission still in publisher-commission-pending. */
  pendingMinor: number;
  /** The sale's commission already payable (confirmed, or booked before commissions were held). */
  payableMinor: number;
  /** The network fee still in platform revenue. */
  feeMinor: number;
}

export interface ReversalRequest {
  publisherCommissionReversed: number;
  platformFeeReversed: number;
  advertiserCredit: number;
}

export interface CappedReversal {
  /** Commission taken back from the pending commission. */
  fromPendingMinor: number;
  /** Commission taken back from publisher payable (the sale was already confirmed). */
  fromPayableMinor: number;
  feeMinor: number;
  /** Credited to the advertiser: commission + fee reversed. */
  creditMinor: number;
}

/** A cross-field problem of a conversion.reversed the schema cannot express, or undefined. */
export function reversalProblem(r: ReversalRequest): { message: string; field: string } | undefined {
  if (r.advertiserCredit !== r.publisherCommissionReversed + r.platformFeeReversed)
    return { message: `advertiserCredit ${r.advertiserCredit} is not publisherCommissionReversed + platformFeeReversed (${r.publisherCommissionReversed + r.platformFeeReversed})`, field: 'data.advertiserCredit' };
  return undefined;
}

/**
 * Caps a reversal at what remains of the sale: never more commission than is left (pending
 * first, then payable), never more fee than is left. The advertiser is credited exactly what
 * is taken back, so the posting balances and never credits more than was charged.
 */
export function capReversal(r: ReversalRequest, remaining: SaleRemaining): CappedReversal {
  const pending = Math.max(0, remaining.pendingMinor);
  const payable = Math.max(0, remaining.payableMinor);
  const commission = Math.min(Math.max(0, r.publisherCommissionReversed), pending + payable);
  const fromPendingMinor = Math.min(commission, pending);
  const fromPayableMinor = commission - fromPendingMinor;
  const feeMinor = Math.min(Math.max(0, r.platformFeeReversed), Math.max(0, remaining.feeMinor));
  return { fromPendingMinor, fromPayableMinor, feeMinor, creditMinor: commission + feeMinor };
}

/**
 * conversion.confirmed: what moves from pending to payable is the ledger's pending commission,
 * not the event's figure; `agrees` is false when they differ (the caller logs it).
 */
export function commissionToConfirm(ledgerPendingMinor: number, eventCommissionMinor: number): { amountMinor: number; agrees: boolean } {
  const amountMinor = Math.max(0, ledgerPendingMinor);
  return { amountMinor, agrees: amountMinor === eventCommissionMinor };
}
