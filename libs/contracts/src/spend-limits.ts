import type { Money } from '@prestanda/money';
import type { CampaignSnapshotV1Data } from './events/campaign-snapshot.v1';

/**
 * Spend limits above and beside a campaign's own budget, derived from its snapshot, in one place:
 * offer-matching reserves against them and billing books spend against them, so both must name
 * the same limits for the same purchase.
 */
export type SpendLimitKind = 'advertiser' | 'advertiser-bank' | 'campaign-bank';

export interface SpendLimit {
  /** "advertiser:<id>", "advertiser:<id>:bank:<bank>", "campaign:<id>:bank:<bank>". */
  readonly limitId: string;
  readonly kind: SpendLimitKind;
  readonly advertiserId: string;
  readonly campaignId?: string;
  readonly bankId?: string;
  readonly total: Money;
}

export const advertiserLimitId = (advertiserId: string): string => `advertiser:${advertiserId}`;
export const advertiserBankLimitId = (advertiserId: string, bankId: string): string => `advertiser:${advertiserId}:bank:${bankId}`;
export const campaignBankLimitId = (campaignId: string, bankId: string): string => `campaign:${campaignId}:bank:${bankId}`;

type LimitSource = Pick<CampaignSnapshotV1Data, 'campaignId' | 'advertiserId' | 'budget' | 'advertiserBudget'>;

/**
 * The limits an action of this campaign draws on, besides the campaign's own budget: the
 * advertiser's budget (every action), and for a purchase of a bank's customer (`bankId`) the
 * advertiser's and the campaign's caps at that bank. In limit id order (the order to lock them in).
 */
export function spendLimitsOf(c: LimitSource, bankId?: string): SpendLimit[] {
  const out: SpendLimit[] = [];
  const a = c.advertiserBudget;
  if (a?.total) out.push({ limitId: advertiserLimitId(c.advertiserId), kind: 'advertiser', advertiserId: c.advertiserId, total: a.total });
  if (bankId !== undefined) {
    const advertiserCap = a?.bankCaps?.find((b) => b.bankId === bankId);
    if (advertiserCap) out.push({ limitId: advertiserBankLimitId(c.advertiserId, bankId), kind: 'advertiser-bank', advertiserId: c.advertiserId, bankId, total: advertiserCap.amount });
    const campaignCap = c.budget.bankCaps?.find((b) => b.bankId === bankId);
    if (campaignCap) out.push({ limitId: campaignBankLimitId(c.campaignId, bankId), kind: 'campaign-bank', advertiserId: c.advertiserId, campaignId: c.campaignId, bankId, total: campaignCap.amount });
  }
  return out.sort((x, y) => (x.limitId < y.limitId ? -1 : x.limitId > y.limitId ? 1 : 0));
}

/**
 * Every limit a snapshot defines, at any bank. A read model takes these and switches off the
 * advertiser's and the campaign's other limits (`ownedBy`): the snapshot is the whole truth
 * about them (campaigns re-publishes every campaign of an advertiser whose budget changes).
 */
export function definedSpendLimits(c: LimitSource): SpendLimit[] {
  const banks = new Set<string>([...(c.advertiserBudget?.bankCaps ?? []).map((b) => b.bankId), ...(c.budget.bankCaps ?? []).map((b) => b.bankId)]);
  const byId = new Map<string, SpendLimit>();
  for (const l of spendLimitsOf(c)) byId.set(l.limitId, l);
  for (const bank of banks) for (const l of spendLimitsOf(c, bank)) byId.set(l.limitId, l);
  return [...byId.values()].sort((x, y) => (x.limitId < y.limitId ? -1 : x.limitId > y.limitId ? 1 : 0));
}

/** Which limit a purchase was refused by, as an offer-match decline reason. */
export function limitDeclineReason(kind: SpendLimitKind): 'advertiser-budget-exhausted' | 'bank-budget-exhausted' {
  return kind === 'advertiser' ? 'advertiser-budget-exhausted' : 'bank-budget-exhausted';
}

/** Whether a limit belongs to this campaign's advertiser or to the campaign (what its snapshot decides). */
export function limitOwnedBy(limitId: string, c: Pick<CampaignSnapshotV1Data, 'campaignId' | 'advertiserId'>): boolean {
  return limitId === advertiserLimitId(c.advertiserId) || limitId.startsWith(`${advertiserLimitId(c.advertiserId)}:bank:`) || limitId.startsWith(`campaign:${c.campaignId}:bank:`);
}

/**
 * The ids of every limit an action could draw on (whether or not it is defined): for a service
 * that keeps limits as rows and has no snapshot at hand. In limit id order.
 */
export function candidateLimitIds(advertiserId: string, campaignId: string, bankId?: string): string[] {
  const ids = [advertiserLimitId(advertiserId)];
  if (bankId !== undefined) ids.push(advertiserBankLimitId(advertiserId, bankId), campaignBankLimitId(campaignId, bankId));
  return ids.sort();
}
