import { definedSpendLimits, type SpendLimit } from '@prestanda/contracts';
import type { AudienceSegment, BudgetExhaustedV1Envelope, BudgetReplenishedV1Envelope, CampaignSnapshotV1Data, ClickRecordedV1Envelope, MatchDeclineReason, TopicEvents } from '@prestanda/contracts';
import type { Money } from '@prestanda/money';
import type { EntityManager } from 'typeorm';
import { descriptorPrefixes, localTime, normalisePattern, patternPrefix, patternToLike, type BudgetRow, type LimitRow } from './rules';

/**
 * offer-matching's SQL for the use cases in matching.service.ts: purchases recorded, candidate
 * campaigns, budget reservation rows (locks, billing's budget events, releases) and activations.
 * Every function runs in the caller's transaction.
 */

const S = 'offer_matching';

export type CardTransactionEvent = TopicEvents['card-transactions'];

export const KIND_OF: Record<CardTransactionEvent['type'], 'authorization' | 'settlement' | 'refund' | 'reversal'> = {
  'card-transaction.authorized': 'authorization',
  'card-transaction.settled': 'settlement',
  'card-transaction.refunded': 'refund',
  'card-transaction.reversed': 'reversal',
};

/** A candidate campaign of one transaction, with its budget state and the customer's history at its advertiser. */
export interface CandidateRow {
  campaign_id: string;
  version: number;
  advertiser_id: string;
  snapshot: CampaignSnapshotV1Data;
  merchant_id: string;
  matched_by: 'mid' | 'descriptor';
  exhausted: boolean | null;
  daily_exhausted_day: string | null;
  first_purchase_at: Date | null;
  last_purchase_at: Date | null;
  purchase_count: number | null;
  customer_matches: string;
}


/** budget.exhausted: total → stop matching; daily → stop for that local day. */
export async function markExhausted(m: EntityManager, d: BudgetExhaustedV1Envelope['data']): Promise<void> {
  if (d.scope === 'total') {
    await m.query(
      `INSERT INTO "${S}"."budget_reservations" (campaign_id, currency, total_minor, reserved_minor, daily_minor, daily_day, daily_reserved_minor, exhausted, daily_exhausted_day, updated_at)
       VALUES ($1, $2, $3, 0, NULL, NULL, 0, true, NULL, now())
       ON CONFLICT (campaign_id) DO UPDATE SET exhausted = true, updated_at = now()`,
      [d.campaignId, d.budget.currency, d.budget.amountMinor],
    );
  } else {
    await m.query(
      `INSERT INTO "${S}"."budget_reservations" (campaign_id, currency, total_minor, reserved_minor, daily_minor, daily_day, daily_reserved_minor, exhausted, daily_exhausted_day, updated_at)
       VALUES ($1, $2, 0, 0, $3, NULL, 0, false, $4, now())
       ON CONFLICT (campaign_id) DO UPDATE SET daily_exhausted_day = $4, updated_at = now()`,
      [d.campaignId, d.budget.currency, d.budget.amountMinor, d.day ?? d.at.slice(0, 10)],
    );
  }
}

/** budget.replenished: matching resumes; see docs/offer-matching.md for the reservations. */
export async function markReplenished(m: EntityManager, d: BudgetReplenishedV1Envelope['data']): Promise<void> {
  if (d.scope === 'total') {
    // Take billing's (possibly raised) total. When reversals were credited, billing's spend went
    // down: lower our reservations to it (reservations in flight above spend are given up).
    await m.query(
      `INSERT INTO "${S}"."budget_reservations" (campaign_id, currency, total_minor, reserved_minor, daily_minor, daily_day, daily_reserved_minor, exhausted, daily_exhausted_day, updated_at)
       VALUES ($1, $2, $3, $4, NULL, NULL, 0, false, NULL, now())
       ON CONFLICT (campaign_id) DO UPDATE SET exhausted = false, total_minor = $3,
         reserved_minor = CASE WHEN $5 THEN LEAST("budget_reservations".reserved_minor, $4) ELSE "budget_reservations".reserved_minor END,
         updated_at = now()`,
      [d.campaignId, d.budget.currency, d.budget.amountMinor, d.spent.amountMinor, d.reason === 'reversal-credited'],
    );
  } else {
    await m.query(
      `UPDATE "${S}"."budget_reservations" SET daily_exhausted_day = NULL,
         daily_reserved_minor = CASE WHEN daily_day IS NOT DISTINCT FROM $2 THEN LEAST(daily_reserved_minor, $3) ELSE daily_reserved_minor END,
         updated_at = now()
       WHERE campaign_id = $1`,
      [d.campaignId, d.day ?? null, d.spent.amountMinor],
    );
  }
}

/** Marks the matches released (once each) and gives their reward + fee back to the budget: the total, and the day each was reserved on. */
export async function releaseReservations(m: EntityManager, matches: { purchaseId: string; campaignId: string }[]): Promise<void> {
  const released: { campaign_id: string; amount: string; time_zone: string | null; evaluated_at: Date; limit_ids: string[] | null }[] = await m.query(
    `WITH released AS (
       UPDATE "${S}"."match_outcomes" o SET released_at = now()
         FROM unnest($1::text[], $2::text[]) AS x(purchase_id, campaign_id)
        WHERE o.purchase_id = x.purchase_id AND o.campaign_id = x.campaign_id AND o.outcome = 'matched' AND o.released_at IS NULL
        RETURNING o.campaign_id, (COALESCE(o.reward_minor, 0) + COALESCE(o.fee_minor, 0))::text AS amount, o.evaluated_at, o.limit_ids)
     SELECT r.*, c.snapshot->'schedule'->>'timeZone' AS time_zone FROM released r LEFT JOIN "${S}"."campaigns" c USING (campaign_id)`,
    [matches.map((x) => x.purchaseId), matches.map((x) => x.campaignId)],
  );
  if (released.length === 0) return;
  await m.query(
    `WITH y AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) AS y(campaign_id, amount, day))
     UPDATE "${S}"."budget_reservations" b SET
       reserved_minor = GREATEST(0, b.reserved_minor - x.total),
       daily_reserved_minor = GREATEST(0, b.daily_reserved_minor - COALESCE((SELECT SUM(y.amount) FROM y WHERE y.campaign_id = b.campaign_id AND y.day = b.daily_day), 0)),
       updated_at = now()
     FROM (SELECT campaign_id, SUM(amount) AS total FROM y GROUP BY campaign_id) x
     WHERE b.campaign_id = x.campaign_id`,
    [
      released.map((r) => r.campaign_id),
      released.map((r) => Number(r.amount)),
      released.map((r) => (r.time_zone ? localTime(new Date(r.evaluated_at), r.time_zone).day : null)),
    ],
  );
  // The advertiser budgets and per-bank caps the matches were reserved on.
  const perLimit = new Map<string, number>();
  for (const r of released) for (const id of r.limit_ids ?? []) perLimit.set(id, (perLimit.get(id) ?? 0) + Number(r.amount));
  if (perLimit.size === 0) return;
  await m.query(
    `UPDATE "${S}"."limit_reservations" l SET reserved_minor = GREATEST(0, l.reserved_minor - x.amount), updated_at = now()
     FROM unnest($1::text[], $2::bigint[]) AS x(limit_id, amount) WHERE l.limit_id = x.limit_id`,
    [[...perLimit.keys()], [...perLimit.values()]],
  );
}

/** spend-limit.exhausted: purchases under the limit are declined until it is replenished. */
export async function markLimitExhausted(m: EntityManager, limitId: string): Promise<void> {
  await m.query(`UPDATE "${S}"."limit_reservations" SET exhausted = true, updated_at = now() WHERE limit_id = $1`, [limitId]);
}

/**
 * spend-limit.replenished: matching under the limit resumes. After reversals credited back,
 * reservations above billing's spend are given up (as for a campaign's budget).
 */
export async function markLimitReplenished(m: EntityManager, limitId: string, spentMinor: number, reversalCredited: boolean): Promise<void> {
  await m.query(
    `UPDATE "${S}"."limit_reservations" SET exhausted = false, reserved_minor = CASE WHEN $3 THEN LEAST(reserved_minor, $2) ELSE reserved_minor END, updated_at = now() WHERE limit_id = $1`,
    [limitId, spentMinor, reversalCredited],
  );
}

/** The customer's latest activation of the campaign; the customer is the reporting bank's (its app reported it). */
export async function recordActivation(m: EntityManager, d: ClickRecordedV1Envelope['data']): Promise<void> {
  await m.query(
    `INSERT INTO "${S}"."activations" (bank_source, customer_id, campaign_id, click_id, publisher_id, activated_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (bank_source, customer_id, campaign_id) DO UPDATE SET click_id = EXCLUDED.click_id, publisher_id = EXCLUDED.publisher_id, activated_at = EXCLUDED.activated_at
     WHERE "activations".activated_at < EXCLUDED.activated_at`,
    // The customer is the reporting bank's: its app reported the activation.
    [d.reportedBy, d.customerId, d.campaignId, d.clickId, d.publisherId, d.at],
  );
}

/**
 * Records the chunk's card transactions (a transaction seen before is skipped); `evaluated` says
 * which ones are their purchase's first authorization or settlement, to be matched.
 */
export async function recordPurchases(m: EntityManager, events: CardTransactionEvent[], evaluable: boolean[]): Promise<{ bank_source: string; transaction_id: string; evaluated: boolean }[]> {
  return m.query(
    `INSERT INTO "${S}"."purchases" (bank_source, transaction_id, purchase_id, customer_id, kind, amount_minor, currency, transaction_at, evaluated, recorded_at)
     SELECT x.bank_source, x.transaction_id, x.purchase_id, x.customer_id, x.kind, x.amount_minor, x.currency, x.transaction_at,
       x.evaluable AND NOT EXISTS (SELECT 1 FROM "${S}"."purchases" p WHERE p.purchase_id = x.purchase_id AND p.evaluated), now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::timestamptz[], $9::bool[])
       AS x(bank_source, transaction_id, purchase_id, customer_id, kind, amount_minor, currency, transaction_at, evaluable)
     ON CONFLICT (bank_source, transaction_id) DO NOTHING
     RETURNING bank_source, transaction_id, evaluated`,
    [
      events.map((e) => e.data.bankSource),
      events.map((e) => e.data.transactionId),
      events.map((e) => e.data.purchaseId),
      events.map((e) => e.data.customerId),
      events.map((e) => KIND_OF[e.type]),
      events.map((e) => e.data.amount.amountMinor),
      events.map((e) => e.data.amount.currency),
      events.map((e) => e.data.transactionAt),
      evaluable,
    ],
  );
}

/**
 * Candidate campaigns of each transaction, in one query: merchants by MID when the MID is
 * known to the index, else by normalised descriptor (pattern prefix looked up by index, then
 * LIKE; a merchant with MCCs rules out a descriptor match with another MCC). Never by MCC
 * alone. With each: its budget state, the customer's history at its advertiser, the customer's
 * matches. Keyed by position in `events`.
 */
export async function candidatesOf(m: EntityManager, events: CardTransactionEvent[]): Promise<Map<number, CandidateRow[]>> {
  // Folded like the patterns (a canonical event from before the folding may still carry diacritics).
  const normalised = events.map((e) => normalisePattern(e.data.merchant.normalisedDescriptor));
  const rows: (CandidateRow & { i: number })[] = await m.query(
    `SELECT x.i, c.campaign_id, c.version, c.advertiser_id, c.snapshot, h.merchant_id, h.matched_by,
       b.exhausted, b.daily_exhausted_day, ph.first_purchase_at, ph.last_purchase_at, ph.purchase_count,
       (SELECT count(*) FROM "${S}"."match_outcomes" o
        WHERE o.campaign_id = c.campaign_id AND o.customer_id = x.customer_id AND o.bank_source = x.bank_source AND o.outcome = 'matched') AS customer_matches
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS x(i, customer_id, mid, prefixes, descriptor, mcc, bank_source)
     CROSS JOIN LATERAL (
       WITH by_mid AS (
         SELECT campaign_id, merchant_id, 'mid'::text AS matched_by FROM "${S}"."merchant_index"
         WHERE x.mid IS NOT NULL AND kind = 'mid' AND key = x.mid
       ), by_descriptor AS (
         SELECT campaign_id, merchant_id, 'descriptor'::text AS matched_by FROM "${S}"."merchant_index"
         WHERE NOT EXISTS (SELECT 1 FROM by_mid) AND kind = 'descriptor' AND key = ANY(string_to_array(x.prefixes, E'\\x1f')) AND x.descriptor LIKE like_pattern
           AND (mccs IS NULL OR x.mcc IS NULL OR x.mcc = ANY(mccs))
       )
       SELECT DISTINCT ON (campaign_id) campaign_id, merchant_id, matched_by
       FROM (SELECT * FROM by_mid UNION ALL SELECT * FROM by_descriptor) u
       ORDER BY campaign_id, merchant_id
     ) h
     JOIN "${S}"."campaigns" c ON c.campaign_id = h.campaign_id
     LEFT JOIN "${S}"."budget_reservations" b ON b.campaign_id = c.campaign_id
     LEFT JOIN "${S}"."purchase_history" ph ON ph.bank_source = x.bank_source AND ph.customer_id = x.customer_id AND ph.advertiser_id = c.advertiser_id
     WHERE c.status NOT IN ('draft', 'ended')`,
    [
      events.map((_, i) => i),
      events.map((e) => e.data.customerId),
      events.map((e) => e.data.merchant.mid ?? null),
      normalised.map((d) => descriptorPrefixes(d).join('\x1f')),
      normalised,
      events.map((e) => e.data.merchant.mcc ?? null),
      events.map((e) => e.data.bankSource),
    ],
  );
  const out = new Map<number, CandidateRow[]>();
  for (const row of rows) {
    const list = out.get(row.i) ?? [];
    list.push(row);
    out.set(row.i, list);
  }
  return out;
}

/** The budget rows of these campaigns, locked in campaign id order. */
export async function lockBudgets(m: EntityManager, campaignIds: string[]): Promise<Map<string, BudgetRow>> {
  const rows: BudgetRow[] = await m.query(
    `SELECT campaign_id, total_minor::float8 AS total_minor, reserved_minor::float8 AS reserved_minor, daily_minor::float8 AS daily_minor, daily_day,
       daily_reserved_minor::float8 AS daily_reserved_minor, exhausted, daily_exhausted_day
     FROM "${S}"."budget_reservations" WHERE campaign_id = ANY($1::text[]) ORDER BY campaign_id FOR UPDATE`,
    [campaignIds],
  );
  return new Map(rows.map((r) => [r.campaign_id, r]));
}

/** The limit rows of these ids, locked in limit id order (always before the campaigns' budget rows). */
export async function lockLimits(m: EntityManager, limitIds: string[]): Promise<Map<string, LimitRow>> {
  if (limitIds.length === 0) return new Map();
  const rows: LimitRow[] = await m.query(
    `SELECT limit_id, kind, total_minor::float8 AS total_minor, reserved_minor::float8 AS reserved_minor, exhausted
     FROM "${S}"."limit_reservations" WHERE limit_id = ANY($1::text[]) ORDER BY limit_id FOR UPDATE`,
    [limitIds],
  );
  return new Map(rows.map((r) => [r.limit_id, r]));
}

/** Writes the locked limit rows back with the chunk's reservations. */
export async function saveLimitReservations(m: EntityManager, rows: LimitRow[]): Promise<void> {
  if (rows.length === 0) return;
  await m.query(
    `UPDATE "${S}"."limit_reservations" l SET reserved_minor = x.reserved, updated_at = now()
     FROM unnest($1::text[], $2::bigint[]) AS x(limit_id, reserved) WHERE l.limit_id = x.limit_id`,
    [rows.map((r) => r.limit_id), rows.map((r) => r.reserved_minor)],
  );
}

/**
 * The changed snapshots' advertiser budgets and per-bank caps: each limit they define takes its
 * total (reservations so far stay); the advertiser's and the campaign's other limits are switched
 * off (total NULL). Two statements for the chunk.
 */
export async function upsertLimits(m: EntityManager, changed: CampaignSnapshotV1Data[]): Promise<void> {
  const defined = new Map<string, SpendLimit>();
  for (const c of changed) for (const l of definedSpendLimits(c)) defined.set(l.limitId, l);
  await m.query(
    `UPDATE "${S}"."limit_reservations" l SET total_minor = NULL, exhausted = false, updated_at = now()
     FROM unnest($1::text[], $2::text[]) AS x(advertiser_id, campaign_id)
     WHERE l.advertiser_id = x.advertiser_id AND (l.campaign_id IS NULL OR l.campaign_id = x.campaign_id)
       AND l.total_minor IS NOT NULL AND NOT (l.limit_id = ANY($3::text[]))`,
    [changed.map((c) => c.advertiserId), changed.map((c) => c.campaignId), [...defined.keys()]],
  );
  if (defined.size === 0) return;
  const list = [...defined.values()];
  await m.query(
    `INSERT INTO "${S}"."limit_reservations" (limit_id, kind, advertiser_id, campaign_id, total_minor, reserved_minor, exhausted, updated_at)
     SELECT x.limit_id, x.kind, x.advertiser_id, x.campaign_id, x.total_minor, 0, false, now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS x(limit_id, kind, advertiser_id, campaign_id, total_minor)
     ON CONFLICT (limit_id) DO UPDATE SET total_minor = EXCLUDED.total_minor, updated_at = now()`,
    [list.map((l) => l.limitId), list.map((l) => l.kind), list.map((l) => l.advertiserId), list.map((l) => l.campaignId ?? null), list.map((l) => l.total.amountMinor)],
  );
}

/** Keeps the newest version of each campaign; returns the ids whose row changed. */
export async function upsertCampaigns(m: EntityManager, list: CampaignSnapshotV1Data[]): Promise<string[]> {
  const updated: { campaign_id: string }[] = await m.query(
    `INSERT INTO "${S}"."campaigns" (campaign_id, version, advertiser_id, status, snapshot, updated_at)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
     ON CONFLICT (campaign_id) DO UPDATE SET version = EXCLUDED.version, advertiser_id = EXCLUDED.advertiser_id,
       status = EXCLUDED.status, snapshot = EXCLUDED.snapshot, updated_at = EXCLUDED.updated_at
     WHERE "campaigns".version < EXCLUDED.version
     RETURNING campaign_id`,
    [list.map((c) => c.campaignId), list.map((c) => c.version), list.map((c) => c.advertiserId), list.map((c) => c.status), list.map((c) => JSON.stringify(c)), list.map((c) => c.updatedAt)],
  );
  return updated.map((r) => r.campaign_id);
}

/** Replaces the merchant index rows of these campaigns: a row per MID and per descriptor pattern (its literal prefix and LIKE form). */
export async function rebuildMerchantIndex(m: EntityManager, changed: CampaignSnapshotV1Data[]): Promise<void> {
  const index = { campaignIds: [] as string[], advertiserIds: [] as string[], merchantIds: [] as string[], kinds: [] as string[], keys: [] as string[], likes: [] as (string | null)[], mccs: [] as (string | null)[] };
  const add = (c: CampaignSnapshotV1Data, merchantId: string, kind: 'mid' | 'descriptor', key: string, like: string | null, mcc: string | null) => {
    index.campaignIds.push(c.campaignId);
    index.advertiserIds.push(c.advertiserId);
    index.merchantIds.push(merchantId);
    index.kinds.push(kind);
    index.keys.push(key);
    index.likes.push(like);
    index.mccs.push(mcc);
  };
  for (const c of changed) {
    for (const merchant of c.merchants) {
      const mcc = merchant.mccs && merchant.mccs.length > 0 ? merchant.mccs.join(',') : null;
      for (const mid of new Set(merchant.mids)) add(c, merchant.merchantId, 'mid', mid, null, null);
      for (const pattern of new Set(merchant.descriptorPatterns)) add(c, merchant.merchantId, 'descriptor', patternPrefix(pattern), patternToLike(pattern), mcc);
    }
  }
  await m.query(`DELETE FROM "${S}"."merchant_index" WHERE campaign_id = ANY($1::text[])`, [changed.map((c) => c.campaignId)]);
  await m.query(
    `INSERT INTO "${S}"."merchant_index" (campaign_id, advertiser_id, merchant_id, kind, key, like_pattern, mccs)
     SELECT x.campaign_id, x.advertiser_id, x.merchant_id, x.kind, x.key, x.like_pattern, string_to_array(x.mccs, ',')
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS x(campaign_id, advertiser_id, merchant_id, kind, key, like_pattern, mccs)`,
    [index.campaignIds, index.advertiserIds, index.merchantIds, index.kinds, index.keys, index.likes, index.mccs],
  );
}

/** Each campaign's budget row takes the snapshot's total and daily cap (reservations so far stay). */
export async function upsertBudgets(m: EntityManager, changed: CampaignSnapshotV1Data[]): Promise<void> {
  await m.query(
    `INSERT INTO "${S}"."budget_reservations" (campaign_id, currency, total_minor, reserved_minor, daily_minor, daily_day, daily_reserved_minor, exhausted, daily_exhausted_day, updated_at)
     SELECT x.campaign_id, x.currency, x.total_minor, 0, x.daily_minor, NULL, 0, false, NULL, now()
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS x(campaign_id, currency, total_minor, daily_minor)
     ON CONFLICT (campaign_id) DO UPDATE SET currency = EXCLUDED.currency, total_minor = EXCLUDED.total_minor, daily_minor = EXCLUDED.daily_minor, updated_at = now()`,
    [changed.map((c) => c.campaignId), changed.map((c) => c.currency), changed.map((c) => c.budget.total.amountMinor), changed.map((c) => c.budget.daily?.amountMinor ?? null)],
  );
}

/** Adds the chunk's purchases to each (bank, customer, advertiser) history. */
export async function addPurchaseHistory(m: EntityManager, hist: { bankSource: string; customerId: string; advertiserId: string; first: string; last: string; count: number }[]): Promise<void> {
  await m.query(
    `INSERT INTO "${S}"."purchase_history" (bank_source, customer_id, advertiser_id, first_purchase_at, last_purchase_at, purchase_count)
     SELECT * FROM unnest($6::text[], $1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[])
     ON CONFLICT (bank_source, customer_id, advertiser_id) DO UPDATE SET
       first_purchase_at = LEAST("purchase_history".first_purchase_at, EXCLUDED.first_purchase_at),
       last_purchase_at = GREATEST("purchase_history".last_purchase_at, EXCLUDED.last_purchase_at),
       purchase_count = "purchase_history".purchase_count + EXCLUDED.purchase_count`,
    [hist.map((h) => h.customerId), hist.map((h) => h.advertiserId), hist.map((h) => h.first), hist.map((h) => h.last), hist.map((h) => h.count), hist.map((h) => h.bankSource)],
  );
}

/** Writes the locked budget rows back with the chunk's reservations. */
export async function saveReservations(m: EntityManager, reserved: BudgetRow[]): Promise<void> {
  if (reserved.length === 0) return;
  await m.query(
    `UPDATE "${S}"."budget_reservations" b SET reserved_minor = x.reserved, daily_reserved_minor = x.daily_reserved, daily_day = x.daily_day, updated_at = now()
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) AS x(campaign_id, reserved, daily_reserved, daily_day)
     WHERE b.campaign_id = x.campaign_id`,
    [reserved.map((r) => r.campaign_id), reserved.map((r) => r.reserved_minor), reserved.map((r) => r.daily_reserved_minor), reserved.map((r) => r.daily_day)],
  );
}

/** How one candidate campaign of a purchase was decided. */
export interface Decided {
  row: CandidateRow;
  outcome: 'matched' | 'declined' | 'holdout';
  /** "matched": the campaign's rules passed; attribution makes the final decision. */
  reason: 'matched' | MatchDeclineReason;
  segment: AudienceSegment;
  reward?: Money;
  fee?: Money;
  /** For a match: the limits reserved on besides the campaign's budget. */
  limitIds?: string[];
}

/** Records the chunk's outcomes (one per purchase and campaign); returns those that are new, whose events go out. */
export async function insertOutcomes(m: EntityManager, outcomes: { event: CardTransactionEvent; decided: Decided }[], evaluatedAt: string): Promise<{ purchase_id: string; campaign_id: string }[]> {
  const field = <T>(f: (o: { event: CardTransactionEvent; decided: Decided }) => T) => outcomes.map(f);
  return m.query(
    `INSERT INTO "${S}"."match_outcomes" (purchase_id, campaign_id, campaign_version, customer_id, advertiser_id, merchant_id, matched_by, bank_source,
       transaction_id, transaction_kind, outcome, reason_code, audience_segment, purchase_amount_minor, currency, reward_minor, fee_minor, transaction_at, evaluated_at, limit_ids)
     SELECT x.p1, x.p2, x.p3, x.p4, x.p5, x.p6, x.p7, x.p8, x.p9, x.p10, x.p11, x.p12, x.p13, x.p14, x.p15, x.p16, x.p17, x.p18, $19::timestamptz,
       string_to_array(NULLIF(x.limits, ''), ' ')
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::text[], $12::text[], $13::text[], $14::bigint[], $15::text[], $16::bigint[], $17::bigint[], $18::timestamptz[], $20::text[])
       AS x(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, limits)
     ON CONFLICT (purchase_id, campaign_id) DO NOTHING
     RETURNING purchase_id, campaign_id`,
    [
      field((o) => o.event.data.purchaseId),
      field((o) => o.decided.row.campaign_id),
      field((o) => o.decided.row.version),
      field((o) => o.event.data.customerId),
      field((o) => o.decided.row.advertiser_id),
      field((o) => o.decided.row.merchant_id),
      field((o) => o.decided.row.matched_by),
      field((o) => o.event.data.bankSource),
      field((o) => o.event.data.transactionId),
      field((o) => KIND_OF[o.event.type]),
      field((o) => o.decided.outcome),
      field((o) => o.decided.reason),
      field((o) => o.decided.segment),
      field((o) => o.event.data.amount.amountMinor),
      field((o) => o.event.data.amount.currency),
      field((o) => o.decided.reward?.amountMinor ?? null),
      field((o) => o.decided.fee?.amountMinor ?? null),
      field((o) => o.event.data.transactionAt),
      evaluatedAt,
      // The limit ids of each, space-separated ('' for none): ids are printable ASCII without whitespace.
      field((o) => (o.decided.limitIds ?? []).join(' ')),
    ],
  );
}
