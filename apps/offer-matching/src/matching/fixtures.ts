import type { CampaignSnapshotV1Data } from '@prestanda/contracts';

/** A valid, active, card-linked campaign snapshot for tests; override what the test is about. */
export function campaignSnapshot(overrides: Partial<CampaignSnapshotV1Data> = {}): CampaignSnapshotV1Data {
  const campaignId = overrides.campaignId ?? 'cmp-test';
  return {
    campaignId,
    version: 1,
    name: `Offer ${campaignId}`,
    advertiserId: 'adv-test',
    advertiserName: 'Test Advertiser',
    currency: 'SEK',
    merchants: [{ merchantId: 'mer-test', name: 'Test Store', mids: ['MID-TEST-1'], descriptorPatterns: ['TEST STORE*'], country: 'SE', channels: ['online', 'in-store'] }],
    pricing: { model: 'CPA' },
    reward: { kind: 'percent', basisPoints: 1000 },
    platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
    budget: { total: { amountMinor: 10_000_000, currency: 'SEK' }, pacing: 'asap' },
    schedule: { startsAt: '2020-01-01T00:00:00.000Z', timeZone: 'Europe/Stockholm' },
    audience: { segment: 'all', lookbackDays: 365 },
    channels: ['online', 'in-store'],
    activation: 'automatic',
    windows: { clickDays: 30, viewDays: 1 },
    holdPeriodDays: 30,
    holdoutBasisPoints: 0,
    publishers: [{ publisherId: 'pub-bank-test', kind: 'bank' }],
    status: 'active',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}
