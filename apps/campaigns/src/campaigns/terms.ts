import type { AdvertiserBudgetV1, AudienceRule, BankCapV1, CampaignAffiliateV1, CampaignContentV1, CampaignRewardV1, PlatformFeeV1, PricingModel, PurchaseChannel } from '@prestanda/contracts';
import type { Money } from '@prestanda/money';
import { normaliseAffiliate, normaliseCommission, type AffiliateTermsInput, type CommissionInput } from './affiliate-terms';
import type { BankTargeting, CampaignPublisherEntry, CampaignSchedule } from './entities';

/** A campaign's editable fields, in the shape they are stored and published (defaults filled). */
export interface CampaignTerms {
  name: string;
  pricing: { model: PricingModel; price?: Money };
  reward: CampaignRewardV1 | null;
  platformFee: PlatformFeeV1;
  budget: { total: Money; daily?: Money; pacing: 'asap' | 'even'; bankCaps?: BankCapV1[] };
  schedule: CampaignSchedule;
  audience: { segment: AudienceRule; lookbackDays: number };
  channels: PurchaseChannel[];
  activation: 'required' | 'automatic';
  windows: { clickDays: number; viewDays: number };
  holdPeriodDays: number;
  holdoutBasisPoints: number;
  publishers: CampaignPublisherEntry[];
  banks: BankTargeting;
  affiliate: CampaignAffiliateV1 | null;
  content: CampaignContentV1 | null;
}

/** What the API accepts (DTO-validated shapes, optional parts not yet defaulted). */
export interface TermsInput {
  name: string;
  pricing: { model: PricingModel; price?: Money };
  reward?: { kind: 'percent' | 'fixed'; basisPoints?: number; amount?: Money; minSpend?: Money; maxPerPurchase?: Money; maxRewardsPerCustomer?: number } | null;
  platformFee: { kind: 'percent' | 'fixed'; basisPoints?: number; amount?: Money; publisherShareBasisPoints: number };
  budget: { total: Money; daily?: Money; pacing?: 'asap' | 'even'; bankCaps?: BankCapV1[] };
  schedule: CampaignSchedule;
  audience: { segment: AudienceRule; lookbackDays?: number };
  channels: PurchaseChannel[];
  activation: 'required' | 'automatic';
  windows?: { clickDays?: number; viewDays?: number };
  holdPeriodDays?: number;
  holdoutBasisPoints?: number;
  publishers?: { publisherId: string; voucherCodes?: string[]; trackingCode?: string; commission?: CommissionInput }[];
  /** Absent (or null): every bank. */
  banks?: BankTargeting | null;
  /** Affiliate program terms; absent (or null): no affiliate tracking links. */
  affiliate?: AffiliateTermsInput | CampaignAffiliateV1 | null;
  /** Offer content per language; absent (or null): the name only. */
  content?: CampaignContentV1 | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export const DEFAULT_LOOKBACK_DAYS = 365;
export const DEFAULT_CLICK_DAYS = 30;
export const DEFAULT_VIEW_DAYS = 1;
export const DEFAULT_HOLD_PERIOD_DAYS = 30;

const money = (m: Money): Money => ({ amountMinor: m.amountMinor, currency: m.currency });

/**
 * Cross-field rules the DTO decorators cannot say, and the defaults. Every amount must be in
 * the advertiser's billing currency. Returns the normalised terms or the fields at fault.
 */
export function normaliseTerms(input: TermsInput, currency: string): { ok: true; terms: CampaignTerms } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const checkCurrency = (m: Money | undefined, field: string) => {
    if (m && m.currency !== currency) errors.push({ field: `${field}.currency`, message: `${field}.currency must be the advertiser's billing currency ${currency}` });
  };

  // pricing
  checkCurrency(input.pricing.price, 'pricing.price');
  if (input.pricing.model !== 'CPA' && !input.pricing.price) errors.push({ field: 'pricing.price', message: `pricing.price is required for ${input.pricing.model}` });

  // reward
  let reward: CampaignRewardV1 | null = null;
  const r = input.reward ?? undefined;
  if (!r) {
    if (input.pricing.model === 'CPA' && !input.affiliate) errors.push({ field: 'reward', message: 'reward is required for CPA campaigns (or affiliate terms, for an affiliate sales program)' });
  } else {
    if (r.kind === 'percent') {
      if (r.basisPoints === undefined) errors.push({ field: 'reward.basisPoints', message: 'reward.basisPoints is required for a percent reward' });
      if (r.amount !== undefined) errors.push({ field: 'reward.amount', message: 'reward.amount is only for a fixed reward' });
    } else {
      if (r.amount === undefined) errors.push({ field: 'reward.amount', message: 'reward.amount is required for a fixed reward' });
      if (r.basisPoints !== undefined) errors.push({ field: 'reward.basisPoints', message: 'reward.basisPoints is only for a percent reward' });
    }
    checkCurrency(r.amount, 'reward.amount');
    checkCurrency(r.minSpend, 'reward.minSpend');
    checkCurrency(r.maxPerPurchase, 'reward.maxPerPurchase');
    const limits = {
      ...(r.minSpend ? { minSpend: money(r.minSpend) } : {}),
      ...(r.maxPerPurchase ? { maxPerPurchase: money(r.maxPerPurchase) } : {}),
      ...(r.maxRewardsPerCustomer !== undefined ? { maxRewardsPerCustomer: r.maxRewardsPerCustomer } : {}),
    };
    reward = r.kind === 'percent' ? { kind: 'percent', basisPoints: r.basisPoints ?? 0, ...limits } : { kind: 'fixed', amount: money(r.amount ?? { amountMinor: 0, currency }), ...limits };
  }

  // platform fee
  const f = input.platformFee;
  if (f.kind === 'percent') {
    if (f.basisPoints === undefined) errors.push({ field: 'platformFee.basisPoints', message: 'platformFee.basisPoints is required for a percent fee' });
    if (f.amount !== undefined) errors.push({ field: 'platformFee.amount', message: 'platformFee.amount is only for a fixed fee' });
  } else {
    if (f.amount === undefined) errors.push({ field: 'platformFee.amount', message: 'platformFee.amount is required for a fixed fee' });
    if (f.basisPoints !== undefined) errors.push({ field: 'platformFee.basisPoints', message: 'platformFee.basisPoints is only for a percent fee' });
  }
  checkCurrency(f.amount, 'platformFee.amount');
  const platformFee: PlatformFeeV1 =
    f.kind === 'percent'
      ? { kind: 'percent', basisPoints: f.basisPoints ?? 0, publisherShareBasisPoints: f.publisherShareBasisPoints }
      : { kind: 'fixed', amount: money(f.amount ?? { amountMinor: 0, currency }), publisherShareBasisPoints: f.publisherShareBasisPoints };

  // budget
  checkCurrency(input.budget.total, 'budget.total');
  checkCurrency(input.budget.daily, 'budget.daily');
  if (input.budget.daily && input.budget.daily.amountMinor > input.budget.total.amountMinor) {
    errors.push({ field: 'budget.daily', message: 'budget.daily must not exceed budget.total' });
  }
  const bankCaps = input.budget.bankCaps ? normaliseBankCaps(input.budget.bankCaps, currency, 'budget.bankCaps', errors) : undefined;
  (input.budget.bankCaps ?? []).forEach((cap, i) => {
    if (cap.amount.amountMinor > input.budget.total.amountMinor) errors.push({ field: `budget.bankCaps.${i}.amount`, message: `budget.bankCaps.${i}.amount must not exceed budget.total` });
    if (input.banks && input.banks !== 'all' && !input.banks.includes(cap.bankId))
      errors.push({ field: `budget.bankCaps.${i}.bankId`, message: `budget.bankCaps.${i}.bankId: the campaign does not target ${cap.bankId} (banks)` });
  });

  // schedule
  const s = input.schedule;
  if (s.endsAt && Date.parse(s.endsAt) <= Date.parse(s.startsAt)) errors.push({ field: 'schedule.endsAt', message: 'schedule.endsAt must be after schedule.startsAt' });
  if (s.hours && s.hours.from === s.hours.to) errors.push({ field: 'schedule.hours', message: 'schedule.hours.from and schedule.hours.to must differ' });

  // publishers
  const seen = new Set<string>();
  const codes = new Map<string, string>();
  (input.publishers ?? []).forEach((p, i) => {
    if (seen.has(p.publisherId)) errors.push({ field: `publishers.${i}.publisherId`, message: `publishers.${i}.publisherId is listed twice` });
    seen.add(p.publisherId);
    for (const code of p.voucherCodes ?? []) {
      const owner = codes.get(code.toUpperCase());
      if (owner && owner !== p.publisherId) errors.push({ field: `publishers.${i}.voucherCodes`, message: `publishers.${i}.voucherCodes: ${code} is already owned by ${owner}` });
      codes.set(code.toUpperCase(), p.publisherId);
    }
  });

  const affiliate = input.affiliate ? normaliseAffiliate(input.affiliate, currency, errors) : null;
  const publishers = (input.publishers ?? []).map((p, i) => ({
    publisherId: p.publisherId,
    ...(p.voucherCodes?.length ? { voucherCodes: [...p.voucherCodes] } : {}),
    ...(p.trackingCode ? { trackingCode: p.trackingCode } : {}),
    ...(p.commission ? { commission: normaliseCommission(p.commission, currency, `publishers.${i}.commission`, errors) } : {}),
  }));

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    terms: {
      name: input.name,
      pricing: { model: input.pricing.model, ...(input.pricing.price ? { price: money(input.pricing.price) } : {}) },
      reward,
      platformFee,
      budget: { total: money(input.budget.total), ...(input.budget.daily ? { daily: money(input.budget.daily) } : {}), pacing: input.budget.pacing ?? 'asap', ...(bankCaps ? { bankCaps } : {}) },
      schedule: {
        startsAt: s.startsAt,
        ...(s.endsAt ? { endsAt: s.endsAt } : {}),
        ...(s.daysOfWeek ? { daysOfWeek: [...s.daysOfWeek].sort((a, b) => a - b) } : {}),
        ...(s.hours ? { hours: { from: s.hours.from, to: s.hours.to } } : {}),
        timeZone: s.timeZone,
      },
      audience: { segment: input.audience.segment, lookbackDays: input.audience.lookbackDays ?? DEFAULT_LOOKBACK_DAYS },
      channels: [...input.channels],
      activation: input.activation,
      windows: { clickDays: input.windows?.clickDays ?? DEFAULT_CLICK_DAYS, viewDays: input.windows?.viewDays ?? DEFAULT_VIEW_DAYS },
      holdPeriodDays: input.holdPeriodDays ?? DEFAULT_HOLD_PERIOD_DAYS,
      holdoutBasisPoints: input.holdoutBasisPoints ?? 0,
      publishers,
      banks: bankTargeting(input.banks),
      affiliate,
      content: offerContent(input.content),
    },
  };
}

/** Offer content with only the languages given, each with only the fields given; null when there is none. */
export function offerContent(c: CampaignContentV1 | null | undefined): CampaignContentV1 | null {
  if (!c) return null;
  const one = (x: CampaignContentV1['sv']) =>
    x ? { title: x.title, ...(x.description ? { description: x.description } : {}), ...(x.terms ? { terms: x.terms } : {}), ...(x.imageUrl ? { imageUrl: x.imageUrl } : {}) } : undefined;
  const sv = one(c.sv);
  const en = one(c.en);
  return sv || en ? { ...(sv ? { sv } : {}), ...(en ? { en } : {}) } : null;
}

/** "all" when absent; a list is kept sorted, so its order is never a change. */
export function bankTargeting(banks: BankTargeting | null | undefined): BankTargeting {
  return !banks || banks === 'all' ? 'all' : [...banks].sort();
}

/** Top-level fields whose value differs (deep, JSON-wise) between two term sets. */
export function changedFields(before: CampaignTerms, after: CampaignTerms): (keyof CampaignTerms)[] {
  return (Object.keys(after) as (keyof CampaignTerms)[]).filter((k) => JSON.stringify(canonical(before[k])) !== JSON.stringify(canonical(after[k])));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v ?? null;
}

/** Caps per bank: in the billing currency, each bank once; kept sorted by bank, so their order is never a change. */
export function normaliseBankCaps(caps: readonly BankCapV1[], currency: string, field: string, errors: FieldError[]): BankCapV1[] {
  const seen = new Set<string>();
  caps.forEach((cap, i) => {
    if (cap.amount.currency !== currency) errors.push({ field: `${field}.${i}.amount.currency`, message: `${field}.${i}.amount.currency must be the advertiser's billing currency ${currency}` });
    if (seen.has(cap.bankId)) errors.push({ field: `${field}.${i}.bankId`, message: `${field}.${i}.bankId: ${cap.bankId} is listed twice` });
    seen.add(cap.bankId);
  });
  return [...caps].map((c) => ({ bankId: c.bankId, amount: money(c.amount) })).sort((a, b) => (a.bankId < b.bankId ? -1 : a.bankId > b.bankId ? 1 : 0));
}

/** An advertiser's budget as stored and published: null when it sets nothing. */
export function normaliseAdvertiserBudget(input: AdvertiserBudgetV1 | null | undefined, currency: string): { ok: true; budget: AdvertiserBudgetV1 | null } | { ok: false; errors: FieldError[] } {
  if (!input || (!input.total && !input.bankCaps)) return { ok: true, budget: null };
  const errors: FieldError[] = [];
  if (input.total && input.total.currency !== currency) errors.push({ field: 'budget.total.currency', message: `budget.total.currency must be the advertiser's billing currency ${currency}` });
  const bankCaps = input.bankCaps ? normaliseBankCaps(input.bankCaps, currency, 'budget.bankCaps', errors) : undefined;
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, budget: { ...(input.total ? { total: money(input.total) } : {}), ...(bankCaps ? { bankCaps } : {}) } };
}
