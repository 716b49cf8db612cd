import { CampaignSnapshotV1, nameBasedUuid, newEnvelope, type CampaignSnapshotV1Data, type CampaignSnapshotV1Envelope } from '@prestanda/contracts';
import type { Advertiser, Campaign, Merchant, PublisherKind } from './entities';

/** The full state of one campaign, merchants included: a consumer needs nothing else. */
export function snapshotData(campaign: Campaign, advertiser: Advertiser, merchants: readonly Merchant[], publisherKinds: ReadonlyMap<string, PublisherKind>): CampaignSnapshotV1Data {
  return {
    campaignId: campaign.id,
    version: campaign.version,
    name: campaign.name,
    advertiserId: advertiser.id,
    advertiserName: advertiser.name,
    currency: campaign.currency,
    merchants: [...merchants]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((m) => ({
        merchantId: m.id,
        name: m.name,
        mids: [...m.mids],
        descriptorPatterns: [...m.descriptorPatterns],
        ...(m.mccs.length > 0 ? { mccs: [...m.mccs] } : {}),
        country: m.country,
        channels: [...m.channels],
      })),
    pricing: campaign.pricing,
    ...(campaign.reward ? { reward: campaign.reward } : {}),
    platformFee: campaign.platformFee,
    budget: campaign.budget,
    schedule: campaign.schedule,
    audience: campaign.audience,
    channels: [...campaign.channels],
    activation: campaign.activation,
    windows: campaign.windows,
    holdPeriodDays: campaign.holdPeriodDays,
    holdoutBasisPoints: campaign.holdoutBasisPoints,
    publishers: campaign.publishers.map((p) => ({
      publisherId: p.publisherId,
      kind: publisherKinds.get(p.publisherId) ?? 'affiliate',
      ...(p.voucherCodes?.length ? { voucherCodes: p.voucherCodes } : {}),
      ...(p.trackingCode ? { trackingCode: p.trackingCode } : {}),
      ...(p.commission ? { commission: p.commission } : {}),
    })),
    ...(campaign.affiliate ? { affiliate: campaign.affiliate } : {}),
    // Absent means every bank (the contract has no "all").
    ...(campaign.banks === 'all' ? {} : { banks: [...campaign.banks] }),
    ...(advertiser.budget ? { advertiserBudget: advertiser.budget } : {}),
    ...(campaign.content ? { content: campaign.content } : {}),
    status: campaign.status,
    updatedAt: campaign.updatedAt.toISOString(),
  };
}

export function snapshotEvent(data: CampaignSnapshotV1Data): CampaignSnapshotV1Envelope {
  // Deterministic per (campaign, version): a retried write never publishes two different events for one version.
  return newEnvelope(CampaignSnapshotV1, { source: 'campaigns', occurredAt: data.updatedAt, data, eventId: snapshotEventId(data.campaignId, data.version) });
}

/** A UUID derived from campaign id and version (name-based, SHA-1, RFC 4122 v5 layout). */
export function snapshotEventId(campaignId: string, version: number): string {
  return nameBasedUuid(`campaign.snapshot|${campaignId}|${version}`, 'sha1');
}
