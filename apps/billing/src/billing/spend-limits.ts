import {
  candidateLimitIds,
  definedSpendLimits,
  limitOwnedBy,
  newEnvelope,
  SpendLimitExhaustedV1,
  SpendLimitReplenishedV1,
  SpendLimitThresholdReachedV1,
  Topic,
  type CampaignSnapshotV1Data,
  type SpendLimit,
  type SpendLimitFields,
  type SpendLimitKind,
  type SpendLimitReplenishedV1Data,
} from '@prestanda/contracts';
import type { OutboxItem } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';
import { budgetCrossings, percentOf, THRESHOLD_PERCENT } from './pricing';

/**
 * Advertiser budgets and per-bank caps (`spendLimitsOf` in the contracts), booked beside each
 * campaign's own budget (budget.ts). A row per limit: its total (NULL once the limit is removed),
 * the spend booked on it, and which events went out. Every existing row tracks spend, defined or
 * not, so a limit that comes back starts from the truth. Rows are always locked in limit id order
 * and before any campaign's budget row: two transactions cannot wait on each other.
 */
export interface LimitRow {
  limit_id: string;
  kind: SpendLimitKind;
  advertiser_id: string;
  campaign_id: string | null;
  bank_id: string | null;
  currency: string;
  total_minor: string | null;
  spent_minor: string;
  threshold_sent: boolean;
  exhausted_sent: boolean;
}

/** Who an action is booked for: the campaign's advertiser, and for a card-linked reward the customer's bank. */
export interface SpendTarget {
  campaignId: string;
  advertiserId: string;
  bankId?: string;
}

const L = `"billing"."spend_limits"`;

export async function lockLimits(m: EntityManager, limitIds: readonly string[]): Promise<LimitRow[]> {
  if (limitIds.length === 0) return [];
  return m.query(`SELECT * FROM ${L} WHERE "limit_id" = ANY($1::text[]) ORDER BY "limit_id" FOR UPDATE`, [limitIds]);
}

/** The limit rows an action of `target` draws on, locked. */
export function lockLimitsOf(m: EntityManager, target: SpendTarget): Promise<LimitRow[]> {
  return lockLimits(m, candidateLimitIds(target.advertiserId, target.campaignId, target.bankId));
}

/**
 * Locks every limit a chunk's actions draw on at once (limit id order), before their campaigns'
 * budget rows. The rows are the chunk's from then on: `spend` books on them and keeps them current.
 */
export async function lockLimitsOfAll(m: EntityManager, targets: readonly SpendTarget[]): Promise<LockedLimits> {
  const rows = await lockLimits(m, [...new Set(targets.flatMap((t) => candidateLimitIds(t.advertiserId, t.campaignId, t.bankId)))].sort());
  return new Map(rows.map((r) => [r.limit_id, r]));
}

/** A chunk's locked limit rows by id (see lockLimitsOfAll). */
export type LockedLimits = Map<string, LimitRow>;

/** The rows of `target`'s limits among those the chunk locked, or, without them, locked now. */
export async function limitsFor(m: EntityManager, target: SpendTarget, locked?: LockedLimits): Promise<LimitRow[]> {
  if (!locked) return lockLimitsOf(m, target);
  return candidateLimitIds(target.advertiserId, target.campaignId, target.bankId).flatMap((id) => locked.get(id) ?? []);
}

/** The first defined limit whose spend reached it: the action is not charged. */
export function limitHolding(rows: readonly LimitRow[]): LimitRow | undefined {
  return rows.find((r) => r.total_minor !== null && Number(r.spent_minor) >= Number(r.total_minor));
}

function fields(r: LimitRow, total: number, spent: number): SpendLimitFields {
  return {
    limitId: r.limit_id,
    kind: r.kind,
    advertiserId: r.advertiser_id,
    ...(r.campaign_id ? { campaignId: r.campaign_id } : {}),
    ...(r.bank_id ? { bankId: r.bank_id } : {}),
    budget: { amountMinor: total, currency: r.currency },
    spent: { amountMinor: Math.max(0, spent), currency: r.currency },
    percent: percentOf(Math.max(0, spent), total),
    at: new Date().toISOString(),
  };
}

const item = (f: SpendLimitFields, event: OutboxItem['event']): OutboxItem => ({ topic: Topic.BudgetEvents, key: f.advertiserId, event });

function crossingEvents(f: SpendLimitFields, crossing: { threshold: boolean; exhausted: boolean }): OutboxItem[] {
  const out: OutboxItem[] = [];
  if (crossing.threshold) out.push(item(f, newEnvelope(SpendLimitThresholdReachedV1, { source: 'billing', occurredAt: f.at, data: { ...f, thresholdPercent: THRESHOLD_PERCENT } })));
  if (crossing.exhausted) out.push(item(f, newEnvelope(SpendLimitExhaustedV1, { source: 'billing', occurredAt: f.at, data: f })));
  return out;
}

function replenished(f: SpendLimitFields, reason: SpendLimitReplenishedV1Data['reason']): OutboxItem {
  return item(f, newEnvelope(SpendLimitReplenishedV1, { source: 'billing', occurredAt: f.at, data: { ...f, reason } }));
}

/** Books a charged action on its (locked) limit rows; the 80 % and 100 % events of the defined ones go out once each. */
export async function bookOnLimits(m: EntityManager, rows: readonly LimitRow[], amountMinor: number): Promise<OutboxItem[]> {
  if (rows.length === 0) return [];
  const events: OutboxItem[] = [];
  const updates = rows.map((r) => {
    const spent = Number(r.spent_minor) + amountMinor;
    let threshold = r.threshold_sent;
    let exhausted = r.exhausted_sent;
    if (r.total_minor !== null) {
      const total = Number(r.total_minor);
      const crossing = budgetCrossings(spent, total, { threshold, exhausted });
      events.push(...crossingEvents(fields(r, total, spent), crossing));
      threshold ||= crossing.threshold;
      exhausted ||= crossing.exhausted;
    }
    // The rows stay current for the next action of the chunk.
    r.spent_minor = String(spent);
    r.threshold_sent = threshold;
    r.exhausted_sent = exhausted;
    return { id: r.limit_id, spent, threshold, exhausted };
  });
  await saveRows(m, updates);
  return events;
}

/** A reversal credits its limits back; an exhausted one with room again is replenished (reason reversal-credited). */
export async function creditLimits(m: EntityManager, target: SpendTarget, amountMinor: number): Promise<OutboxItem[]> {
  const rows = await lockLimitsOf(m, target);
  if (rows.length === 0) return [];
  const events: OutboxItem[] = [];
  const updates = rows.map((r) => {
    const spent = Math.max(0, Number(r.spent_minor) - amountMinor);
    let { threshold_sent: threshold, exhausted_sent: exhausted } = r;
    if (r.total_minor !== null) {
      const total = Number(r.total_minor);
      if (exhausted && spent < total) {
        exhausted = false;
        events.push(replenished(fields(r, total, spent), 'reversal-credited'));
      }
      if (threshold && percentOf(spent, total) < THRESHOLD_PERCENT) threshold = false;
    }
    return { id: r.limit_id, spent, threshold, exhausted };
  });
  await saveRows(m, updates);
  return events;
}

async function saveRows(m: EntityManager, rows: { id: string; spent: number; threshold: boolean; exhausted: boolean }[]): Promise<void> {
  await m.query(
    `UPDATE ${L} l SET "spent_minor" = x.spent, "threshold_sent" = x.threshold, "exhausted_sent" = x.exhausted
     FROM unnest($1::text[], $2::bigint[], $3::bool[], $4::bool[]) AS x(limit_id, spent, threshold, exhausted) WHERE l."limit_id" = x.limit_id`,
    [rows.map((r) => r.id), rows.map((r) => r.spent), rows.map((r) => r.threshold), rows.map((r) => r.exhausted)],
  );
}

/**
 * What spend a limit created now already has: for the advertiser, its priced postings in the
 * ledger (net of reversals); for a bank cap, what remains charged of its rewards at that bank.
 */
async function priorSpend(m: EntityManager, l: SpendLimit): Promise<number> {
  const [row]: { spent: string | null }[] =
    l.kind === 'advertiser'
      ? await m.query(`SELECT SUM("cost_minor" + "fee_minor")::text AS spent FROM "billing"."ledger_transactions" WHERE "advertiser_id" = $1 AND "pricing_model" IS NOT NULL`, [l.advertiserId])
      : await m.query(
          `SELECT SUM("remaining_minor" + "fee_remaining_minor")::text AS spent FROM "billing"."rewards"
            WHERE "charged" AND "bank_id" = $1 AND (CASE WHEN $2::text IS NULL THEN "advertiser_id" = $3 ELSE "campaign_id" = $2 END)`,
          [l.bankId, l.campaignId ?? null, l.advertiserId],
        );
  return Math.max(0, Number(row?.spent ?? 0));
}

/**
 * New campaign snapshots set the limits they define (and switch off the advertiser's and the
 * campaign's others). A raised limit above spend replenishes an exhausted one; a lowered one can
 * cross the lines at once; a removed one that was exhausted is replenished (limit-removed).
 */
export async function setLimits(m: EntityManager, changed: readonly CampaignSnapshotV1Data[]): Promise<OutboxItem[]> {
  const defined = new Map<string, SpendLimit>();
  for (const c of changed) for (const l of definedSpendLimits(c)) defined.set(l.limitId, l);
  const advertisers = [...new Set(changed.map((c) => c.advertiserId))];
  const existing: LimitRow[] = await m.query(
    `SELECT * FROM ${L} WHERE "limit_id" = ANY($1::text[]) OR ("advertiser_id" = ANY($2::text[]) AND "total_minor" IS NOT NULL) ORDER BY "limit_id" FOR UPDATE`,
    [[...defined.keys()], advertisers],
  );
  const rows = new Map(existing.map((r) => [r.limit_id, r]));
  const events: OutboxItem[] = [];
  const updates: { id: string; total: number | null; threshold: boolean; exhausted: boolean }[] = [];

  for (const r of existing) {
    if (defined.has(r.limit_id) || r.total_minor === null || !changed.some((c) => limitOwnedBy(r.limit_id, c))) continue;
    if (r.exhausted_sent) events.push(replenished(fields(r, Number(r.total_minor), Number(r.spent_minor)), 'limit-removed'));
    updates.push({ id: r.limit_id, total: null, threshold: false, exhausted: false });
  }

  for (const l of defined.values()) {
    const r = rows.get(l.limitId);
    const total = l.total.amountMinor;
    if (!r) {
      const spent = await priorSpend(m, l);
      const row: LimitRow = {
        limit_id: l.limitId,
        kind: l.kind,
        advertiser_id: l.advertiserId,
        campaign_id: l.campaignId ?? null,
        bank_id: l.bankId ?? null,
        currency: l.total.currency,
        total_minor: String(total),
        spent_minor: String(spent),
        threshold_sent: false,
        exhausted_sent: false,
      };
      const crossing = spent > 0 ? budgetCrossings(spent, total, { threshold: false, exhausted: false }) : { threshold: false, exhausted: false };
      events.push(...crossingEvents(fields(row, total, spent), crossing));
      await m.query(
        `INSERT INTO ${L} ("limit_id","kind","advertiser_id","campaign_id","bank_id","currency","total_minor","spent_minor","threshold_sent","exhausted_sent")
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
        [row.limit_id, row.kind, row.advertiser_id, row.campaign_id, row.bank_id, row.currency, total, spent, crossing.threshold, crossing.exhausted],
      );
      continue;
    }
    const before = r.total_minor === null ? null : Number(r.total_minor);
    if (before === total) continue;
    const spent = Number(r.spent_minor);
    let threshold = before === null ? false : r.threshold_sent;
    let exhausted = before === null ? false : r.exhausted_sent;
    const f = fields(r, total, spent);
    if (exhausted && spent < total) {
      exhausted = false;
      events.push(replenished(f, 'budget-raised'));
    }
    if (threshold && percentOf(spent, total) < THRESHOLD_PERCENT) threshold = false;
    const crossing = budgetCrossings(spent, total, { threshold, exhausted });
    events.push(...crossingEvents(f, crossing));
    updates.push({ id: r.limit_id, total, threshold: threshold || crossing.threshold, exhausted: exhausted || crossing.exhausted });
  }

  if (updates.length > 0) {
    await m.query(
      `UPDATE ${L} l SET "total_minor" = x.total, "threshold_sent" = x.threshold, "exhausted_sent" = x.exhausted
       FROM unnest($1::text[], $2::bigint[], $3::bool[], $4::bool[]) AS x(limit_id, total, threshold, exhausted) WHERE l."limit_id" = x.limit_id`,
      [updates.map((u) => u.id), updates.map((u) => u.total), updates.map((u) => u.threshold), updates.map((u) => u.exhausted)],
    );
  }
  return events;
}
