import type { CampaignAffiliateV1, CampaignStatus } from '@prestanda/contracts';
import { writeWithEvents, type OutboxItem } from '@prestanda/persistence';
import type { EntityManager } from 'typeorm';

/** A tracking link with what the redirect needs of its program. */
export interface LinkTarget {
  code: string;
  campaignId: string;
  advertiserId: string;
  publisherId: string;
  active: boolean;
  version: number;
  status: CampaignStatus;
  affiliate: CampaignAffiliateV1 | null;
}

export async function findLink(m: EntityManager, code: string): Promise<LinkTarget | undefined> {
  const rows: { code: string; campaign_id: string; advertiser_id: string; publisher_id: string; active: boolean; version: number; status: CampaignStatus; affiliate: CampaignAffiliateV1 | null }[] = await m.query(
    `SELECT l.code, l.campaign_id, l.advertiser_id, l.publisher_id, l.active, p.version, p.status, p.terms->'affiliate' AS affiliate
       FROM "affiliate"."tracking_links" l JOIN "affiliate"."programs" p ON p.campaign_id = l.campaign_id
      WHERE l.code = $1`,
    [code],
  );
  const r = rows[0];
  return r && { code: r.code, campaignId: r.campaign_id, advertiserId: r.advertiser_id, publisherId: r.publisher_id, active: r.active, version: r.version, status: r.status, affiliate: r.affiliate };
}

export interface ClickWrite {
  clickId: string;
  campaignId: string;
  advertiserId: string;
  publisherId: string;
  programVersion: number;
  trackingCode: string;
  subIds: Record<string, string>;
  landingUrl: string;
  referrerHost: string | null;
  ipHash: string;
  userAgentHash: string;
  fraudReason: string | null;
  at: Date;
}

/** The click row and its event (none for a flagged click) in one statement: durable before the 302, one round trip. */
export async function recordClick(m: EntityManager, c: ClickWrite, events: OutboxItem[]): Promise<void> {
  await writeWithEvents(
    m,
    `INSERT INTO "affiliate"."clicks" (click_id, campaign_id, advertiser_id, publisher_id, program_version, tracking_code, sub_ids, landing_url, referrer_host, ip_hash, user_agent_hash, fraud_reason, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [c.clickId, c.campaignId, c.advertiserId, c.publisherId, c.programVersion, c.trackingCode, JSON.stringify(c.subIds), c.landingUrl, c.referrerHost, c.ipHash, c.userAgentHash, c.fraudReason, c.at.toISOString()],
    events,
  );
}
