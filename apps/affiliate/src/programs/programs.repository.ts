import type { EntityManager } from 'typeorm';
import type { ProgramTerms } from './entities';

export interface ProgramWrite {
  campaignId: string;
  advertiserId: string;
  version: number;
  terms: ProgramTerms;
  updatedAt: string;
}

/** Current versions of these campaigns, locked in id order (no deadlock between chunks). */
export async function lockProgramVersions(m: EntityManager, campaignIds: string[]): Promise<Map<string, number>> {
  const rows: { campaign_id: string; version: number }[] = await m.query(
    `SELECT campaign_id, version FROM "affiliate"."programs" WHERE campaign_id = ANY($1::text[]) ORDER BY campaign_id FOR UPDATE`,
    [campaignIds],
  );
  return new Map(rows.map((r) => [r.campaign_id, r.version]));
}

/** Keeps the terms of a version older than the one held (a late or replayed snapshot). */
export async function keepVersion(m: EntityManager, campaignId: string, version: number, terms: ProgramTerms): Promise<void> {
  await m.query(`INSERT INTO "affiliate"."program_versions" (campaign_id, version, terms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [campaignId, version, JSON.stringify(terms)]);
}

/** Upserts the program, keeps the version's terms, and makes exactly this version's links and voucher codes active. */
export async function writeProgram(m: EntityManager, p: ProgramWrite): Promise<void> {
  await m.query(
    `INSERT INTO "affiliate"."programs" (campaign_id, advertiser_id, version, status, terms, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (campaign_id) DO UPDATE SET advertiser_id = EXCLUDED.advertiser_id, version = EXCLUDED.version, status = EXCLUDED.status, terms = EXCLUDED.terms, updated_at = EXCLUDED.updated_at`,
    [p.campaignId, p.advertiserId, p.version, p.terms.status, JSON.stringify(p.terms), p.updatedAt],
  );
  await keepVersion(m, p.campaignId, p.version, p.terms);

  const links = p.terms.publishers.filter((x) => x.trackingCode);
  await m.query(`UPDATE "affiliate"."tracking_links" SET active = false WHERE campaign_id = $1 AND NOT (code = ANY($2::text[]))`, [p.campaignId, links.map((l) => l.trackingCode!)]);
  if (links.length) {
    await m.query(
      `INSERT INTO "affiliate"."tracking_links" (code, campaign_id, advertiser_id, publisher_id, active)
       SELECT code, $2, $3, publisher_id, true FROM unnest($1::text[], $4::text[]) AS t(code, publisher_id)
       ON CONFLICT (code) DO UPDATE SET active = true, publisher_id = EXCLUDED.publisher_id
         WHERE "affiliate"."tracking_links".campaign_id = EXCLUDED.campaign_id`,
      [links.map((l) => l.trackingCode!), p.campaignId, p.advertiserId, links.map((l) => l.publisherId)],
    );
  }

  const codes = p.terms.publishers.flatMap((x) => (x.voucherCodes ?? []).map((code) => ({ code: code.toUpperCase(), publisherId: x.publisherId })));
  await m.query(`UPDATE "affiliate"."voucher_codes" SET active = false WHERE campaign_id = $1 AND NOT (code = ANY($2::text[]))`, [p.campaignId, codes.map((c) => c.code)]);
  if (codes.length) {
    await m.query(
      `INSERT INTO "affiliate"."voucher_codes" (advertiser_id, code, campaign_id, publisher_id, active)
       SELECT $1, code, $2, publisher_id, true FROM unnest($3::text[], $4::text[]) AS t(code, publisher_id)
       ON CONFLICT (advertiser_id, code, campaign_id) DO UPDATE SET active = true, publisher_id = EXCLUDED.publisher_id`,
      [p.advertiserId, p.campaignId, codes.map((c) => c.code), codes.map((c) => c.publisherId)],
    );
  }
}
