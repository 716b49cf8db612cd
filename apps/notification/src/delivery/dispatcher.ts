import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { newEnvelope, NotificationDeliveredV1, NotificationFailedV1, Topic } from '@prestanda/contracts';
import { createLogger } from '@prestanda/observability';
import { enqueueEvents } from '@prestanda/persistence';
import { MessagingRuntime } from '@prestanda/service-kit';
import { DataSource, EntityManager, In } from 'typeorm';
import { NotificationEnv } from '../config';
import { Channel, CustomerPreference, Delivery, Recipient } from '../entities';
import { backoffDelayMs, outcomeOf, SendResult } from './backoff';
import { bankOfDelivery, customerKey } from './customer-bank';
import { CHANNELS, deliveriesTotal, deliveryAttemptsTotal, deliveryLatency, PendingCounter, pendingSourceIs, setPendingSource } from './metrics';
import { EmailSender, NOTIFICATION_CONFIG, WebhookSender } from './senders';

/** Queued first, sent first; rows queued in one transaction (same created_at) in reward lifecycle order. */
const LIFECYCLE_RANK: Record<string, number> = { 'reward.earned': 0, 'reward.confirmed': 1, 'reward.reversed': 2, 'reward.reinstated': 3, 'reward.paid': 4 };
export function inLifecycleOrder(a: Pick<Delivery, 'createdAt' | 'sourceEventType'>, b: Pick<Delivery, 'createdAt' | 'sourceEventType'>): number {
  const t = new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime();
  if (t !== 0) return t;
  return (LIFECYCLE_RANK[a.sourceEventType] ?? 9) - (LIFECYCLE_RANK[b.sourceEventType] ?? 9);
}

/**
 * The send lane of a delivery: one customer's messages to one recipient on one channel go one after
 * another. A customer is (bank, customer id) — a publisher's app can serve the same "c-1001" of two
 * banks, and those are two lanes. A delivery about no customer is a lane of its own.
 */
export function sendLane(d: Pick<Delivery, 'id' | 'recipientKind' | 'recipientId' | 'channel' | 'customerId' | 'customerBank' | 'payload'>): string {
  const customer = d.customerId ? customerKey(bankOfDelivery(d) ?? '', d.customerId) : null;
  return JSON.stringify([d.recipientKind, d.recipientId, d.channel, customer ?? d.id]);
}

/** One send's result, to be recorded. */
interface Sent {
  delivery: Delivery;
  result: SendResult;
  startedAt: Date;
  latencyMs: number;
}

/**
 * Sends due deliveries. Claims a batch with FOR UPDATE SKIP LOCKED and a lease (status "sending",
 * lease_until), sends outside any transaction, then records the round's attempts and new states in one
 * transaction — with a notification.delivered / notification.failed outbox event for each that ended.
 * Several replicas share the table safely; a replica that dies mid-send leaves a lease that expires.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = createLogger('notification');
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A nudge arrived while a round was running: go round again at once instead of waiting. */
  private nudged = false;
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
    // A committed reward chunk queued deliveries: send them now, not at the next poll.
    this.runtime.onConsumerCommit(() => this.nudge());
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

  /**
   * Look for due deliveries now (new work was committed, or a replay). Nudges coalesce: however
   * many arrive during a round, the loop goes round once more, then waits again.
   */
  nudge(): void {
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  /** The loop is between rounds, waiting for a nudge or the poll. */
  get waiting(): boolean {
    return this.wake !== undefined;
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
      if (claimed < this.config.DISPATCH_BATCH_SIZE && !this.nudged) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.config.DISPATCH_POLL_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
      this.nudged = false;
    }
  }

  /**
   * One round: claim, load, send, record. Set-based so a round costs the same few round trips
   * however many deliveries it claimed: one query each for the customers' preferences and the
   * recipients, one UPDATE for the late opt-outs, and one transaction recording every result.
   * Returns how many deliveries it claimed.
   */
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
    const toSend = await this.skipOptedOut(deliveries);
    const recipients = await this.recipientsOf(toSend);
    // One customer's messages to one recipient go out one after another, in the order they
    // happened ("cashback earned" before "cashback taken back"); different customers at once.
    const lanes = new Map<string, Delivery[]>();
    for (const d of [...toSend].sort(inLifecycleOrder)) {
      const lane = sendLane(d);
      lanes.set(lane, [...(lanes.get(lane) ?? []), d]);
    }
    const sent = (
      await Promise.all(
        [...lanes.values()].map(async (lane) => {
          const out: Sent[] = [];
          for (const d of lane) out.push(await this.send(d, recipients.get(`${d.recipientKind}:${d.recipientId}`) ?? null));
          return out;
        }),
      )
    ).flat();
    await this.record(sent);
    return rows.length;
  }

  /**
   * An opt-out that arrived after a delivery was queued still counts: those are skipped, the rest
   * returned. The customer is (bank, customer id): another bank's customer with the same id is not asked.
   */
  private async skipOptedOut(deliveries: Delivery[]): Promise<Delivery[]> {
    const about = new Map<Delivery, string>();
    const banks = new Set<string>();
    const customers = new Set<string>();
    for (const d of deliveries) {
      const bank = bankOfDelivery(d);
      if (!d.customerId || bank === null) continue;
      about.set(d, customerKey(bank, d.customerId));
      banks.add(bank);
      customers.add(d.customerId);
    }
    if (about.size === 0) return deliveries;
    // Every (bank, customer) of the round is among these; the map below picks each one's own row.
    const prefs = await this.dataSource.getRepository(CustomerPreference).findBy({ bankSource: In([...banks]), customerId: In([...customers]) });
    const prefOf = new Map(prefs.map((p) => [customerKey(p.bankSource, p.customerId), p]));
    const optedOut = (d: Delivery) => {
      const key = about.get(d);
      const pref = key === undefined ? undefined : prefOf.get(key);
      return (d.channel === 'webhook' && !!pref?.optOutWebhook) || (d.channel === 'email' && !!pref?.optOutEmail);
    };
    const skip = deliveries.filter(optedOut);
    if (skip.length === 0) return deliveries;
    const [skipped]: [{ channel: Channel }[], number] = await this.dataSource.query(
      `UPDATE "notification"."deliveries" SET status = 'skipped', skip_reason = 'customer-opted-out', lease_until = NULL, updated_at = now()
       WHERE id = ANY($1) AND status = 'sending'
       RETURNING channel`,
      [skip.map((d) => d.id)],
    );
    for (const row of skipped) deliveriesTotal.inc({ channel: row.channel, outcome: 'skipped' });
    for (const d of skip) this.log.info({ deliveryId: d.id, customerBank: bankOfDelivery(d), customerId: d.customerId }, 'delivery skipped: customer opted out');
    return deliveries.filter((d) => !optedOut(d));
  }

  /** The recipients of the deliveries, by "<kind>:<id>". */
  private async recipientsOf(deliveries: Delivery[]): Promise<Map<string, Recipient>> {
    const keys = new Map(deliveries.map((d) => [`${d.recipientKind}:${d.recipientId}`, { kind: d.recipientKind, id: d.recipientId }]));
    if (keys.size === 0) return new Map();
    const recipients = await this.dataSource.getRepository(Recipient).find({ where: [...keys.values()] });
    return new Map(recipients.map((r) => [`${r.kind}:${r.id}`, r]));
  }

  /** One send, outside any transaction; a throwing sender is a retryable failure. */
  private async send(delivery: Delivery, recipient: Recipient | null): Promise<Sent> {
    const startedAt = new Date();
    const t0 = performance.now();
    let result: SendResult;
    try {
      result = delivery.channel === 'webhook' ? await this.webhook.send(delivery, recipient) : await this.email.send(delivery, recipient);
    } catch (error) {
      result = { ok: false, error: String((error as Error).message ?? error).slice(0, 300), retryable: true };
    }
    return { delivery, result, startedAt, latencyMs: Math.round(performance.now() - t0) };
  }

  /**
   * Records a round's results in one transaction: every attempt is logged, but a delivery's state
   * changes only where the lease still holds (still "sending" with the attempts it was claimed
   * with) — one that lost its lease to another replica is left to that one. A won delivery that
   * ended gets its notification.delivered / notification.failed outbox event.
   */
  private async record(sent: Sent[]): Promise<void> {
    if (sent.length === 0) return;
    const attempts = sent.map(({ delivery, result, startedAt, latencyMs }) => {
      const runAttempts = delivery.runAttempts + 1;
      const outcome = outcomeOf(result, runAttempts, this.config.DISPATCH_MAX_ATTEMPTS);
      const next = outcome === 'retry' ? new Date(Date.now() + backoffDelayMs(runAttempts, this.config.DISPATCH_BACKOFF_BASE_MS, this.config.DISPATCH_BACKOFF_MAX_MS)) : new Date();
      return { delivery, result, startedAt, latencyMs, attempt: delivery.attempts + 1, runAttempts, outcome, next, error: result.ok ? null : (result.error ?? 'failed') };
    });
    const won = await this.dataSource.transaction(async (m: EntityManager) => {
      const [updated]: [{ id: string }[], number] = await m.query(
        `UPDATE "notification"."deliveries" d SET status = x.status, attempts = x.attempt, run_attempts = x.run_attempts, next_attempt_at = x.next_attempt_at, lease_until = NULL,
           last_status_code = x.status_code, last_error = x.error, last_attempt_at = x.started_at, updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::timestamptz[], $6::int[], $7::text[], $8::timestamptz[])
           AS x(id, status, attempt, run_attempts, next_attempt_at, status_code, error, started_at)
         WHERE d.id = x.id AND d.status = 'sending' AND d.attempts = x.attempt - 1
         RETURNING d.id`,
        [
          attempts.map((a) => a.delivery.id),
          attempts.map((a) => (a.outcome === 'retry' ? 'pending' : a.outcome)),
          attempts.map((a) => a.attempt),
          attempts.map((a) => a.runAttempts),
          attempts.map((a) => a.next.toISOString()),
          attempts.map((a) => a.result.statusCode ?? null),
          attempts.map((a) => a.error),
          attempts.map((a) => a.startedAt.toISOString()),
        ],
      );
      await m.query(
        `INSERT INTO "notification"."delivery_attempts" (delivery_id, attempt, started_at, latency_ms, status_code, error, outcome)
         SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::text[])`,
        [
          attempts.map((a) => a.delivery.id),
          attempts.map((a) => a.attempt),
          attempts.map((a) => a.startedAt.toISOString()),
          attempts.map((a) => a.latencyMs),
          attempts.map((a) => a.result.statusCode ?? null),
          attempts.map((a) => a.error),
          attempts.map((a) => a.outcome),
        ],
      );
      const wonIds = new Set(updated.map((r) => r.id));
      await enqueueEvents(
        m,
        attempts.filter((a) => a.outcome !== 'retry' && wonIds.has(a.delivery.id)).map((a) => this.outcomeEvent(a.delivery, a.result, a.attempt, a.startedAt)),
      );
      return wonIds;
    });
    let ended = false;
    for (const { delivery, result, outcome, attempt, latencyMs } of attempts) {
      deliveryAttemptsTotal.inc({ channel: delivery.channel, outcome });
      if (won.has(delivery.id) && outcome !== 'retry') {
        ended = true;
        deliveriesTotal.inc({ channel: delivery.channel, outcome });
        if (outcome === 'delivered') deliveryLatency.observe({ channel: delivery.channel }, Math.max(0, Date.now() - new Date(delivery.createdAt).getTime()) / 1000);
      }
      this.log.info({ deliveryId: delivery.id, attempt, outcome, statusCode: result.statusCode, error: result.error, latencyMs }, 'delivery attempt');
    }
    if (ended) this.runtime.nudgeRelay();
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
