import type { AffiliateCommissionV1, CampaignSnapshotV1Data } from '@prestanda/contracts';
import type { ProgramTerms } from './entities';

/** A snapshot is an affiliate program when it has affiliate terms or an affiliate with a tracking code. */
export function isAffiliateProgram(s: CampaignSnapshotV1Data): boolean {
  return s.affiliate !== undefined || s.publishers.some((p) => p.kind === 'affiliate' && p.trackingCode);
}

/** What the affiliate network keeps of one snapshot version. */
export function programTerms(s: CampaignSnapshotV1Data): ProgramTerms {
  return {
    name: s.name,
    currency: s.currency,
    pricing: s.pricing,
    affiliate: s.affiliate ?? null,
    platformFee: s.platformFee,
    clickDays: s.windows.clickDays,
    holdPeriodDays: s.holdPeriodDays,
    publishers: s.publishers
      .filter((p) => p.kind === 'affiliate')
      .map((p) => ({
        publisherId: p.publisherId,
        ...(p.trackingCode ? { trackingCode: p.trackingCode } : {}),
        ...(p.commission ? { commission: p.commission } : {}),
        ...(p.voucherCodes?.length ? { voucherCodes: [...p.voucherCodes] } : {}),
      })),
    status: s.status,
  };
}

/** The commission a publisher earns under these terms: its own, else the program's; none when not an approved affiliate. */
export function commissionOf(terms: ProgramTerms, publisherId: string): AffiliateCommissionV1 | undefined {
  const p = terms.publishers.find((x) => x.publisherId === publisherId);
  if (!p) return undefined;
  return p.commission ?? terms.affiliate?.commission;
}
