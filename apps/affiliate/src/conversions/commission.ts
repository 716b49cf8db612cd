import type { AffiliateCommissionV1, PlatformFeeV1 } from '@prestanda/contracts';
import { money, percentOfFloor, rewardKeptAfterRefunds } from '@prestanda/money';

/** The commission on an order: a percentage rounded down to the minor unit, or the fixed amount per sale. */
export function commissionFor(c: AffiliateCommissionV1, orderAmountMinor: number, currency: string): number {
  return c.kind === 'percent' ? percentOfFloor(money(orderAmountMinor, currency), c.basisPoints).amountMinor : c.amount.amountMinor;
}

export interface BasketLine {
  category?: string;
  quantity: number;
  amountMinor: number;
}

export type CommissionGroups = readonly { readonly group: string; readonly categories: readonly string[]; readonly commission: AffiliateCommissionV1 }[];

/**
 * The commission on a sale. Without a basket (or without commission groups): `commission` on the
 * order amount. With both: per line, the commission of the group its category is in — percent of
 * the line amount (rounded down per line) or a fixed amount per unit — and `commission` on the
 * lines in no group (percent of their sum, or a fixed one once when there are any).
 */
export function saleCommissionFor(commission: AffiliateCommissionV1, groups: CommissionGroups | undefined, orderAmountMinor: number, basket: readonly BasketLine[] | undefined, currency: string): number {
  if (!basket?.length || !groups?.length) return commissionFor(commission, orderAmountMinor, currency);
  const groupOf = new Map(groups.flatMap((g) => g.categories.map((c) => [c.toLowerCase(), g] as const)));
  let total = 0;
  let ungrouped = 0;
  let ungroupedLines = 0;
  for (const line of basket) {
    const g = line.category ? groupOf.get(line.category.toLowerCase()) : undefined;
    if (!g) {
      ungrouped += line.amountMinor;
      ungroupedLines++;
    } else total += g.commission.kind === 'percent' ? commissionFor(g.commission, line.amountMinor, currency) : g.commission.amount.amountMinor * line.quantity;
  }
  if (ungroupedLines > 0) total += commissionFor(commission, ungrouped, currency);
  return total;
}

/** The network fee on top of a commission (charged to the advertiser): percent of the commission rounded down, or fixed. */
export function networkFeeFor(fee: PlatformFeeV1, commissionMinor: number, currency: string): number {
  return fee.kind === 'percent' ? percentOfFloor(money(commissionMinor, currency), fee.basisPoints).amountMinor : fee.amount.amountMinor;
}

export interface Standing {
  orderAmountMinor: number;
  currentAmountMinor: number;
  commissionMinor: number;
  commissionReversedMinor: number;
  feeMinor: number;
  feeReversedMinor: number;
}

/**
 * What a return of `removedMinor` (or a cancellation: everything) reverses. Computed from the
 * cumulative standing order value, like cashback refunds: what the publisher keeps is the pro-rata
 * share of the original commission for the part of the order still standing, rounded down, so a
 * return in any number of steps reverses exactly the whole commission in the end and never more.
 */
export function reversalFor(s: Standing, removedMinor: number, currency: string): { amountAfterMinor: number; commissionReversedMinor: number; feeReversedMinor: number } {
  const amountAfterMinor = Math.max(0, s.currentAmountMinor - removedMinor);
  const returnedTotal = money(s.orderAmountMinor - amountAfterMinor, currency);
  const order = money(s.orderAmountMinor, currency);
  const commissionKept = rewardKeptAfterRefunds(money(s.commissionMinor, currency), order, returnedTotal).amountMinor;
  const feeKept = rewardKeptAfterRefunds(money(s.feeMinor, currency), order, returnedTotal).amountMinor;
  return {
    amountAfterMinor,
    commissionReversedMinor: Math.max(0, s.commissionMinor - s.commissionReversedMinor - commissionKept),
    feeReversedMinor: Math.max(0, s.feeMinor - s.feeReversedMinor - feeKept),
  };
}

export interface ClickEvidence {
  clickId: string;
  campaignId: string;
  publisherId: string;
  programVersion: number;
  fraudReason: string | null;
  at: Date;
  /** Host of the page the click came from, when the browser sent one. */
  referrerHost?: string | null;
}

export interface CodeEvidence {
  code: string;
  campaignId: string;
  publisherId: string;
}

export type Credit =
  | { by: 'click'; campaignId: string; publisherId: string; click: ClickEvidence }
  | { by: 'voucher-code'; campaignId: string; publisherId: string; code: CodeEvidence; click?: ClickEvidence }
  | { by: 'none' };

/**
 * Who is credited with a sale. A click or a code alone credits its publisher. With both, for
 * different publishers, the program's voucher rule decides: "code-wins" (default; exclusive codes,
 * as Awin does) credits the code's publisher, "click-wins" the click's. The same publisher: the click
 * (its terms version is the one in force at the click).
 */
export function creditFor(click: ClickEvidence | undefined, code: CodeEvidence | undefined, rule: 'code-wins' | 'click-wins'): Credit {
  if (click && (!code || code.publisherId === click.publisherId || rule === 'click-wins')) return { by: 'click', campaignId: click.campaignId, publisherId: click.publisherId, click };
  if (code) return { by: 'voucher-code', campaignId: code.campaignId, publisherId: code.publisherId, code, ...(click ? { click } : {}) };
  return { by: 'none' };
}

export const HOLD_REASONS = ['flagged-click', 'self-referral', 'no-click-in-window', 'too-fast-to-convert', 'publisher-not-approved'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/**
 * Why a credited sale is held for review instead of paid, if it is: a click the redirect flagged
 * (bot, flood); a self-referral — the click came from the advertiser's own site (a host the
 * program lands on, or a subdomain of one), i.e. a shopper already at the shop was routed through
 * an affiliate link; a click older than the cookie window; or a sale too soon after its click for
 * a person. A sale credited by voucher code alone needs no click.
 */
export function holdReasonFor(credit: Credit, convertedAt: Date, clickDays: number, minSecondsToConvert: number, advertiserHosts: readonly string[] = []): HoldReason | null {
  if (credit.by !== 'click') return null;
  const { click } = credit;
  if (click.fraudReason) return 'flagged-click';
  const from = click.referrerHost;
  if (from && advertiserHosts.some((h) => from === h || from.endsWith(`.${h}`))) return 'self-referral';
  const seconds = (convertedAt.getTime() - click.at.getTime()) / 1000;
  if (seconds > clickDays * 86_400) return 'no-click-in-window';
  if (seconds < minSecondsToConvert) return 'too-fast-to-convert';
  return null;
}
