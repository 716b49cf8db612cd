import { randomBytes } from 'node:crypto';
import type { AffiliateCommissionV1, CampaignAffiliateV1 } from '@prestanda/contracts';
import type { Money } from '@prestanda/money';
import type { FieldError } from './terms';

/** What the API accepts for a program's affiliate terms (DTO-validated, defaults not yet filled). */
export interface AffiliateTermsInput {
  landingUrl: string;
  deepLinkHosts?: readonly string[];
  clickIdParam?: string;
  fallbackUrl?: string;
  commission: CommissionInput;
  commissionGroups?: readonly { group: string; categories: readonly string[]; commission: CommissionInput }[];
  voucherRule?: 'code-wins' | 'click-wins';
  approval?: 'manual' | 'auto';
}

export interface CommissionInput {
  kind: 'percent' | 'fixed';
  basisPoints?: number;
  amount?: Money;
}

export const DEFAULT_CLICK_ID_PARAM = 'prclid';

/** A commission's fields agree with its kind and its amount is in the campaign currency. */
export function normaliseCommission(input: CommissionInput, currency: string, field: string, errors: FieldError[]): AffiliateCommissionV1 {
  if (input.kind === 'percent') {
    if (input.basisPoints === undefined) errors.push({ field: `${field}.basisPoints`, message: `${field}.basisPoints is required for a percent commission` });
    if (input.amount !== undefined) errors.push({ field: `${field}.amount`, message: `${field}.amount is only for a fixed commission` });
    return { kind: 'percent', basisPoints: input.basisPoints ?? 0 };
  }
  if (input.amount === undefined) errors.push({ field: `${field}.amount`, message: `${field}.amount is required for a fixed commission` });
  if (input.basisPoints !== undefined) errors.push({ field: `${field}.basisPoints`, message: `${field}.basisPoints is only for a percent commission` });
  if (input.amount && input.amount.currency !== currency) errors.push({ field: `${field}.amount.currency`, message: `${field}.amount.currency must be the advertiser's billing currency ${currency}` });
  return { kind: 'fixed', amount: { amountMinor: input.amount?.amountMinor ?? 0, currency } };
}

/**
 * Program terms with defaults: the click id parameter `prclid`, the code-wins rule, manual
 * approval, and deep links allowed to the landing URL's host (always, plus any listed).
 */
export function normaliseAffiliate(input: AffiliateTermsInput, currency: string, errors: FieldError[]): CampaignAffiliateV1 {
  const landingHost = hostOf(input.landingUrl);
  if (!landingHost) errors.push({ field: 'affiliate.landingUrl', message: 'affiliate.landingUrl must be an absolute http(s) URL' });
  if (input.fallbackUrl !== undefined && !hostOf(input.fallbackUrl)) errors.push({ field: 'affiliate.fallbackUrl', message: 'affiliate.fallbackUrl must be an absolute http(s) URL' });
  const groups = (input.commissionGroups ?? []).map((g, i) => ({
    group: g.group,
    categories: [...new Set(g.categories.map((c) => c.toLowerCase()))].sort(),
    commission: normaliseCommission(g.commission, currency, `affiliate.commissionGroups.${i}.commission`, errors),
  }));
  const owner = new Map<string, string>();
  groups.forEach((g, i) => {
    for (const c of g.categories) {
      const other = owner.get(c);
      if (other !== undefined) errors.push({ field: `affiliate.commissionGroups.${i}.categories`, message: `affiliate.commissionGroups.${i}.categories: ${c} is already in group ${other}` });
      owner.set(c, g.group);
    }
  });
  const hosts = [...new Set([...(landingHost ? [landingHost] : []), ...(input.deepLinkHosts ?? []).map((h) => h.toLowerCase())])].sort();
  return {
    landingUrl: input.landingUrl,
    deepLinkHosts: hosts.length ? hosts : ['invalid'],
    clickIdParam: input.clickIdParam ?? DEFAULT_CLICK_ID_PARAM,
    ...(input.fallbackUrl ? { fallbackUrl: input.fallbackUrl } : {}),
    commission: normaliseCommission(input.commission, currency, 'affiliate.commission', errors),
    ...(groups.length ? { commissionGroups: groups } : {}),
    voucherRule: input.voucherRule ?? 'code-wins',
    approval: input.approval ?? 'manual',
  };
}

/** The lower-cased host of an absolute http(s) URL, else undefined. */
export function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A new tracking code: 12 characters from a 56-letter alphabet without look-alikes (≈ 70 bits),
 * so codes cannot be guessed and a collision is not a practical concern. Rejection sampling keeps
 * every letter equally likely.
 */
export function mintTrackingCode(random: (n: number) => Buffer = randomBytes): string {
  let code = '';
  while (code.length < 12) {
    for (const b of random(16)) {
      if (b < 224 && code.length < 12) code += ALPHABET[b % 56];
    }
  }
  return code;
}

/** Every affiliate publisher keeps its tracking code across edits; one without gets a new one. */
export function withTrackingCodes<P extends { publisherId: string; trackingCode?: string }>(
  publishers: readonly P[],
  before: readonly { publisherId: string; trackingCode?: string }[],
  isAffiliate: (publisherId: string) => boolean,
  mint: () => string = mintTrackingCode,
): P[] {
  const kept = new Map(before.filter((p) => p.trackingCode).map((p) => [p.publisherId, p.trackingCode!]));
  return publishers.map((p) => {
    if (!isAffiliate(p.publisherId)) return p;
    const trackingCode = kept.get(p.publisherId) ?? p.trackingCode ?? mint();
    return { ...p, trackingCode };
  });
}
