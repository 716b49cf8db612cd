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
  budget: { total: Money; daily?: Money; pacing: 'asap' | 'even'; bankCaps?: BankCap[] };
  /** Affiliate program terms; absent or null when the campaign has no tracking links. */
  affiliate?: AffiliateTerms | null;
  /** Approved publishers; affiliates carry their tracking code and may have their own commission. */
  publishers?: CampaignPublisher[];
}

export type Commission = { kind: 'percent'; basisPoints: number } | { kind: 'fixed'; amount: Money };

export interface AffiliateTerms {
  landingUrl: string;
  deepLinkHosts?: string[];
  clickIdParam: string;
  fallbackUrl?: string;
  commission: Commission;
  voucherRule: 'code-wins' | 'click-wins';
  approval: 'manual' | 'auto';
}

export interface CampaignPublisher {
  publisherId: string;
  kind?: string;
  voucherCodes?: string[];
  trackingCode?: string;
  commission?: Commission;
}

export type ApplicationStatus = 'pending' | 'approved' | 'declined';

/** `GET /v1/campaigns/:id/applications`: an affiliate's application to promote the campaign. */
export interface CampaignApplication {
  campaignId: string;
  publisherId: string;
  status: ApplicationStatus;
  message: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export type ConversionStatus = 'pending' | 'confirmed' | 'reversed' | 'held' | 'rejected' | 'unattributed' | 'lead-recorded';

/** `GET /v1/conversions` (affiliate): a sale a shop reported, and its commission's lifecycle. */
export interface Conversion {
  conversionId: string;
  advertiserId: string;
  orderId: string;
  status: ConversionStatus;
  holdReason: string | null;
  publisherId: string | null;
  campaignId: string | null;
  attributedBy: string | null;
  currency: string;
  orderAmountMinor: number;
  currentAmountMinor: number;
  commissionMinor: number;
  commissionReversedMinor: number;
  feeMinor: number;
  convertedAt: string;
  lockedUntil: string | null;
  confirmedAt: string | null;
}

/** One row of `GET /v1/reports/advertiser` (by day, program and publisher). */
export interface ReportDay {
  day: string;
  campaignId: string;
  publisherId?: string;
  clicks: number;
  flaggedClicks: number;
  conversions: number;
  heldConversions: number;
  /** A fraction (0.25 = 25 %); null without a valid click. */
  conversionRate: number | null;
  /** null when the row has clicks only. */
  currency: string | null;
  commissionPendingMinor: number;
  commissionConfirmedMinor: number;
  commissionReversedMinor: number;
}

export interface AdvertiserReport {
  advertiserId: string;
  from: string;
  to: string;
  days: ReportDay[];
}

/** A cap on spend at one bank (integration id), in the advertiser's billing currency. */
export interface BankCap {
  bankId: string;
  amount: Money;
}

/** The advertiser's own limits, drawn on by all its campaigns (see docs/tenancy.md, "Budgets across banks"). */
export interface AdvertiserBudget {
  total?: Money;
  bankCaps?: BankCap[];
}

/** A merchant (store) of an advertiser: how its card transactions are recognised. */
export interface Merchant {
  id: string;
  advertiserId: string;
  name: string;
  mids: string[];
  descriptorPatterns: string[];
  mccs: string[];
  country: string;
  channels: ('online' | 'in-store')[];
  createdAt: string;
  updatedAt: string;
}

/** `GET /v1/advertisers[/:id]` (campaigns): an advertiser with its budget and merchants. */
export interface Advertiser {
  id: string;
  name: string;
  billingCurrency: string;
  budget: AdvertiserBudget | null;
  merchants: Merchant[];
  createdAt: string;
  updatedAt: string;
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

export type RewardStatus = 'earned' | 'confirmed' | 'reversed';

/** Attribution's `GET /v1/customers/:customerId/rewards?bank`. */
export interface CustomerRewards {
  customerId: string;
  rewards: {
    rewardId: string;
    purchaseId: string;
    campaignId: string;
    campaignName?: string;
    advertiserId: string;
    status: RewardStatus;
    /** What the customer keeps now. */
    amount: Money;
    earnedAmount: Money;
    reversedAmount: Money;
    purchaseAmount: Money;
    purchasedAt: string;
    earnedAt: string;
    confirmedAt?: string;
    reversedAt?: string;
  }[];
  /** Matches attribution did not reward, with the reason. */
  declined: { matchId: string; purchaseId: string; campaignId: string; merchantId: string; reasonCode: string; purchasedAt: string; decidedAt: string }[];
}

/** Offer matching's `GET /v1/customers/:customerId/offers?bank`: what the customer can earn on now. */
export interface CustomerOffers {
  bank: string;
  customerId: string;
  offers: {
    campaignId: string;
    name: string;
    advertiserId: string;
    advertiserName: string;
    currency: string;
    reward: Commission & { minSpend?: Money; maxPerPurchase?: Money; maxRewardsPerCustomer?: number };
    merchants: { merchantId: string; name: string }[];
    rewardsRemaining: number | null;
    activation: { required: boolean; activated: boolean; activatedAt: string | null; activeUntil: string | null };
  }[];
}

/** The console server's own dead-letter API (`/api/dead-letters/…`); shapes as in apps/console/server/src/dead-letters. */
export interface DeadLetterPosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface DeadLetterTopic {
  topic: string;
  sourceTopic: string;
  partitions: { partition: number; low: string; high: string }[];
  count: number;
}

export interface DeadLetter extends DeadLetterPosition {
  timestamp: string;
  key: string | null;
  code: string | null;
  reason: string | null;
  field: string | null;
  service: string | null;
  attempts: number | null;
  failedAt: string | null;
  origin: DeadLetterPosition | null;
  truncated: boolean;
  originalSize: number | null;
  replay: { of: string; id: string | null; by: string | null; at: string | null } | null;
  body: string | null;
  bodyBytes: number;
}

export interface DeadLetterPage {
  topic: string;
  partition: number;
  low: string;
  high: string;
  messages: DeadLetter[];
  nextBefore: string | null;
}

export interface ReplayAnswer {
  replayId: string;
  replayedBy: string;
  replayedAt: string;
  results: { deadLetter: DeadLetterPosition; to: DeadLetterPosition }[];
}

export interface AuditEntry {
  id: string;
  replayId: string;
  action: 'dead-letter.replay.requested' | 'dead-letter.replay.completed' | 'dead-letter.replay.failed';
  at: string;
  actor: { subject: string; roles: string[] };
  items: { deadLetter: DeadLetterPosition; to: { topic: string; partition: number; offset?: string } }[];
  error?: string;
  written?: number;
  offset: string;
}

/** Notification's delivery log (`GET /v1/deliveries`, `GET /v1/deliveries/:id`). */
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'dead' | 'skipped';

export interface Delivery {
  id: string;
  sourceEventId: string;
  sourceEventType: string;
  recipient: { kind: string; id: string };
  channel: 'webhook' | 'email' | string;
  template: string;
  customerId: string | null;
  customerBank: string | null;
  status: DeliveryStatus;
  skipReason: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryDetail extends Delivery {
  attemptLog: { attempt: number; startedAt: string; latencyMs: number | null; statusCode: number | null; error: string | null; outcome: string }[];
}
