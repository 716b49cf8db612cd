import {
  CampaignSnapshotV1,
  ClickRecordedV1,
  ConversionConfirmedV1,
  ConversionRecordedV1,
  ConversionReversedV1,
  ImpressionRecordedV1,
  LeadRecordedV1,
  newEnvelope,
  RewardConfirmedV1,
  RewardEarnedV1,
  RewardReinstatedV1,
  RewardReversedV1,
  type CampaignSnapshotV1Data,
  type CampaignSnapshotV1Envelope,
  type RewardEarnedV1Envelope,
} from '@prestanda/contracts';

const SEK = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });

export function campaignSnapshot(
  campaignId: string,
  advertiserId: string,
  opts: {
    version?: number;
    model?: 'CPA' | 'CPC' | 'CPM' | 'CPL';
    price?: number;
    budget: number;
    daily?: number;
    feeBp?: number;
    publishers?: CampaignSnapshotV1Data['publishers'];
    bankCaps?: CampaignSnapshotV1Data['budget']['bankCaps'];
    advertiserBudget?: CampaignSnapshotV1Data['advertiserBudget'];
  },
): CampaignSnapshotV1Envelope {
  const model = opts.model ?? 'CPA';
  return newEnvelope(CampaignSnapshotV1, {
    source: 'campaigns',
    occurredAt: new Date(),
    data: {
      campaignId,
      version: opts.version ?? 1,
      name: `Campaign ${campaignId}`,
      advertiserId,
      advertiserName: `Advertiser ${advertiserId}`,
      currency: 'SEK',
      merchants: [{ merchantId: `mer-${campaignId}`, name: 'Shop', mids: [], descriptorPatterns: ['SHOP*'], mccs: ['5411'], country: 'SE', channels: ['in-store'] }],
      pricing: model === 'CPA' ? { model } : { model, price: SEK(opts.price ?? 0) },
      ...(model === 'CPA' ? { reward: { kind: 'percent' as const, basisPoints: 1000 } } : {}),
      platformFee: { kind: 'percent', basisPoints: opts.feeBp ?? 2000, publisherShareBasisPoints: 3000 },
      budget: { total: SEK(opts.budget), ...(opts.daily ? { daily: SEK(opts.daily) } : {}), pacing: 'asap', ...(opts.bankCaps ? { bankCaps: opts.bankCaps } : {}) },
      ...(opts.advertiserBudget ? { advertiserBudget: opts.advertiserBudget } : {}),
      schedule: { startsAt: '2025-01-01T00:00:00Z', timeZone: 'Europe/Stockholm' },
      audience: { segment: 'all', lookbackDays: 365 },
      channels: ['in-store'],
      activation: 'automatic',
      windows: { clickDays: 30, viewDays: 1 },
      holdPeriodDays: 30,
      holdoutBasisPoints: 0,
      publishers: opts.publishers ?? [
        { publisherId: 'pub-bank-test', kind: 'bank' },
        { publisherId: 'pub-app-test', kind: 'rewards-app' },
        { publisherId: 'aff-test', kind: 'affiliate' },
      ],
      status: 'active',
      updatedAt: new Date().toISOString(),
    },
  });
}

export interface RewardInit {
  rewardId: string;
  campaignId: string;
  advertiserId: string;
  customerId: string;
  amount: number;
  fee: number;
  share: number;
  bank?: string;
  publisherId?: string;
  earnedAt?: string;
}

/** The fields every reward event of one reward carries. */
function rewardRef(r: RewardInit) {
  return {
    rewardId: r.rewardId,
    purchaseId: `${r.bank ?? 'bank-test'}:txn-${r.rewardId}`,
    customerId: r.customerId,
    campaignId: r.campaignId,
    advertiserId: r.advertiserId,
    publisherId: r.publisherId ?? 'pub-bank-test',
  };
}

export function earned(r: RewardInit): RewardEarnedV1Envelope {
  return newEnvelope(RewardEarnedV1, {
    source: 'attribution',
    occurredAt: new Date(),
    data: {
      ...rewardRef(r),
      matchId: `om-${r.rewardId}`,
      status: 'earned',
      reasonCode: 'rewarded',
      amount: SEK(r.amount),
      platformFee: SEK(r.fee),
      publisherShare: SEK(r.share),
      attribution: { method: 'bank-default' },
      holdPeriodDays: 30,
      earnedAt: r.earnedAt ?? new Date().toISOString(),
    },
  });
}

export function reversed(
  r: RewardInit,
  x: { reversed: number; remaining: number; fee: number; share: number; afterPayout?: boolean; status?: 'earned' | 'confirmed' | 'paid' | 'reversed'; at?: string; txn: string },
) {
  return newEnvelope(RewardReversedV1, {
    source: 'attribution',
    occurredAt: new Date(),
    data: {
      ...rewardRef(r),
      status: x.status ?? 'earned',
      reasonCode: 'refund-netted',
      reversedAmount: SEK(x.reversed),
      remainingAmount: SEK(x.remaining),
      platformFeeReversed: SEK(x.fee),
      publisherShareReversed: SEK(x.share),
      transactionId: x.txn,
      afterPayout: x.afterPayout ?? false,
      reversedAt: x.at ?? new Date().toISOString(),
    },
  });
}

/** reward.reinstated: the reward back in full (a settlement after its authorization expired). */
export function reinstated(r: RewardInit) {
  return newEnvelope(RewardReinstatedV1, {
    source: 'attribution',
    occurredAt: new Date(),
    data: {
      ...rewardRef(r),
      status: 'earned',
      reasonCode: 'settled-after-expiry',
      amount: SEK(r.amount),
      platformFee: SEK(r.fee),
      publisherShare: SEK(r.share),
      transactionId: `txn-${r.rewardId}-s`,
      settledAt: new Date().toISOString(),
      reinstatedAt: new Date().toISOString(),
    },
  });
}

export function confirmed(r: RewardInit, amount: number) {
  return newEnvelope(RewardConfirmedV1, {
    source: 'attribution',
    occurredAt: new Date(),
    data: {
      ...rewardRef(r),
      status: 'confirmed',
      reasonCode: 'hold-period-passed',
      amount: SEK(amount),
      settledAt: new Date().toISOString(),
      confirmedAt: new Date().toISOString(),
    },
  });
}

const canonical = { reportedBy: 'bank-test', inboundEventId: '00000000-0000-4000-8000-000000000000' };

export function click(clickId: string, campaignId: string, customerId: string, at: string, kind: 'click' | 'activation' = 'click', publisherId = 'pub-app-test') {
  return newEnvelope(ClickRecordedV1, { source: 'ingestion', occurredAt: at, data: { clickId, customerId, campaignId, publisherId, kind, at, ...canonical } });
}

export function impression(impressionId: string, campaignId: string, customerId: string, publisherId = 'pub-app-test') {
  const at = new Date().toISOString();
  return newEnvelope(ImpressionRecordedV1, { source: 'ingestion', occurredAt: at, data: { impressionId, customerId, campaignId, publisherId, at, ...canonical } });
}

export function lead(leadId: string, campaignId: string, publisherId = 'aff-test') {
  const at = new Date().toISOString();
  return newEnvelope(LeadRecordedV1, { source: 'ingestion', occurredAt: at, data: { leadId, campaignId, publisherId, at, ...canonical } });
}

/** An affiliate sale as the affiliate service reports it (CPA, no rewardId). */
export interface SaleInit {
  conversionId: string;
  campaignId: string;
  advertiserId: string;
  publisherId: string;
  commission: number;
  fee: number;
  orderAmount: number;
}

export function saleRecorded(s: SaleInit) {
  const at = new Date().toISOString();
  return newEnvelope(ConversionRecordedV1, {
    source: 'affiliate',
    occurredAt: at,
    data: {
      conversionId: s.conversionId,
      campaignId: s.campaignId,
      advertiserId: s.advertiserId,
      publisherId: s.publisherId,
      pricingModel: 'CPA',
      units: 1,
      touchpointId: `clk-${s.conversionId}`,
      platformFee: SEK(s.fee),
      publisherCommission: SEK(s.commission),
      advertiserCharge: SEK(s.commission + s.fee),
      convertedAt: at,
      orderId: `ORD-${s.conversionId}`,
      orderAmount: SEK(s.orderAmount),
      lockedUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
  });
}

export function saleReversed(s: SaleInit, x: { reversalId: string; commission: number; fee: number; orderAmountAfter: number; credit?: number }) {
  const at = new Date().toISOString();
  return newEnvelope(ConversionReversedV1, {
    source: 'affiliate',
    occurredAt: at,
    data: {
      conversionId: s.conversionId,
      reversalId: x.reversalId,
      campaignId: s.campaignId,
      advertiserId: s.advertiserId,
      publisherId: s.publisherId,
      reason: 'order-returned',
      orderId: `ORD-${s.conversionId}`,
      orderAmountAfter: SEK(x.orderAmountAfter),
      publisherCommissionReversed: SEK(x.commission),
      platformFeeReversed: SEK(x.fee),
      advertiserCredit: SEK(x.credit ?? x.commission + x.fee),
      reversedAt: at,
    },
  });
}

export function saleConfirmed(s: SaleInit, commission: number) {
  const at = new Date().toISOString();
  return newEnvelope(ConversionConfirmedV1, {
    source: 'affiliate',
    occurredAt: at,
    data: { conversionId: s.conversionId, campaignId: s.campaignId, advertiserId: s.advertiserId, publisherId: s.publisherId, orderId: `ORD-${s.conversionId}`, publisherCommission: SEK(commission), confirmedAt: at },
  });
}
