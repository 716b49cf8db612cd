import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createLogger } from '@prestanda/observability';
import { enqueueEvents } from '@prestanda/persistence';
import { MessagingRuntime } from '@prestanda/service-kit';
import { DataSource } from 'typeorm';
import { ATTRIBUTION_CONFIG, type AttributionConfig } from './attribution.tokens';
import { applyFact, confirmIfDue, EXPIRY_ID } from './reward-lifecycle';
import { loadRewardForUpdate, persistStep, stateOf } from './reward-store';

/**
 * Confirms rewards whose hold period has passed. The schedule is the confirmation_jobs table
 * (one row per settled, earned reward), so it survives restarts and catches up after downtime;
 * replicas share it through FOR UPDATE SKIP LOCKED. Each confirmation commits with its outbox
 * row and the job's deletion in one transaction: a reward is confirmed once.
 * The same tick marks held purchase facts older than ATTRIBUTION_HELD_EXPIRY_DAYS expired.
 */
@Injectable()
export class ConfirmationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = createLogger('attribution');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private ready = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    @Inject(ATTRIBUTION_CONFIG) private readonly config: AttributionConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.ATTRIBUTION_CONFIRM_POLL_MS);
  }

  /** Stops before the consumer, relay and database do (onModuleDestroy runs before every shutdown hook). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass: confirm everything due (in batches), then expire old held facts. Never overlaps itself. */
  tick(): Promise<void> {
    if (this.running || this.stopped || !this.dataSource.isInitialized) return this.running ?? Promise.resolve();
    this.running = this.pass()
      .catch((error: unknown) => this.log.error({ err: error }, 'confirmation pass failed; retrying on the next tick'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    // Wait for the runtime to have migrated the schema and joined the group.
    if (!this.ready) this.ready = (await this.messaging.health.readiness()).ok;
    if (!this.ready) return;
    for (;;) {
      if (this.stopped) return;
      const taken = await this.confirmBatch();
      if (taken > 0) this.messaging.nudgeRelay();
      if (taken < this.config.ATTRIBUTION_CONFIRM_BATCH) break;
    }
    await this.dataSource.query(
      `UPDATE "attribution"."pending_adjustments" SET "state" = 'expired', "reason_code" = 'unknown-purchase'
       WHERE "state" = 'held' AND "received_at" < now() - make_interval(days => $1)`,
      [this.config.ATTRIBUTION_HELD_EXPIRY_DAYS],
    );
    for (;;) {
      if (this.stopped) return;
      const expired = await this.expireBatch();
      if (expired > 0) this.messaging.nudgeRelay();
      if (expired < this.config.ATTRIBUTION_CONFIRM_BATCH) break;
    }
  }

  /**
   * Earned rewards whose authorization has waited longer than its bank's window for a settlement
   * are reversed (authorization-expired): the advertiser is credited through the normal
   * reward.reversed path. Replicas share the rows through SKIP LOCKED; the expiry is a fact
   * (`expiry:authorization`), applied once.
   */
  private expireBatch(): Promise<number> {
    const { default: days, byBank } = this.config.authorizationExpiryDays();
    const unit = this.config.ATTRIBUTION_HOLD_UNIT_SECONDS;
    return this.dataSource.transaction(async (m) => {
      const due: { reward_id: string; now: Date }[] = await m.query(
        `SELECT r."reward_id", now() AS "now" FROM "attribution"."rewards" r
          LEFT JOIN unnest($1::text[], $2::int[]) AS b(bank, days) ON b.bank = r."bank_source"
          WHERE r."status" = 'earned' AND r."settled_at" IS NULL
            AND r."purchase_at" < now() - make_interval(secs => COALESCE(b.days, $3) * $4::float8)
          ORDER BY r."purchase_at" LIMIT $5 FOR UPDATE OF r SKIP LOCKED`,
        [Object.keys(byBank), Object.values(byBank), days, unit, this.config.ATTRIBUTION_CONFIRM_BATCH],
      );
      for (const { reward_id, now: dbNow } of due) {
        const now = new Date(dbNow).toISOString();
        const row = await loadRewardForUpdate(m, reward_id);
        if (!row) continue;
        const step = applyFact(stateOf(row), { kind: 'expiry', transactionId: EXPIRY_ID, at: now }, now);
        await persistStep(m, row, step, (items) => enqueueEvents(m, items), unit);
      }
      return due.length;
    });
  }

  private confirmBatch(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const due: { reward_id: string; now: Date }[] = await m.query(
        `SELECT "reward_id", now() AS "now" FROM "attribution"."confirmation_jobs" WHERE "due_at" <= now() ORDER BY "due_at" LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.config.ATTRIBUTION_CONFIRM_BATCH],
      );
      for (const { reward_id, now: dbNow } of due) {
        // the database clock decided the job is due; the reducer judges by the same clock
        const now = new Date(dbNow).toISOString();
        const row = await loadRewardForUpdate(m, reward_id);
        const step = row ? confirmIfDue(stateOf(row), now, this.config.ATTRIBUTION_HOLD_UNIT_SECONDS) : undefined;
        if (row && step) await persistStep(m, row, step, (items) => enqueueEvents(m, items), this.config.ATTRIBUTION_HOLD_UNIT_SECONDS);
        // Done unless still earned and not yet due (clock rounding: the next tick retries).
        if (!row || step?.state.status !== 'earned') await m.query(`DELETE FROM "attribution"."confirmation_jobs" WHERE "reward_id" = $1`, [reward_id]);
      }
      return due.length;
    });
  }
}
