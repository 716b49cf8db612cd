import type { CampaignSnapshotV1Data, PlatformFeeV1 } from '@prestanda/contracts';
import { EntityManager, In } from 'typeorm';
import type { UnbilledReason } from './approval';
import { BillingCampaign } from './billing.entities';

/**
 * Billing's SQL outside the ledger (ledger.ts) and budgets (budget.ts): the campaigns read model,
 * billed rewards, the CPC and CPM counters and the record of uncharged actions. Every function
 * runs in the caller's transaction.
 */

export interface RewardRow {
  reward_id: string;
  campaign_id: string;
  advertiser_id: string;
  publisher_id: string;
  bank_id: string;
  customer_id: string;
  currency: string;
  charged: boolean;
  remaining_minor: string;
  fee_remaining_minor: string;
  share_remaining_minor: string;
  status: string;
}

export interface NewBilledReward {
  rewardId: string;
  purchaseId: string;
  campaignId: string;
  advertiserId: string;
  publisherId: string;
  bank: string;
  customerId: string;
  currency: string;
  charged: boolean;
  reward: number;
  fee: number;
  share: number;
}

/** Upserts the newest snapshot of each campaign; returns the ids whose row changed (older versions are ignored). */
export async function upsertCampaigns(m: EntityManager, list: CampaignSnapshotV1Data[]): Promise<string[]> {
  const updated: { campaign_id: string }[] = await m.query(
    `INSERT INTO "billing"."campaigns" ("campaign_id","version","advertiser_id","currency","pricing_model","price_minor","platform_fee","publishers","time_zone","updated_at")
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::jsonb[], $8::jsonb[], $9::text[], $10::timestamptz[])
     ON CONFLICT ("campaign_id") DO UPDATE SET "version"=EXCLUDED."version","advertiser_id"=EXCLUDED."advertiser_id","currency"=EXCLUDED."currency",
       "pricing_model"=EXCLUDED."pricing_model","price_minor"=EXCLUDED."price_minor","platform_fee"=EXCLUDED."platform_fee",
       "publishers"=EXCLUDED."publishers","time_zone"=EXCLUDED."time_zone","updated_at"=EXCLUDED."updated_at"
     WHERE "campaigns"."version" < EXCLUDED."version" RETURNING "campaign_id"`,
    [
      list.map((d) => d.campaignId),
      list.map((d) => d.version),
      list.map((d) => d.advertiserId),
      list.map((d) => d.currency),
      list.map((d) => d.pricing.model),
      list.map((d) => d.pricing.price?.amountMinor ?? null),
      list.map((d) => JSON.stringify(d.platformFee satisfies PlatformFeeV1)),
      list.map((d) => JSON.stringify(d.publishers)),
      list.map((d) => d.schedule.timeZone),
      list.map((d) => d.updatedAt),
    ],
  );
  return updated.map((r) => r.campaign_id);
}

export function campaign(m: EntityManager, campaignId: string): Promise<BillingCampaign | null> {
  return m.getRepository(BillingCampaign).findOneBy({ campaignId });
}

export async function campaigns(m: EntityManager, campaignIds: string[]): Promise<Map<string, BillingCampaign>> {
  return new Map((await m.getRepository(BillingCampaign).findBy({ campaignId: In(campaignIds) })).map((c) => [c.campaignId, c]));
}

/** The rewards among `rewardIds` already charged (a reward delivered twice is one charge). */
export async function chargedRewards(m: EntityManager, rewardIds: string[]): Promise<Set<string>> {
  const rows: { source_id: string }[] = await m.query(`SELECT "source_id" FROM "billing"."ledger_transactions" WHERE "source_id" = ANY($1::text[]) AND "kind" = 'reward-earned'`, [rewardIds]);
  return new Set(rows.map((r) => r.source_id));
}

export async function insertRewards(m: EntityManager, rows: NewBilledReward[]): Promise<void> {
  await m.query(
    `INSERT INTO "billing"."rewards" ("reward_id","campaign_id","advertiser_id","publisher_id","bank_id","customer_id","currency","charged","remaining_minor","fee_remaining_minor","share_remaining_minor","purchase_id","status","payout_batch_id")
     SELECT r.*, 'earned', NULL FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[]) AS r`,
    [
      rows.map((r) => r.rewardId),
      rows.map((r) => r.campaignId),
      rows.map((r) => r.advertiserId),
      rows.map((r) => r.publisherId),
      rows.map((r) => r.bank),
      rows.map((r) => r.customerId),
      rows.map((r) => r.currency),
      rows.map((r) => r.charged),
      rows.map((r) => r.reward),
      rows.map((r) => (r.charged ? r.fee : 0)),
      rows.map((r) => (r.charged ? r.share : 0)),
      rows.map((r) => r.purchaseId),
    ],
  );
}

/** Rewards just paid out, with what reward.paid names: those billed with their purchase and something left to pay. */
export async function paidRewards(m: EntityManager, rewardIds: readonly string[]): Promise<{ reward_id: string; purchase_id: string; customer_id: string; campaign_id: string; advertiser_id: string; publisher_id: string; currency: string; remaining: string }[]> {
  return m.query(
    `SELECT "reward_id","purchase_id","customer_id","campaign_id","advertiser_id","publisher_id","currency","remaining_minor"::text AS remaining
       FROM "billing"."rewards" WHERE "reward_id" = ANY($1::text[]) AND "purchase_id" IS NOT NULL AND "remaining_minor" > 0 ORDER BY "reward_id"`,
    [rewardIds],
  );
}

export async function lockReward(m: EntityManager, rewardId: string): Promise<RewardRow | undefined> {
  const [r]: RewardRow[] = await m.query(`SELECT * FROM "billing"."rewards" WHERE "reward_id"=$1 FOR UPDATE`, [rewardId]);
  return r;
}

export async function reduceReward(m: EntityManager, rewardId: string, amounts: { reward: number; fee: number; share: number }): Promise<void> {
  await m.query(
    `UPDATE "billing"."rewards" SET "remaining_minor"="remaining_minor"-$2, "fee_remaining_minor"="fee_remaining_minor"-$3, "share_remaining_minor"="share_remaining_minor"-$4 WHERE "reward_id"=$1`,
    [rewardId, amounts.reward, amounts.fee, amounts.share],
  );
}

/** When the reward was (last) charged: its budget day is credited on a reversal. */
export async function rewardChargedAt(m: EntityManager, rewardId: string): Promise<Date | undefined> {
  const [orig] = await m.query(
    `SELECT "occurred_at" FROM "billing"."ledger_transactions" WHERE "source_id"=$1 AND "kind" IN ('reward-earned','reward-reinstated') ORDER BY "occurred_at" DESC LIMIT 1`,
    [rewardId],
  );
  return orig ? new Date(orig.occurred_at) : undefined;
}

/** A reinstated reward (reward.reinstated) stands again with these amounts; `charged` says whether the advertiser paid this time. */
export async function reinstateReward(m: EntityManager, rewardId: string, amounts: { reward: number; fee: number; share: number; charged: boolean }): Promise<void> {
  await m.query(
    `UPDATE "billing"."rewards" SET "remaining_minor"=$2, "fee_remaining_minor"=$3, "share_remaining_minor"=$4, "charged"=$5, "status"='earned' WHERE "reward_id"=$1`,
    [rewardId, amounts.reward, amounts.fee, amounts.share, amounts.charged],
  );
}

export async function confirmReward(m: EntityManager, rewardId: string): Promise<void> {
  await m.query(`UPDATE "billing"."rewards" SET "status"='confirmed' WHERE "reward_id"=$1`, [rewardId]);
}

/** Records why a priced action was not charged (once per action; GET /v1/actions/{kind}/{sourceId}). */
export async function recordUnbilled(
  m: EntityManager,
  c: { campaignId: string; advertiserId: string },
  a: { sourceId: string; kind: string; publisherId: string; at: Date },
  reason: UnbilledReason,
): Promise<void> {
  await m.query(
    `INSERT INTO "billing"."unbilled_actions" ("source_id","kind","campaign_id","advertiser_id","publisher_id","reason","occurred_at")
     VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
    [a.sourceId, a.kind, c.campaignId, c.advertiserId, a.publisherId, reason, a.at],
  );
}

/** CPC: true when this click is billable (the customer's last billed click on the campaign is 30 minutes old or more), and records it. */
export async function takeCpcClick(m: EntityManager, campaignId: string, customerId: string, at: string): Promise<boolean> {
  const valid: unknown[] = await m.query(
    `INSERT INTO "billing"."cpc_clicks" ("campaign_id","customer_id","last_billed_at") VALUES ($1,$2,$3)
     ON CONFLICT ("campaign_id","customer_id") DO UPDATE SET "last_billed_at"=EXCLUDED."last_billed_at"
     WHERE "cpc_clicks"."last_billed_at" <= EXCLUDED."last_billed_at" - interval '30 minutes' RETURNING 1`,
    [campaignId, customerId, at],
  );
  return valid.length > 0;
}

/** CPM: the campaign's and publisher's accrual, locked (created at zero the first time). */
export async function lockCpmAccrual(m: EntityManager, campaignId: string, publisherId: string): Promise<{ remainderMicros: number; pendingImpressions: number }> {
  await m.query(
    `INSERT INTO "billing"."cpm_accruals" ("campaign_id","publisher_id","remainder_micros","pending_impressions") VALUES ($1,$2,0,0) ON CONFLICT DO NOTHING`,
    [campaignId, publisherId],
  );
  const [acc] = await m.query(`SELECT "remainder_micros","pending_impressions" FROM "billing"."cpm_accruals" WHERE "campaign_id"=$1 AND "publisher_id"=$2 FOR UPDATE`, [campaignId, publisherId]);
  return { remainderMicros: Number(acc.remainder_micros), pendingImpressions: Number(acc.pending_impressions) };
}

export async function saveCpmAccrual(m: EntityManager, campaignId: string, publisherId: string, remainderMicros: number, pendingImpressions: number): Promise<void> {
  await m.query(`UPDATE "billing"."cpm_accruals" SET "remainder_micros"=$3, "pending_impressions"=$4 WHERE "campaign_id"=$1 AND "publisher_id"=$2`, [
    campaignId,
    publisherId,
    remainderMicros,
    pendingImpressions,
  ]);
}

/** An affiliate sale as charged: its conversion-cpa posting, locked (reversals and the confirmation of one sale go one at a time). */
export interface ChargedSale {
  campaign_id: string;
  advertiser_id: string;
  currency: string;
  occurred_at: Date;
}

export async function lockChargedSale(m: EntityManager, conversionId: string): Promise<ChargedSale | undefined> {
  const [row]: ChargedSale[] = await m.query(
    `SELECT "campaign_id","advertiser_id","currency","occurred_at" FROM "billing"."ledger_transactions" WHERE "source_id"=$1 AND "kind"='conversion-cpa' FOR UPDATE`,
    [conversionId],
  );
  return row ? { ...row, occurred_at: new Date(row.occurred_at) } : undefined;
}

/**
 * What remains of one affiliate sale, from the ledger: the sums per account kind of every posting
 * of the conversion (the charge, reversals, the confirmation; a charge from before conversion_id
 * was kept is found by its source id). Credits are negative: pending/payable/fee come back positive.
 */
export async function saleRemaining(m: EntityManager, conversionId: string): Promise<{ pendingMinor: number; payableMinor: number; feeMinor: number; publisherId: string | undefined }> {
  const rows: { kind: string; owner_id: string; total: string }[] = await m.query(
    `SELECT a."kind", a."owner_id", SUM(e."amount_minor")::text AS total
       FROM "billing"."ledger_transactions" t
       JOIN "billing"."ledger_entries" e ON e."transaction_id" = t."id"
       JOIN "billing"."accounts" a ON a."account_id" = e."account_id"
      WHERE t."conversion_id" = $1 OR (t."source_id" = $1 AND t."kind" = 'conversion-cpa')
      GROUP BY 1, 2`,
    [conversionId],
  );
  const sum = (kind: string) => -rows.filter((r) => r.kind === kind).reduce((s, r) => s + Number(r.total), 0);
  const publisher = rows.find((r) => r.kind === 'publisher-commission-pending' || r.kind === 'publisher-payable');
  return { pendingMinor: sum('publisher-commission-pending'), payableMinor: sum('publisher-payable'), feeMinor: sum('platform-revenue'), publisherId: publisher?.owner_id };
}

/** Whether a priced action was decided "not charged" (GET /v1/actions), e.g. an affiliate sale over budget. */
export async function wasUnbilled(m: EntityManager, sourceId: string, kind: string): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM "billing"."unbilled_actions" WHERE "source_id"=$1 AND "kind"=$2`, [sourceId, kind]);
  return rows.length > 0;
}
