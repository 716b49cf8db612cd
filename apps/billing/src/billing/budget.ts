import { BudgetExhaustedV1, BudgetReplenishedV1, BudgetThresholdReachedV1, newEnvelope, Topic, type BudgetFields, type SpendLimitKind } from '@prestanda/contracts';
import type { OutboxItem } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';
import { budgetCrossings, dayIn, percentOf, THRESHOLD_PERCENT } from './pricing';
import { bookOnLimits, creditLimits, limitHolding, limitsFor, type LockedLimits, type SpendTarget } from './spend-limits';

interface BudgetRow {
  campaign_id: string;
  advertiser_id: string;
  currency: string;
  total_minor: string;
  daily_minor: string | null;
  spent_minor: string;
  max_charge_minor: string;
  threshold_sent: boolean;
  exhausted_sent: boolean;
}

export interface BudgetDecision {
  /** False when the budget (total or the day's cap) or a limit above it was already spent: the action is not charged. */
  charged: boolean;
  /** When not charged because of an advertiser budget or per-bank cap: its kind. */
  heldBy?: SpendLimitKind;
  events: OutboxItem[];
}

function fields(row: { advertiser_id: string; campaign_id: string; currency: string }, scope: 'total' | 'daily', budget: number, spent: number, day?: string): BudgetFields {
  return {
    advertiserId: row.advertiser_id,
    campaignId: row.campaign_id,
    scope,
    ...(day ? { day } : {}),
    budget: { amountMinor: budget, currency: row.currency },
    spent: { amountMinor: spent, currency: row.currency },
    percent: percentOf(spent, budget),
    at: new Date().toISOString(),
  };
}

function crossingEvents(f: BudgetFields, crossing: { threshold: boolean; exhausted: boolean }): OutboxItem[] {
  const out: OutboxItem[] = [];
  const occurredAt = f.at;
  if (crossing.threshold)
    out.push({ topic: Topic.BudgetEvents, key: f.advertiserId, event: newEnvelope(BudgetThresholdReachedV1, { source: 'billing', occurredAt, data: { ...f, thresholdPercent: THRESHOLD_PERCENT } }) });
  if (crossing.exhausted) out.push({ topic: Topic.BudgetEvents, key: f.advertiserId, event: newEnvelope(BudgetExhaustedV1, { source: 'billing', occurredAt, data: f }) });
  return out;
}

export function replenishedEvent(f: BudgetFields, reason: 'budget-raised' | 'daily-reset' | 'reversal-credited'): OutboxItem {
  return { topic: Topic.BudgetEvents, key: f.advertiserId, event: newEnvelope(BudgetReplenishedV1, { source: 'billing', occurredAt: f.at, data: { ...f, reason } }) };
}

/** Locks these campaigns' budget rows at once, in campaign id order (a chunk's first step, after its limits). */
export async function lockBudgets(m: EntityManager, campaignIds: readonly string[]): Promise<void> {
  const ids = [...new Set(campaignIds)].sort();
  if (ids.length > 0) await m.query(`SELECT 1 FROM "billing"."budgets" WHERE "campaign_id" = ANY($1::text[]) ORDER BY "campaign_id" FOR UPDATE`, [ids]);
}

async function lockBudget(m: EntityManager, campaignId: string): Promise<BudgetRow | undefined> {
  const rows: BudgetRow[] = await m.query(`SELECT * FROM "billing"."budgets" WHERE "campaign_id" = $1 FOR UPDATE`, [campaignId]);
  return rows[0];
}

/**
 * Books `amountMinor` of spend on a campaign's budget, in the caller's transaction. The budget
 * row is locked (SELECT … FOR UPDATE), so every replica and partition goes through it one at a
 * time: an action is charged only while spend is below the budget (total, and the day's cap when
 * there is one), so spend exceeds a budget by at most the one action that crosses it. The
 * 80 % and 100 % events go out once each (flags on the row, same transaction).
 */
export async function spend(m: EntityManager, target: SpendTarget, amountMinor: number, at: Date, timeZone: string, locked?: LockedLimits): Promise<BudgetDecision | undefined> {
  const { campaignId } = target;
  // The advertiser's budget and the bank caps first (limit id order), then the campaign's row.
  const limits = await limitsFor(m, target, locked);
  const b = await lockBudget(m, campaignId);
  if (!b) return undefined;
  const total = Number(b.total_minor);
  const spent = Number(b.spent_minor);
  if (spent >= total) return { charged: false, events: [] };
  const held = limitHolding(limits);
  if (held) return { charged: false, heldBy: held.kind, events: [] };
  const daily = b.daily_minor === null ? null : Number(b.daily_minor);
  const events: OutboxItem[] = [];
  if (daily !== null) {
    const day = dayIn(at, timeZone);
    await m.query(
      `INSERT INTO "billing"."budget_days" ("campaign_id","day","spent_minor","threshold_sent","exhausted_sent") VALUES ($1,$2,0,false,false) ON CONFLICT DO NOTHING`,
      [campaignId, day],
    );
    const [d] = await m.query(`SELECT "spent_minor","threshold_sent","exhausted_sent" FROM "billing"."budget_days" WHERE "campaign_id"=$1 AND "day"=$2 FOR UPDATE`, [campaignId, day]);
    const daySpent = Number(d.spent_minor);
    if (daySpent >= daily) return { charged: false, events: [] };
    const newDay = daySpent + amountMinor;
    const crossing = budgetCrossings(newDay, daily, { threshold: d.threshold_sent, exhausted: d.exhausted_sent });
    await m.query(
      `UPDATE "billing"."budget_days" SET "spent_minor"=$3, "threshold_sent"="threshold_sent" OR $4, "exhausted_sent"="exhausted_sent" OR $5 WHERE "campaign_id"=$1 AND "day"=$2`,
      [campaignId, day, newDay, crossing.threshold, crossing.exhausted],
    );
    events.push(...crossingEvents(fields(b, 'daily', daily, newDay, day), crossing));
  }
  const newSpent = spent + amountMinor;
  const crossing = budgetCrossings(newSpent, total, { threshold: b.threshold_sent, exhausted: b.exhausted_sent });
  await m.query(
    `UPDATE "billing"."budgets" SET "spent_minor"=$2, "max_charge_minor"=GREATEST("max_charge_minor",$3), "threshold_sent"="threshold_sent" OR $4, "exhausted_sent"="exhausted_sent" OR $5 WHERE "campaign_id"=$1`,
    [campaignId, newSpent, amountMinor, crossing.threshold, crossing.exhausted],
  );
  events.push(...crossingEvents(fields(b, 'total', total, newSpent), crossing));
  events.push(...(await bookOnLimits(m, limits, amountMinor)));
  return { charged: true, events };
}

/** A reversal credits spend back (total, and the day of the original charge); an exhausted total budget with room again is replenished. */
export async function credit(m: EntityManager, target: SpendTarget, amountMinor: number, at: Date, timeZone: string): Promise<OutboxItem[]> {
  const { campaignId } = target;
  const limitEvents = await creditLimits(m, target, amountMinor);
  const b = await lockBudget(m, campaignId);
  if (!b) return limitEvents;
  const total = Number(b.total_minor);
  const newSpent = Math.max(0, Number(b.spent_minor) - amountMinor);
  const reopened = b.exhausted_sent && newSpent < total;
  const rearmThreshold = b.threshold_sent && percentOf(newSpent, total) < THRESHOLD_PERCENT;
  await m.query(`UPDATE "billing"."budgets" SET "spent_minor"=$2, "exhausted_sent"=$3, "threshold_sent"=$4 WHERE "campaign_id"=$1`, [
    campaignId,
    newSpent,
    b.exhausted_sent && !reopened,
    b.threshold_sent && !rearmThreshold,
  ]);
  if (b.daily_minor !== null) {
    // `at` is the time of the original charge: its day's counter is credited.
    const day = dayIn(at, timeZone);
    await m.query(`UPDATE "billing"."budget_days" SET "spent_minor"=GREATEST(0,"spent_minor"-$3) WHERE "campaign_id"=$1 AND "day"=$2`, [campaignId, day, amountMinor]);
  }
  return [...limitEvents, ...(reopened ? [replenishedEvent(fields(b, 'total', total, newSpent), 'reversal-credited')] : [])];
}

export interface BudgetSetting {
  campaignId: string;
  advertiserId: string;
  currency: string;
  totalMinor: number;
  dailyMinor: number | null;
  pacing: string;
}

/** A new campaign snapshot sets the budget; raising it above spend replenishes an exhausted budget. */
export function setBudget(m: EntityManager, c: BudgetSetting): Promise<OutboxItem[]> {
  return setBudgets(m, [c]);
}

/**
 * `setBudget` for several campaigns (one per campaign id) in a fixed number of statements: the
 * existing budget rows locked at once (campaign id order), the prior spend of the new ones read
 * at once, one INSERT of the new rows and one UPDATE of the others.
 */
export async function setBudgets(m: EntityManager, settings: BudgetSetting[]): Promise<OutboxItem[]> {
  if (settings.length === 0) return [];
  const ids = settings.map((c) => c.campaignId);
  const locked: BudgetRow[] = await m.query(`SELECT * FROM "billing"."budgets" WHERE "campaign_id" = ANY($1::text[]) ORDER BY "campaign_id" FOR UPDATE`, [ids]);
  const rows = new Map(locked.map((r) => [r.campaign_id, r]));
  const fresh = settings.filter((c) => !rows.has(c.campaignId));
  // Normally 0; more when charges for a campaign were booked before its first snapshot.
  const prior: { campaign_id: string; spent: string; largest: string }[] = fresh.length
    ? await m.query(
        `SELECT "campaign_id", SUM("cost_minor" + "fee_minor")::text AS spent, MAX("cost_minor" + "fee_minor")::text AS largest
           FROM "billing"."ledger_transactions" WHERE "campaign_id" = ANY($1::text[]) AND "pricing_model" IS NOT NULL GROUP BY "campaign_id"`,
        [fresh.map((c) => c.campaignId)],
      )
    : [];
  const priorOf = new Map(prior.map((p) => [p.campaign_id, p]));
  const events: OutboxItem[] = [];
  const inserts: (BudgetSetting & { spent: number; largest: number; threshold: boolean; exhausted: boolean })[] = [];
  for (const c of fresh) {
    const p = priorOf.get(c.campaignId);
    const spent = Math.max(0, Number(p?.spent ?? 0));
    const crossing = spent > 0 ? budgetCrossings(spent, c.totalMinor, { threshold: false, exhausted: false }) : { threshold: false, exhausted: false };
    inserts.push({ ...c, spent, largest: Math.max(0, Number(p?.largest ?? 0)), threshold: crossing.threshold, exhausted: crossing.exhausted });
    events.push(
      ...crossingEvents(
        { advertiserId: c.advertiserId, campaignId: c.campaignId, scope: 'total', budget: { amountMinor: c.totalMinor, currency: c.currency }, spent: { amountMinor: spent, currency: c.currency }, percent: percentOf(spent, c.totalMinor), at: new Date().toISOString() },
        crossing,
      ),
    );
  }
  if (inserts.length > 0) {
    await m.query(
      `INSERT INTO "billing"."budgets" ("campaign_id","advertiser_id","currency","total_minor","daily_minor","pacing","spent_minor","max_charge_minor","threshold_sent","exhausted_sent")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::bigint[], $8::bigint[], $9::bool[], $10::bool[])`,
      [
        inserts.map((c) => c.campaignId),
        inserts.map((c) => c.advertiserId),
        inserts.map((c) => c.currency),
        inserts.map((c) => c.totalMinor),
        inserts.map((c) => c.dailyMinor),
        inserts.map((c) => c.pacing),
        inserts.map((c) => c.spent),
        inserts.map((c) => c.largest),
        inserts.map((c) => c.threshold),
        inserts.map((c) => c.exhausted),
      ],
    );
  }
  const updates: { campaignId: string; totalMinor: number; dailyMinor: number | null; threshold: boolean; exhausted: boolean; pacing: string }[] = [];
  for (const c of settings) {
    const b = rows.get(c.campaignId);
    if (!b) continue;
    const oldTotal = Number(b.total_minor);
    const spent = Number(b.spent_minor);
    let threshold = b.threshold_sent;
    let exhausted = b.exhausted_sent;
    const f = fields(b, 'total', c.totalMinor, spent);
    if (c.totalMinor > oldTotal && exhausted && spent < c.totalMinor) {
      exhausted = false;
      events.push(replenishedEvent(f, 'budget-raised'));
    }
    if (threshold && percentOf(spent, c.totalMinor) < THRESHOLD_PERCENT) threshold = false;
    if (c.totalMinor < oldTotal) {
      // A lowered budget can cross the lines at once.
      const crossing = budgetCrossings(spent, c.totalMinor, { threshold, exhausted });
      events.push(...crossingEvents(f, crossing));
      threshold ||= crossing.threshold;
      exhausted ||= crossing.exhausted;
    }
    updates.push({ campaignId: c.campaignId, totalMinor: c.totalMinor, dailyMinor: c.dailyMinor, threshold, exhausted, pacing: c.pacing });
  }
  if (updates.length > 0) {
    await m.query(
      `UPDATE "billing"."budgets" b SET "total_minor" = x.total_minor, "daily_minor" = x.daily_minor, "threshold_sent" = x.threshold, "exhausted_sent" = x.exhausted, "pacing" = x.pacing
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bool[], $5::bool[], $6::text[]) AS x(campaign_id, total_minor, daily_minor, threshold, exhausted, pacing)
       WHERE b."campaign_id" = x.campaign_id`,
      [updates.map((u) => u.campaignId), updates.map((u) => u.totalMinor), updates.map((u) => u.dailyMinor), updates.map((u) => u.threshold), updates.map((u) => u.exhausted), updates.map((u) => u.pacing)],
    );
  }
  return events;
}
