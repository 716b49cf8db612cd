import { RewardConfirmedV1, RewardReversedV1, newEnvelope, type RewardFields, type RewardStatus } from '@prestanda/contracts';
import { money } from '@prestanda/money';
import type { OutboxItem } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';
import { ConfirmationJobRow, RewardHistoryRow, RewardRow } from './entities';
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
  return m.getRepository(RewardRow).findOne({ where: { rewardId }, lock: { mode: 'pessimistic_write' } });
}

/**
 * Stores a reducer step of an existing reward: the new state, one history row per change, the
 * reward events through the outbox (deterministic eventIds), and the confirmation schedule.
 */
export async function persistStep(m: EntityManager, row: RewardRow, step: Step, publish: Publish, holdUnitSeconds: number): Promise<void> {
  // One UPDATE of the columns a step changes (TypeORM's save() would SELECT the row first).
  const changes = stateColumns(step.state);
  Object.assign(row, changes);
  await m.getRepository(RewardRow).update({ rewardId: row.rewardId }, changes);
  const history: Partial<RewardHistoryRow>[] = [];
  const items: OutboxItem[] = [];
  const cur = (minor: number) => money(minor, row.currency);
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
    } else {
      const dueAt = confirmationDueAt(effect.settledAt, step.state.holdPeriodDays, holdUnitSeconds);
      await m.query(
        `INSERT INTO "attribution"."confirmation_jobs" ("reward_id", "due_at", "created_at") VALUES ($1, $2, now()) ON CONFLICT ("reward_id") DO NOTHING`,
        [row.rewardId, dueAt],
      );
    }
  }
  if (history.length > 0) await m.getRepository(RewardHistoryRow).insert(history);
  if (step.state.status !== 'earned' && step.effects.length > 0) await m.getRepository(ConfirmationJobRow).delete({ rewardId: row.rewardId });
  await publish(items);
}
