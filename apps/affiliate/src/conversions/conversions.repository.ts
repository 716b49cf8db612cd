import { secretBox } from '@prestanda/persistence';
import type { EntityManager } from 'typeorm';
import type { ProgramTerms } from '../programs/entities';
import type { ClickEvidence, CodeEvidence } from './commission';
import { ConversionRow } from './entities';

/** The conversion of an order, locked for the caller's transaction. */
export function lockConversionByOrder(m: EntityManager, advertiserId: string, orderId: string): Promise<ConversionRow | null> {
  return m.getRepository(ConversionRow).findOne({ where: { advertiserId, orderId }, lock: { mode: 'pessimistic_write' } });
}

/** A click of this advertiser's programs (a click id of another advertiser is unknown here). */
export async function findClick(m: EntityManager, advertiserId: string, clickId: string): Promise<ClickEvidence | undefined> {
  const rows: { click_id: string; campaign_id: string; publisher_id: string; program_version: number; fraud_reason: string | null; referrer_host: string | null; at: Date }[] = await m.query(
    `SELECT click_id, campaign_id, publisher_id, program_version, fraud_reason, referrer_host, at FROM "affiliate"."clicks" WHERE click_id = $1 AND advertiser_id = $2`,
    [clickId, advertiserId],
  );
  const r = rows[0];
  return r && { clickId: r.click_id, campaignId: r.campaign_id, publisherId: r.publisher_id, programVersion: r.program_version, fraudReason: r.fraud_reason, referrerHost: r.referrer_host, at: new Date(r.at) };
}

/** The active voucher code of this advertiser; the clicked program's code first when several programs share it. */
export async function findVoucherCode(m: EntityManager, advertiserId: string, code: string, preferCampaignId: string | undefined): Promise<CodeEvidence | undefined> {
  const rows: { code: string; campaign_id: string; publisher_id: string }[] = await m.query(
    `SELECT code, campaign_id, publisher_id FROM "affiliate"."voucher_codes"
      WHERE advertiser_id = $1 AND code = upper($2) AND active
      ORDER BY (campaign_id = $3) DESC, campaign_id LIMIT 1`,
    [advertiserId, code, preferCampaignId ?? ''],
  );
  const r = rows[0];
  return r && { code: r.code, campaignId: r.campaign_id, publisherId: r.publisher_id };
}

/** The terms of one version of a program (the version in force at a click). */
export async function programVersionTerms(m: EntityManager, campaignId: string, version: number): Promise<ProgramTerms | undefined> {
  const rows: { terms: ProgramTerms }[] = await m.query(`SELECT terms FROM "affiliate"."program_versions" WHERE campaign_id = $1 AND version = $2`, [campaignId, version]);
  return rows[0]?.terms;
}

/** The program's current version and terms. */
export async function currentProgram(m: EntityManager, campaignId: string): Promise<{ version: number; terms: ProgramTerms } | undefined> {
  const rows: { version: number; terms: ProgramTerms }[] = await m.query(`SELECT version, terms FROM "affiliate"."programs" WHERE campaign_id = $1`, [campaignId]);
  return rows[0];
}

/** Pending conversions whose lock period has ended, locked (SKIP LOCKED: replicas share the work). */
export function lockDueConversions(m: EntityManager, now: Date, limit: number): Promise<ConversionRow[]> {
  return m
    .getRepository(ConversionRow)
    .createQueryBuilder('c')
    .where('c.status = :status AND c.locked_until <= :now', { status: 'pending', now })
    .orderBy('c.locked_until', 'ASC')
    .limit(limit)
    .setLock('pessimistic_write')
    .setOnLocked('skip_locked')
    .getMany();
}

/** The advertiser's postback secret, opened (it is sealed at rest with SECRETS_KEY). */
export async function postbackSecret(m: EntityManager, advertiserId: string): Promise<string | undefined> {
  const rows: { secret: string }[] = await m.query(`SELECT secret FROM "affiliate"."postback_secrets" WHERE advertiser_id = $1`, [advertiserId]);
  return rows[0] && secretBox().open(rows[0].secret);
}


export async function savePostbackSecret(m: EntityManager, advertiserId: string, secret: string, now: Date): Promise<void> {
  await m.query(
    `INSERT INTO "affiliate"."postback_secrets" (advertiser_id, secret, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (advertiser_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at`,
    [advertiserId, secretBox().seal(secret), now.toISOString()],
  );
}
