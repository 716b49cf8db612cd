import type { Money } from './money';

/** The shapes this console reads, as the services' REST APIs answer (see each service's /docs). */
export type CampaignStatus = 'draft' | 'active' | 'paused' | 'exhausted' | 'ended';

export interface Campaign {
  id: string;
  advertiserId: string;
  name: string;
  status: CampaignStatus;
  version: number;
  currency: string;
  pricing: { model: string; price?: Money };
  budget: { total: Money; daily?: Money; pacing: 'asap' | 'even' };
}

export interface Advertiser {
  id: string;
  name: string;
  billingCurrency: string;
}

export interface BudgetStatus {
  campaignId: string;
  budget: Money;
  spent: Money;
  remaining: Money;
  percent: number;
}

export interface PlatformHealth {
  ready: boolean;
  checkedAt: string;
  services: { service: string; ready: boolean; checks: { name: string; ok: boolean }[]; error?: string }[];
}

export interface LedgerChecks {
  ok: boolean;
  checkedAt: string;
  checks: { name: string; ok: boolean }[];
}

export interface TransactionOutcomes {
  bankSource: string;
  transactionId: string;
  kind: string;
  purchaseId: string;
  customerId: string;
  evaluated: boolean;
  explanation: string;
  outcomes: {
    campaignId: string;
    campaignName: string | null;
    advertiserId: string;
    merchantId: string;
    matchedBy: string;
    outcome: string;
    reasonCode: string;
    rewardAmount: Money | null;
    platformFee: Money | null;
  }[];
}

export interface PurchaseDecisions {
  purchaseId: string;
  decisions: { matchId: string; campaignId: string; merchantId: string; outcome: string; reasonCode: string; rewardId?: string; decidedAt: string }[];
}

export type IntegrationKind = 'bank' | 'rewards-app' | 'publisher';

/** A key as the registry lists it: a hint and dates, never the key itself. */
export interface ApiKeyView {
  keyId: string;
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  active: boolean;
}

export interface Integration {
  id: string;
  kind: IntegrationKind;
  name: string;
  locale: string;
  publisherId: string | null;
  createdAt: string;
  keys: ApiKeyView[];
}

/** `POST /v1/integrations/:id/keys`: the key in clear, this once, and with a rotation the key it replaces. */
export interface IssuedApiKey extends ApiKeyView {
  apiKey: string;
  replaced?: ApiKeyView;
}
