import type { CampaignSnapshotV1Data, TopicEvents } from '@prestanda/contracts';
import type { EntityManager } from 'typeorm';
import type { Touchpoint } from './attribution-rules';

/**
 * Attribution's SQL for the use cases in attribution.service.ts (reward rows and their history
 * are in reward-store.ts): the campaigns read model, touchpoints, what a chunk of matches needs
 * to know first, held purchase facts, and the per-purchase lock. In the caller's transaction.
 */

const S = '"attribution"';

/** Keeps the latest snapshot of each campaign (a lower or equal version is ignored); one statement for a chunk. */
export async function upsertCampaigns(m: EntityManager, list: CampaignSnapshotV1Data[]): Promise<void> {
  await m.query(
    `INSERT INTO ${S}."campaigns" ("campaign_id", "version", "name", "advertiser_id", "activation", "click_days", "view_days", "hold_period_days", "publisher_share_basis_points", "publisher_ids", "updated_at", "banks")
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[], $10::jsonb[], $11::timestamptz[], $12::jsonb[])
     ON CONFLICT ("campaign_id") DO UPDATE SET "version" = EXCLUDED."version", "name" = EXCLUDED."name", "advertiser_id" = EXCLUDED."advertiser_id",
       "activation" = EXCLUDED."activation", "click_days" = EXCLUDED."click_days", "view_days" = EXCLUDED."view_days", "hold_period_days" = EXCLUDED."hold_period_days",
       "publisher_share_basis_points" = EXCLUDED."publisher_share_basis_points", "publisher_ids" = EXCLUDED."publisher_ids", "updated_at" = EXCLUDED."updated_at", "banks" = EXCLUDED."banks"
     WHERE ${S}."campaigns"."version" < EXCLUDED."version"`,
    [
      list.map((c) => c.campaignId),
      list.map((c) => c.version),
      list.map((c) => c.name),
      list.map((c) => c.advertiserId),
      list.map((c) => c.activation),
      list.map((c) => c.windows.clickDays),
      list.map((c) => c.windows.viewDays),
      list.map((c) => c.holdPeriodDays),
      list.map((c) => c.platformFee.publisherShareBasisPoints),
      list.map((c) => JSON.stringify(c.publishers.map((p) => p.publisherId))),
      list.map((c) => c.updatedAt),
      list.map((c) => (c.banks ? JSON.stringify(c.banks) : null)),
    ],
  );
}

/** A touchpoint belongs to the customer of the integration that reported it: (bank, customer id). */
export async function insertTouchpoint(m: EntityManager, t: Touchpoint, bankSource: string, customerId: string, campaignId: string): Promise<void> {
  await m.query(
    `INSERT INTO ${S}."touchpoints" ("bank_source", "touchpoint_id", "kind", "customer_id", "campaign_id", "publisher_id", "at") VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT ("bank_source", "touchpoint_id") DO NOTHING`,
    [bankSource, t.touchpointId, t.kind, customerId, campaignId, t.publisherId, t.at],
  );
}

/**
 * The touchpoints that can matter for each purchase, in one round trip: those inside the
 * longest window before it, plus the latest older activation (it turns not-activated into
 * activation-outside-window). Keyed by position in `wanted`.
 */
export async function touchpointsFor(
  m: EntityManager,
  wanted: { bankSource: string; customerId: string; campaignId: string; purchaseAt: string; windowDays: number }[],
): Promise<Map<number, Touchpoint[]>> {
  const rows: { i: number; touchpoint_id: string; kind: Touchpoint['kind']; publisher_id: string; at: Date }[] = await m.query(
    `SELECT w.i, t.* FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::text[]) AS w(i, customer_id, campaign_id, purchase_at, window_days, bank_source)
     CROSS JOIN LATERAL (
       (SELECT "touchpoint_id", "kind", "publisher_id", "at" FROM ${S}."touchpoints"
         WHERE "bank_source" = w.bank_source AND "customer_id" = w.customer_id AND "campaign_id" = w.campaign_id AND "at" <= w.purchase_at AND "at" >= w.purchase_at - make_interval(days => w.window_days))
       UNION ALL
       (SELECT "touchpoint_id", "kind", "publisher_id", "at" FROM ${S}."touchpoints"
         WHERE "bank_source" = w.bank_source AND "customer_id" = w.customer_id AND "campaign_id" = w.campaign_id AND "kind" = 'activation' AND "at" < w.purchase_at - make_interval(days => w.window_days)
         ORDER BY "at" DESC LIMIT 1)) t`,
    [wanted.map((_, i) => i), wanted.map((w) => w.customerId), wanted.map((w) => w.campaignId), wanted.map((w) => w.purchaseAt), wanted.map((w) => w.windowDays), wanted.map((w) => w.bankSource)],
  );
  const out = new Map<number, Touchpoint[]>();
  for (const r of rows) {
    const list = out.get(r.i) ?? [];
    list.push({ touchpointId: r.touchpoint_id, kind: r.kind, publisherId: r.publisher_id, at: new Date(r.at).toISOString() });
    out.set(r.i, list);
  }
  return out;
}

/** What a chunk of matches must know first: which were decided already, the purchases' rewards, and which purchases have held facts. */
export async function decidedBefore(m: EntityManager, matchIds: string[], purchaseIds: string[]): Promise<{ match_ids: string[]; rewards: { purchase_id: string; campaign_id: string; reward_id: string }[]; held: string[] }[]> {
  return m.query(
    `SELECT ARRAY(SELECT "match_id" FROM ${S}."match_outcomes" WHERE "match_id" = ANY($1::text[])) AS "match_ids",
            COALESCE((SELECT json_agg(json_build_object('purchase_id', r."purchase_id", 'campaign_id', r."campaign_id", 'reward_id', r."reward_id"))
                      FROM ${S}."rewards" r WHERE r."purchase_id" = ANY($2::text[])), '[]'::json) AS "rewards",
            ARRAY(SELECT DISTINCT "purchase_id" FROM ${S}."pending_adjustments" WHERE "purchase_id" = ANY($2::text[])) AS "held"`,
    [matchIds, purchaseIds],
  );
}

/** A purchase fact to hold until its reward exists (or to apply now). */
export interface HeldFact {
  tx: TopicEvents['card-transactions']['data'];
  fact: { kind: string; transactionId: string };
}

/** Records the facts (a fact seen before is skipped) and returns, per new one, its purchase's rewards — one round trip. */
export async function holdFacts(m: EntityManager, facts: HeldFact[]): Promise<{ purchase_id: string; kind: string; transaction_id: string; reward_ids: string[] }[]> {
  return m.query(
    `WITH ins AS (
       INSERT INTO ${S}."pending_adjustments" ("purchase_id", "kind", "transaction_id", "customer_id", "amount_minor", "currency", "transaction_at", "state", "reason_code", "received_at")
       SELECT x.purchase_id, x.kind, x.transaction_id, x.customer_id, x.amount_minor, x.currency, x.transaction_at, 'held', NULL, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[])
         AS x(purchase_id, kind, transaction_id, customer_id, amount_minor, currency, transaction_at)
       ON CONFLICT ("purchase_id", "kind", "transaction_id") DO NOTHING
       RETURNING "purchase_id", "kind", "transaction_id")
     SELECT i."purchase_id", i."kind", i."transaction_id",
            ARRAY(SELECT r."reward_id" FROM ${S}."rewards" r WHERE r."purchase_id" = i."purchase_id" ORDER BY r."reward_id") AS "reward_ids"
     FROM ins i`,
    [
      facts.map((f) => f.tx.purchaseId),
      facts.map((f) => f.fact.kind),
      facts.map((f) => f.fact.transactionId),
      facts.map((f) => f.tx.customerId),
      facts.map((f) => f.tx.amount.amountMinor),
      facts.map((f) => f.tx.amount.currency),
      facts.map((f) => f.tx.transactionAt),
    ],
  );
}

export async function markFactsApplied(m: EntityManager, applied: { purchaseId: string; kind: string; transactionId: string }[]): Promise<void> {
  await m.query(
    `UPDATE ${S}."pending_adjustments" p SET "state" = 'applied'
     FROM unnest($1::text[], $2::text[], $3::text[]) AS x(purchase_id, kind, transaction_id)
     WHERE p."purchase_id" = x.purchase_id AND p."kind" = x.kind AND p."transaction_id" = x.transaction_id`,
    [applied.map((a) => a.purchaseId), applied.map((a) => a.kind), applied.map((a) => a.transactionId)],
  );
}

export async function markHeldApplied(m: EntityManager, purchaseIds: string[]): Promise<void> {
  await m.query(`UPDATE ${S}."pending_adjustments" SET "state" = 'applied', "reason_code" = NULL WHERE "purchase_id" = ANY($1::text[]) AND "state" <> 'applied'`, [purchaseIds]);
}

/**
 * Serialises the handlers of one purchase: a match and a refund of the same purchase can be
 * in flight at once (different topics, different partitions). Without the lock the refund's
 * transaction would not see the reward the match is creating, and would stay held. A chunk
 * takes its purchases' locks in one sorted order, so two chunks cannot deadlock on them.
 */
export async function lockPurchases(m: EntityManager, purchaseIds: string[]): Promise<void> {
  await m.query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended('attribution:purchase:' || k, 0))) FROM (SELECT DISTINCT k FROM unnest($1::text[]) AS k ORDER BY k) s`,
    [purchaseIds],
  );
}
