/**
 * The advertiser screens' form ↔ API mapping, kept pure so it is unit-tested. Amounts are typed in
 * the advertiser's billing currency (major units) and sent as integer minor units; every other rule
 * is the campaigns API's (its 400 `fields[]` land on the inputs through `formErrorsOf`).
 */
import { parseMajor, toMajorInput } from './money';
import type { Advertiser, AdvertiserBudget, BankCap, Integration, Merchant } from './types';

export interface BankCapValues {
  bankId: string;
  amount: string;
}

/** An advertiser budget as the form holds it: text in major units, one row per bank cap. */
export interface BudgetValues {
  total: string;
  bankCaps: BankCapValues[];
}

/** A problem the form finds itself, before anything is sent: only what cannot be sent at all. */
export type BudgetProblem = 'amountInvalid';

export const emptyBudget = (): BudgetValues => ({ total: '', bankCaps: [] });

/** The stored budget (or none) → the form's starting values. */
export function budgetValuesOf(budget: AdvertiserBudget | null | undefined): BudgetValues {
  if (!budget) return emptyBudget();
  return {
    total: budget.total ? toMajorInput(budget.total.amountMinor, budget.total.currency) : '',
    bankCaps: (budget.bankCaps ?? []).map((c) => ({ bankId: c.bankId, amount: toMajorInput(c.amount.amountMinor, c.amount.currency) })),
  };
}

/**
 * The form's budget → the API's `budget` (null when it sets nothing, which removes it on an
 * update). An amount that is not a plain amount in the currency is a problem keyed by its form path
 * (`budget.total`, `budget.bankCaps.1.amount`); a cap's amount is required, the total is not.
 */
export function budgetBodyOf(values: BudgetValues, currency: string): { budget: AdvertiserBudget | null; problems: Record<string, BudgetProblem> } {
  const problems: Record<string, BudgetProblem> = {};
  const money = (path: string, input: string) => {
    const amountMinor = parseMajor(input, currency);
    if (amountMinor === undefined) {
      problems[path] = 'amountInvalid';
      return undefined;
    }
    return { amountMinor, currency };
  };
  const total = values.total.trim() ? money('budget.total', values.total) : undefined;
  const caps = bankCapsBodyOf(values.bankCaps, currency);
  Object.assign(problems, caps.problems);
  if (!total && caps.bankCaps.length === 0) return { budget: null, problems };
  return { budget: { ...(total ? { total } : {}), ...(caps.bankCaps.length ? { bankCaps: caps.bankCaps } : {}) }, problems };
}

/**
 * Bank cap rows → the API's `budget.bankCaps` (an advertiser's or a campaign's: the same shape and
 * path). Each amount is required; one that cannot be sent is a problem at `budget.bankCaps.<i>.amount`.
 */
export function bankCapsBodyOf(rows: readonly BankCapValues[], currency: string): { bankCaps: BankCap[]; problems: Record<string, BudgetProblem> } {
  const problems: Record<string, BudgetProblem> = {};
  const bankCaps = rows.map((c, i) => {
    const amountMinor = parseMajor(c.amount, currency);
    if (amountMinor === undefined) problems[`budget.bankCaps.${i}.amount`] = 'amountInvalid';
    return { bankId: c.bankId.trim(), amount: { amountMinor: amountMinor ?? 0, currency } };
  });
  return { bankCaps, problems };
}

/** The form paths an API field of a budget can land on (the longest prefix wins): one pair per cap row. */
export function budgetFormFields(capCount: number): string[] {
  return ['budget', 'budget.total', ...bankCapFormFields(capCount)];
}

/** The form paths of `capCount` bank cap rows, and of the list itself. */
export function bankCapFormFields(capCount: number): string[] {
  const fields = ['budget.bankCaps'];
  for (let i = 0; i < capCount; i++) fields.push(`budget.bankCaps.${i}`, `budget.bankCaps.${i}.bankId`, `budget.bankCaps.${i}.amount`);
  return fields;
}

export interface NewAdvertiserValues {
  id: string;
  name: string;
  billingCurrency: string;
  budget: BudgetValues;
}

export const ADVERTISER_FORM_FIELDS = ['id', 'name', 'billingCurrency'] as const;

/** The create form → `POST /v1/advertisers` (no id: the API makes one; no budget: none). */
export function newAdvertiserBodyOf(values: NewAdvertiserValues): { body: Record<string, unknown>; problems: Record<string, BudgetProblem> } {
  const billingCurrency = values.billingCurrency.trim();
  const { budget, problems } = budgetBodyOf(values.budget, billingCurrency);
  return { body: { ...(values.id.trim() ? { id: values.id.trim() } : {}), name: values.name, billingCurrency, ...(budget ? { budget } : {}) }, problems };
}

export type Channel = Merchant['channels'][number];
export const CHANNELS: readonly Channel[] = ['in-store', 'online'];

/** A merchant as its form holds it: lists as text, one entry per line (MIDs and MCCs also by comma or space). */
export interface MerchantValues {
  id: string;
  name: string;
  mids: string;
  descriptorPatterns: string;
  mccs: string;
  country: string;
  channels: Channel[];
}

export const MERCHANT_FORM_FIELDS = ['id', 'name', 'mids', 'descriptorPatterns', 'mccs', 'country', 'channels'] as const;

export function merchantValuesOf(merchant?: Merchant): MerchantValues {
  if (!merchant) return { id: '', name: '', mids: '', descriptorPatterns: '', mccs: '', country: 'SE', channels: ['in-store'] };
  return { id: merchant.id, name: merchant.name, mids: merchant.mids.join('\n'), descriptorPatterns: merchant.descriptorPatterns.join('\n'), mccs: merchant.mccs.join(', '), country: merchant.country, channels: [...merchant.channels] };
}

/** Ids have no whitespace, so commas, spaces and line breaks all separate them. */
const tokens = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
/** A descriptor pattern may hold spaces ("ICA NARA*"): one per line. */
const lines = (text: string): string[] => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/**
 * The merchant form → the body of `POST /v1/advertisers/:id/merchants` (with `id` when typed) or
 * `PUT …/merchants/:merchantId` (a whole merchant, without its id).
 */
export function merchantBodyOf(values: MerchantValues, { withId }: { withId: boolean }): Record<string, unknown> {
  return {
    ...(withId && values.id.trim() ? { id: values.id.trim() } : {}),
    name: values.name,
    mids: tokens(values.mids),
    descriptorPatterns: lines(values.descriptorPatterns),
    mccs: tokens(values.mccs),
    country: values.country.trim(),
    channels: values.channels,
  };
}

/** The list's search: a case-insensitive part of the name or the id. */
export function searchAdvertisers(advertisers: readonly Advertiser[], query: string): Advertiser[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...advertisers];
  return advertisers.filter((a) => a.name.toLowerCase().includes(q) || a.id.toLowerCase().includes(q));
}

/**
 * The banks a cap can name: the registered integrations of kind bank, plus any bank an existing
 * cap already names (so editing never drops it silently), sorted by id.
 */
export function bankOptions(integrations: readonly Pick<Integration, 'id' | 'kind' | 'name'>[], caps: readonly BankCapValues[]): { value: string; label: string }[] {
  const options = new Map<string, string>();
  for (const i of integrations) if (i.kind === 'bank') options.set(i.id, `${i.name} (${i.id})`);
  for (const c of caps) if (c.bankId && !options.has(c.bankId)) options.set(c.bankId, c.bankId);
  return [...options.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([value, label]) => ({ value, label }));
}
