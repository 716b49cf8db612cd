import { BudgetExhaustedV1, BudgetReplenishedV1, BudgetThresholdReachedV1, newEnvelope, Topic, type BudgetFields } from '@prestanda/contracts';
import type { OutboxItem } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';
import { budgetCrossings, dayIn, percentOf, THRESHOLD_PERCENT } from './pricing';

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
  /** False when the budget (total or the day's cap) was already spent: the action is not charged. */
  charged: boolean;
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
export async function spend(m: EntityManager, campaignId: string, amountMinor: number, at: Date, timeZone: string): Promise<BudgetDecision | undefined> {
  const b = await lockBudget(m, campaignId);
  if (!b) return undefined;
  const total = Number(b.total_minor);
  const spent = Number(b.spent_minor);
  if (spent >= total) return { charged: false, events: [] };
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
  return { charged: true, events };
}

/** A reversal credits spend back (total, and the day of the original charge); an exhausted total budget with room again is replenished. */
export async function credit(m: EntityManager, campaignId: string, amountMinor: number, at: Date, timeZone: string): Promise<OutboxItem[]> {
  const b = await lockBudget(m, campaignId);
  if (!b) return [];
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
  return reopened ? [replenishedEvent(fields(b, 'total', total, newSpent), 'reversal-credited')] : [];
}

/** A new campaign snapshot sets the budget; raising it above spend replenishes an exhausted budget. */
export async function setBudget(
  m: EntityManager,
  c: { campaignId: string; advertiserId: string; currency: string; totalMinor: number; dailyMinor: number | null; pacing: string },
): Promise<OutboxItem[]> {
  const b = await lockBudget(m, c.campaignId);
  if (!b) {
    // Normally 0; more when charges for this campaign were booked before its first snapshot.
    const [prior] = await m.query(
      `SELECT COALESCE(SUM("cost_minor" + "fee_minor"),0)::text AS spent, COALESCE(MAX("cost_minor" + "fee_minor"),0)::text AS largest
         FROM "billing"."ledger_transactions" WHERE "campaign_id"=$1 AND "pricing_model" IS NOT NULL`,
      [c.campaignId],
    );
    const spent = Math.max(0, Number(prior.spent));
    const crossing = spent > 0 ? budgetCrossings(spent, c.totalMinor, { threshold: false, exhausted: false }) : { threshold: false, exhausted: false };
    await m.query(
      `INSERT INTO "billing"."budgets" ("campaign_id","advertiser_id","currency","total_minor","daily_minor","pacing","spent_minor","max_charge_minor","threshold_sent","exhausted_sent")
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [c.campaignId, c.advertiserId, c.currency, c.totalMinor, c.dailyMinor, c.pacing, spent, Math.max(0, Number(prior.largest)), crossing.threshold, crossing.exhausted],
    );
    return crossingEvents(
      { advertiserId: c.advertiserId, campaignId: c.campaignId, scope: 'total', budget: { amountMinor: c.totalMinor, currency: c.currency }, spent: { amountMinor: spent, currency: c.currency }, percent: percentOf(spent, c.totalMinor), at: new Date().toISOString() },
      crossing,
    );
  }
  const oldTotal = Number(b.total_minor);
  const spent = Number(b.spent_minor);
  const events: OutboxItem[] = [];
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
  await m.query(`UPDATE "billing"."budgets" SET "total_minor"=$2, "daily_minor"=$3, "threshold_sent"=$4, "exhausted_sent"=$5, "pacing"=$6 WHERE "campaign_id"=$1`, [
    c.campaignId,
    c.totalMinor,
    c.dailyMinor,
    threshold,
    exhausted,
    c.pacing,
  ]);
  return events;
}
