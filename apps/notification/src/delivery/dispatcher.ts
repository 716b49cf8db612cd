import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { newEnvelope, NotificationDeliveredV1, NotificationFailedV1, Topic } from '@prestanda/contracts';
import { createLogger } from '@prestanda/observability';
import { enqueueEvents } from '@prestanda/persistence';
import { MessagingRuntime } from '@prestanda/service-kit';
import { DataSource, EntityManager, In } from 'typeorm';
import { NotificationEnv } from '../config';
import { CustomerPreference, Delivery, DeliveryAttempt, Recipient } from '../entities';
import { backoffDelayMs, outcomeOf, SendResult } from './backoff';
import { CHANNELS, deliveriesTotal, deliveryAttemptsTotal, deliveryLatency, PendingCounter, pendingSourceIs, setPendingSource } from './metrics';
import { EmailSender, NOTIFICATION_CONFIG, WebhookSender } from './senders';

/**
 * Sends due deliveries. Claims a batch with FOR UPDATE SKIP LOCKED and a lease (status "sending",
 * lease_until), sends outside any transaction, then records the attempt and the new state in one
 * transaction — with a notification.delivered / notification.failed outbox event when it ends.
 * Several replicas share the table safely; a replica that dies mid-send leaves a lease that expires.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = createLogger('notification');
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** When the loop last finished an iteration (a tick or a wait), for the readiness check. */
  private lastBeat = 0;
  private consecutiveErrors = 0;
  private readonly countPending: PendingCounter = async () => {
    if (!(await this.ready())) return {};
    const rows: { channel: string; n: number }[] = await this.dataSource.query(
      `SELECT channel, count(*)::int AS n FROM "notification"."deliveries" WHERE status IN ('pending', 'sending') GROUP BY channel`,
    );
    return Object.fromEntries(rows.filter((r) => (CHANNELS as readonly string[]).includes(r.channel)).map((r) => [r.channel, r.n]));
  };

  constructor(
    @Inject(NOTIFICATION_CONFIG) private readonly config: NotificationEnv,
    private readonly dataSource: DataSource,
    private readonly runtime: MessagingRuntime,
    private readonly webhook: WebhookSender,
    private readonly email: EmailSender,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.lastBeat = Date.now();
    this.runtime.health.addCheck(async () => this.health());
    setPendingSource(this.countPending);
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    if (pendingSourceIs(this.countPending)) setPendingSource(undefined);
    this.wake?.();
    await this.loop;
  }

  /**
   * Readiness: the loop is running and has come round within a lease (+ one poll). A round that
   * takes longer than the lease has lost its claims anyway; a stuck loop takes the replica out.
   */
  health(now: number = Date.now()): { name: string; ok: boolean; detail?: string } {
    if (!this.running) return { name: 'dispatcher', ok: false, detail: 'stopped' };
    const age = now - this.lastBeat;
    const limit = this.config.DISPATCH_LEASE_MS + this.config.DISPATCH_POLL_MS + 5000;
    if (age > limit) return { name: 'dispatcher', ok: false, detail: `no round for ${age} ms` };
    return { name: 'dispatcher', ok: true, ...(this.consecutiveErrors > 0 ? { detail: `${this.consecutiveErrors} failed rounds in a row` } : {}) };
  }

  /** Look for due deliveries now (after a replay). */
  nudge(): void {
    this.wake?.();
  }

  private migrated = false;

  /** The runtime migrates the schema during bootstrap; the loop waits for it instead of racing it. */
  private async ready(): Promise<boolean> {
    if (this.migrated) return true;
    if (!this.dataSource.isInitialized) return false;
    const [row]: { ok: boolean }[] = await this.dataSource.query(`SELECT to_regclass('"notification"."delivery_attempts"') IS NOT NULL AS ok`);
    this.migrated = row.ok;
    return this.migrated;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        if (await this.ready()) claimed = await this.tick();
        this.consecutiveErrors = 0;
      } catch (error) {
        this.consecutiveErrors += 1;
        this.log.error({ err: error }, 'dispatcher tick failed');
      }
      this.lastBeat = Date.now();
      if (!this.running) break;
      if (claimed < this.config.DISPATCH_BATCH_SIZE) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.config.DISPATCH_POLL_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** One round: claim, send, record. Returns how many deliveries it claimed. */
  async tick(): Promise<number> {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE "notification"."deliveries" d SET status = 'sending', lease_until = now() + ($2 || ' milliseconds')::interval, updated_at = now()
       WHERE d.id IN (
         SELECT id FROM "notification"."deliveries"
         WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING d.id`,
      [this.config.DISPATCH_BATCH_SIZE, String(this.config.DISPATCH_LEASE_MS)],
    );
    if (rows.length === 0) return 0;
    const deliveries = await this.dataSource.getRepository(Delivery).findBy({ id: In(rows.map((r) => r.id)) });
    await Promise.all(deliveries.map((d) => this.deliver(d).catch((error) => this.log.error({ err: error, deliveryId: d.id }, 'delivery round failed'))));
    return rows.length;
  }

  private async deliver(delivery: Delivery): Promise<void> {
    // An opt-out that arrived after the delivery was queued still counts.
    if (delivery.customerId) {
      const pref = await this.dataSource.getRepository(CustomerPreference).findOneBy({ customerId: delivery.customerId });
      if ((delivery.channel === 'webhook' && pref?.optOutWebhook) || (delivery.channel === 'email' && pref?.optOutEmail)) {
        const [, skipped]: [unknown[], number] = await this.dataSource.query(
          `UPDATE "notification"."deliveries" SET status = 'skipped', skip_reason = 'customer-opted-out', lease_until = NULL, updated_at = now() WHERE id = $1 AND status = 'sending'`,
          [delivery.id],
        );
        if (skipped > 0) deliveriesTotal.inc({ channel: delivery.channel, outcome: 'skipped' });
        this.log.info({ deliveryId: delivery.id, customerId: delivery.customerId }, 'delivery skipped: customer opted out');
        return;
      }
    }
    const recipient = await this.dataSource.getRepository(Recipient).findOneBy({ kind: delivery.recipientKind, id: delivery.recipientId });
    const startedAt = new Date();
    const t0 = performance.now();
    let result: SendResult;
    try {
      result = delivery.channel === 'webhook' ? await this.webhook.send(delivery, recipient) : await this.email.send(delivery, recipient);
    } catch (error) {
      result = { ok: false, error: String((error as Error).message ?? error).slice(0, 300), retryable: true };
    }
    const latencyMs = Math.round(performance.now() - t0);
    await this.record(delivery, result, startedAt, latencyMs);
  }

  private async record(delivery: Delivery, result: SendResult, startedAt: Date, latencyMs: number): Promise<void> {
    const attempts = delivery.attempts + 1;
    const runAttempts = delivery.runAttempts + 1;
    const outcome = outcomeOf(result, runAttempts, this.config.DISPATCH_MAX_ATTEMPTS);
    const next = outcome === 'retry' ? new Date(Date.now() + backoffDelayMs(runAttempts, this.config.DISPATCH_BACKOFF_BASE_MS, this.config.DISPATCH_BACKOFF_MAX_MS)) : new Date();
    const status = outcome === 'retry' ? 'pending' : outcome;
    const terminal = outcome !== 'retry';
    const won = await this.dataSource.transaction(async (m: EntityManager) => {
      const updated: [unknown[], number] = await m.query(
        `UPDATE "notification"."deliveries" SET status = $2, attempts = $3, run_attempts = $4, next_attempt_at = $5, lease_until = NULL,
           last_status_code = $6, last_error = $7, last_attempt_at = $8, updated_at = now()
         WHERE id = $1 AND status = 'sending' AND attempts = $9`,
        [delivery.id, status, attempts, runAttempts, next, result.statusCode ?? null, result.ok ? null : (result.error ?? 'failed'), startedAt, delivery.attempts],
      );
      await m.getRepository(DeliveryAttempt).insert({
        deliveryId: delivery.id,
        attempt: attempts,
        startedAt,
        latencyMs,
        statusCode: result.statusCode ?? null,
        error: result.ok ? null : (result.error ?? 'failed'),
        outcome,
      });
      if (updated[1] === 0) return false; // lost the lease to another replica: log the attempt, leave the state to it
      if (terminal) await enqueueEvents(m, [this.outcomeEvent(delivery, result, attempts, startedAt)]);
      return true;
    });
    deliveryAttemptsTotal.inc({ channel: delivery.channel, outcome });
    if (won && terminal) {
      deliveriesTotal.inc({ channel: delivery.channel, outcome });
      if (outcome === 'delivered') deliveryLatency.observe({ channel: delivery.channel }, Math.max(0, Date.now() - new Date(delivery.createdAt).getTime()) / 1000);
    }
    if (terminal) this.runtime.nudgeRelay();
    this.log.info({ deliveryId: delivery.id, attempt: attempts, outcome, statusCode: result.statusCode, error: result.error, latencyMs }, 'delivery attempt');
  }

  private outcomeEvent(d: Delivery, result: SendResult, attempts: number, at: Date) {
    const fields = {
      deliveryId: d.id,
      sourceEventId: d.sourceEventId,
      sourceEventType: d.sourceEventType,
      recipient: { kind: d.recipientKind, id: d.recipientId },
      channel: d.channel,
      template: d.template,
      attempts,
      lastAttemptAt: at.toISOString(),
      ...(result.statusCode !== undefined ? { httpStatus: result.statusCode } : {}),
    };
    const event = result.ok
      ? newEnvelope(NotificationDeliveredV1, { source: 'notification', occurredAt: at, data: { ...fields, status: 'delivered' } })
      : newEnvelope(NotificationFailedV1, { source: 'notification', occurredAt: at, data: { ...fields, status: 'failed', error: result.error ?? 'failed' } });
    return { topic: Topic.Notifications, key: d.recipientId, event };
  }
}
