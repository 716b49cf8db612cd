import { RewardConfirmedV1, RewardReinstatedV1, RewardReversedV1, newEnvelope, type RewardFields, type RewardStatus } from '@prestanda/contracts';
import { money } from '@prestanda/money';
import type { OutboxItem } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';
import { RewardHistoryRow, RewardRow } from './entities';
import { eventIdFor } from './ids';
import { confirmationDueAt, type RewardState, type Step } from './reward-lifecycle';

export type Publish = (items: OutboxItem[]) => Promise<void>;

export function stateOf(row: RewardRow): RewardState {
  return {
    status: row.status as RewardState['status'],
    currency: row.currency,
    purchaseAmountMinor: row.purchaseAmountMinor,
    purchaseCurrency: row.purchaseCurrency,
    earnedMinor: row.earnedMinor,
    feeMinor: row.feeMinor,
    shareMinor: row.shareMinor,
    keptMinor: row.keptMinor,
    feeKeptMinor: row.feeKeptMinor,
    shareKeptMinor: row.shareKeptMinor,
    refundedMinor: row.refundedMinor,
    appliedFacts: row.appliedFacts,
    holdPeriodDays: row.holdPeriodDays,
    settledAt: row.settledAt ? row.settledAt.toISOString() : null,
    confirmedAt: row.confirmedAt ? row.confirmedAt.toISOString() : null,
    reversedAt: row.reversedAt ? row.reversedAt.toISOString() : null,
  };
}

/** The columns a lifecycle step can change. */
function stateColumns(s: RewardState) {
  const date = (v: string | null) => (v === null ? null : new Date(v));
  return {
    status: s.status,
    keptMinor: s.keptMinor,
    feeKeptMinor: s.feeKeptMinor,
    shareKeptMinor: s.shareKeptMinor,
    refundedMinor: s.refundedMinor,
    appliedFacts: [...s.appliedFacts],
    settledAt: date(s.settledAt),
    confirmedAt: date(s.confirmedAt),
    reversedAt: date(s.reversedAt),
  };
}

export function rewardFields(row: RewardRow): RewardFields {
  return {
    rewardId: row.rewardId,
    purchaseId: row.purchaseId,
    customerId: row.customerId,
    campaignId: row.campaignId,
    advertiserId: row.advertiserId,
    publisherId: row.publisherId,
  };
}

export async function loadRewardForUpdate(m: EntityManager, rewardId: string): Promise<RewardRow | null> {
  return (await loadRewardsForUpdate(m, [rewardId])).get(rewardId) ?? null;
}

/** Locks and loads rewards (in reward id order, so two callers cannot deadlock on them). */
export async function loadRewardsForUpdate(m: EntityManager, rewardIds: string[]): Promise<Map<string, RewardRow>> {
  if (rewardIds.length === 0) return new Map();
  const rows = await m
    .getRepository(RewardRow)
    .createQueryBuilder('r')
    .where('r.rewardId IN (:...ids)', { ids: [...new Set(rewardIds)] })
    .orderBy('r.rewardId')
    .setLock('pessimistic_write')
    .getMany();
  return new Map(rows.map((r) => [r.rewardId, r]));
}

/** Stores a reducer step of an existing reward; see `persistSteps`. */
export function persistStep(m: EntityManager, row: RewardRow, step: Step, publish: Publish, holdUnitSeconds: number): Promise<void> {
  return persistSteps(m, [{ row, step }], publish, holdUnitSeconds);
}

/**
 * Stores reducer steps of existing rewards, in order (a reward may take several): each reward's
 * last state (one UPDATE for all), one history row per change, the reward events through the
 * outbox (deterministic eventIds), and the confirmation schedule — a fixed number of statements
 * however many steps.
 */
export async function persistSteps(m: EntityManager, steps: { row: RewardRow; step: Step }[], publish: Publish, holdUnitSeconds: number): Promise<void> {
  const last = new Map<string, RewardRow>();
  const history: Partial<RewardHistoryRow>[] = [];
  const items: OutboxItem[] = [];
  // The confirmation schedule per reward: a step that settles adds a job (kept if one exists), a
  // step that ends the hold (confirmed or reversed) removes it; replayed here in order.
  const jobs = new Map<string, { remove: boolean; dueAt: Date | null }>();
  for (const { row, step } of steps) {
    Object.assign(row, stateColumns(step.state));
    last.set(row.rewardId, row);
    const cur = (minor: number) => money(minor, row.currency);
    const job = jobs.get(row.rewardId) ?? { remove: false, dueAt: null };
    for (const effect of step.effects) {
      if (effect.type === 'reversed') {
        history.push({ rewardId: row.rewardId, status: step.state.status, reasonCode: effect.reasonCode, amountMinor: effect.reversedMinor, remainingMinor: step.state.keptMinor, transactionId: effect.transactionId, at: new Date(effect.at) });
        const event = newEnvelope(RewardReversedV1, {
          source: 'attribution',
          occurredAt: effect.at,
          eventId: eventIdFor(`${row.rewardId}|reversed|${effect.transactionId}`),
          data: {
            ...rewardFields(row),
            status: step.state.status as RewardStatus,
            reasonCode: effect.reasonCode,
            reversedAmount: cur(effect.reversedMinor),
            remainingAmount: cur(step.state.keptMinor),
            platformFeeReversed: cur(effect.feeReversedMinor),
            publisherShareReversed: cur(effect.shareReversedMinor),
            transactionId: effect.transactionId,
            // attribution does not follow payouts (reward.paid is billing's); billing nets after payout
            afterPayout: false,
            reversedAt: effect.at,
          },
        });
        items.push({ topic: 'rewards', key: row.customerId, event });
      } else if (effect.type === 'confirmed') {
        history.push({ rewardId: row.rewardId, status: 'confirmed', reasonCode: 'hold-period-passed', amountMinor: effect.amountMinor, remainingMinor: step.state.keptMinor, transactionId: null, at: new Date(effect.at) });
        const event = newEnvelope(RewardConfirmedV1, {
          source: 'attribution',
          occurredAt: effect.at,
          eventId: eventIdFor(`${row.rewardId}|confirmed`),
          data: { ...rewardFields(row), status: 'confirmed', reasonCode: 'hold-period-passed', amount: cur(effect.amountMinor), settledAt: effect.settledAt, confirmedAt: effect.at },
        });
        items.push({ topic: 'rewards', key: row.customerId, event });
      } else if (effect.type === 'reinstated') {
        history.push({ rewardId: row.rewardId, status: 'earned', reasonCode: 'settled-after-expiry', amountMinor: effect.amountMinor, remainingMinor: step.state.keptMinor, transactionId: effect.transactionId, at: new Date(effect.at) });
        const event = newEnvelope(RewardReinstatedV1, {
          source: 'attribution',
          occurredAt: effect.at,
          // Once per reward: the reinstatement's id does not depend on which settlement brought it.
          eventId: eventIdFor(`${row.rewardId}|reinstated`),
          data: {
            ...rewardFields(row),
            status: 'earned',
            reasonCode: 'settled-after-expiry',
            amount: cur(effect.amountMinor),
            platformFee: cur(effect.feeMinor),
            publisherShare: cur(effect.shareMinor),
            transactionId: effect.transactionId,
            settledAt: effect.settledAt,
            reinstatedAt: effect.at,
          },
        });
        items.push({ topic: 'rewards', key: row.customerId, event });
      } else if (job.dueAt === null) {
        job.dueAt = confirmationDueAt(effect.settledAt, step.state.holdPeriodDays, holdUnitSeconds);
      }
    }
    if (step.state.status !== 'earned' && step.effects.length > 0) {
      job.remove = true;
      job.dueAt = null;
    }
    jobs.set(row.rewardId, job);
  }
  const rows = [...last.values()];
  if (rows.length > 0) {
    const date = (d: Date | null) => (d ? d.toISOString() : null);
    await m.query(
      `UPDATE "attribution"."rewards" r SET "status" = x.status, "kept_minor" = x.kept, "fee_kept_minor" = x.fee_kept, "share_kept_minor" = x.share_kept,
         "refunded_minor" = x.refunded, "applied_facts" = x.applied, "settled_at" = x.settled_at, "confirmed_at" = x.confirmed_at, "reversed_at" = x.reversed_at
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::jsonb[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
         AS x(reward_id, status, kept, fee_kept, share_kept, refunded, applied, settled_at, confirmed_at, reversed_at)
       WHERE r."reward_id" = x.reward_id`,
      [
        rows.map((r) => r.rewardId),
        rows.map((r) => r.status),
        rows.map((r) => r.keptMinor),
        rows.map((r) => r.feeKeptMinor),
        rows.map((r) => r.shareKeptMinor),
        rows.map((r) => r.refundedMinor),
        rows.map((r) => JSON.stringify(r.appliedFacts)),
        rows.map((r) => date(r.settledAt)),
        rows.map((r) => date(r.confirmedAt)),
        rows.map((r) => date(r.reversedAt)),
      ],
    );
  }
  if (history.length > 0) await m.getRepository(RewardHistoryRow).insert(history);
  const removed = [...jobs].filter(([, j]) => j.remove).map(([id]) => id);
  if (removed.length > 0) await m.query(`DELETE FROM "attribution"."confirmation_jobs" WHERE "reward_id" = ANY($1::text[])`, [removed]);
  const added = [...jobs].filter(([, j]) => j.dueAt !== null);
  if (added.length > 0) {
    await m.query(
      `INSERT INTO "attribution"."confirmation_jobs" ("reward_id", "due_at", "created_at")
       SELECT x.reward_id, x.due_at, now() FROM unnest($1::text[], $2::timestamptz[]) AS x(reward_id, due_at) ON CONFLICT ("reward_id") DO NOTHING`,
      [added.map(([id]) => id), added.map(([, j]) => j.dueAt!.toISOString())],
    );
  }
  await publish(items);
}
