import type { EntityManager } from 'typeorm';

export interface ReportRow {
  day: string;
  campaignId: string;
  publisherId?: string;
  clicks: number;
  flaggedClicks: number;
  conversions: number;
  heldConversions: number;
  conversionRate: number | null;
  currency: string | null;
  commissionPendingMinor: number;
  commissionConfirmedMinor: number;
  commissionReversedMinor: number;
}

/**
 * Clicks and conversions by day (UTC) and program, for one publisher or one advertiser: clicks
 * (valid and flagged), conversions (credited, and held for review), conversion rate (credited
 * conversions / valid clicks), commission pending, confirmed and reversed, in minor units.
 */
export async function dailyReport(m: EntityManager, scope: { publisherId: string } | { advertiserId: string }, from: Date, to: Date): Promise<ReportRow[]> {
  const [column, id] = 'publisherId' in scope ? ['publisher_id', scope.publisherId] : ['advertiser_id', scope.advertiserId];
  const rows: { day: string; campaign_id: string; publisher_id: string; clicks: string; flagged: string; conversions: string; held: string; currency: string | null; pending: string; confirmed: string; reversed: string }[] = await m.query(
    `WITH k AS (
       SELECT date_trunc('day', at AT TIME ZONE 'UTC')::date AS day, campaign_id, publisher_id,
              count(*) FILTER (WHERE fraud_reason IS NULL) AS clicks, count(*) FILTER (WHERE fraud_reason IS NOT NULL) AS flagged
         FROM "affiliate"."clicks" WHERE ${column} = $1 AND at >= $2 AND at < $3 GROUP BY 1, 2, 3),
     v AS (
       SELECT date_trunc('day', converted_at AT TIME ZONE 'UTC')::date AS day, campaign_id, publisher_id, max(currency) AS currency,
              count(*) FILTER (WHERE status IN ('pending', 'confirmed', 'reversed', 'lead-recorded')) AS conversions, count(*) FILTER (WHERE status = 'held') AS held,
              COALESCE(sum(commission_minor - commission_reversed_minor) FILTER (WHERE status = 'pending'), 0) AS pending,
              COALESCE(sum(commission_minor - commission_reversed_minor) FILTER (WHERE status = 'confirmed'), 0) AS confirmed,
              COALESCE(sum(commission_reversed_minor) FILTER (WHERE status IN ('pending', 'confirmed', 'reversed')), 0) AS reversed
         FROM "affiliate"."conversions" WHERE ${column} = $1 AND campaign_id IS NOT NULL AND converted_at >= $2 AND converted_at < $3 GROUP BY 1, 2, 3)
     SELECT to_char(COALESCE(k.day, v.day), 'YYYY-MM-DD') AS day, COALESCE(k.campaign_id, v.campaign_id) AS campaign_id, COALESCE(k.publisher_id, v.publisher_id) AS publisher_id,
            COALESCE(k.clicks, 0) AS clicks, COALESCE(k.flagged, 0) AS flagged, COALESCE(v.conversions, 0) AS conversions, COALESCE(v.held, 0) AS held,
            v.currency, COALESCE(v.pending, 0) AS pending, COALESCE(v.confirmed, 0) AS confirmed, COALESCE(v.reversed, 0) AS reversed
       FROM k FULL JOIN v ON k.day = v.day AND k.campaign_id = v.campaign_id AND k.publisher_id = v.publisher_id
      ORDER BY 1, 2, 3`,
    [id, from.toISOString(), to.toISOString()],
  );
  return rows.map((r) => {
    const clicks = Number(r.clicks);
    const conversions = Number(r.conversions);
    return {
      day: r.day,
      campaignId: r.campaign_id,
      ...('advertiserId' in scope ? { publisherId: r.publisher_id } : {}),
      clicks,
      flaggedClicks: Number(r.flagged),
      conversions,
      heldConversions: Number(r.held),
      conversionRate: clicks > 0 ? Math.round((conversions / clicks) * 10_000) / 10_000 : null,
      currency: r.currency,
      commissionPendingMinor: Number(r.pending),
      commissionConfirmedMinor: Number(r.confirmed),
      commissionReversedMinor: Number(r.reversed),
    };
  });
}

/** An affiliate's tracking links: its active programs. */
export async function linksOf(m: EntityManager, publisherId: string): Promise<{ code: string; campaignId: string; programName: string; status: string }[]> {
  const rows: { code: string; campaign_id: string; name: string; status: string }[] = await m.query(
    `SELECT l.code, l.campaign_id, p.terms->>'name' AS name, p.status FROM "affiliate"."tracking_links" l JOIN "affiliate"."programs" p ON p.campaign_id = l.campaign_id
      WHERE l.publisher_id = $1 AND l.active ORDER BY l.campaign_id`,
    [publisherId],
  );
  return rows.map((r) => ({ code: r.code, campaignId: r.campaign_id, programName: r.name, status: r.status }));
}
