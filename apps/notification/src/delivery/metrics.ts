import { metricsRegistry } from '@prestanda/observability';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Channel } from '../entities';

/** Registered once per process on the shared registry (served on the health port's /metrics). */
function getOrCreate<T>(name: string, make: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

export type DeliveryOutcomeLabel = 'delivered' | 'failed' | 'dead' | 'skipped';
export const CHANNELS: readonly Channel[] = ['webhook', 'email'];

/** Deliveries that reached an end state, by channel and outcome. Skipped ones are counted when written (at enqueue, or at send time for a late opt-out). */
export const deliveriesTotal = getOrCreate(
  'prestanda_notification_deliveries_total',
  () =>
    new Counter({
      name: 'prestanda_notification_deliveries_total',
      help: 'Notification deliveries by channel and outcome (delivered, failed, dead, skipped)',
      labelNames: ['channel', 'outcome'],
      registers: [metricsRegistry],
    }),
);

/** Every send attempt, by channel and outcome (delivered, retry, failed, dead). */
export const deliveryAttemptsTotal = getOrCreate(
  'prestanda_notification_delivery_attempts_total',
  () =>
    new Counter({
      name: 'prestanda_notification_delivery_attempts_total',
      help: 'Notification send attempts by channel and outcome (delivered, retry, failed, dead)',
      labelNames: ['channel', 'outcome'],
      registers: [metricsRegistry],
    }),
);

/** Enqueue (row created) → delivered, retries and replays included. */
export const deliveryLatency = getOrCreate(
  'prestanda_notification_delivery_latency_seconds',
  () =>
    new Histogram({
      name: 'prestanda_notification_delivery_latency_seconds',
      help: 'Time from enqueue to delivered, retries included',
      labelNames: ['channel'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800, 3600, 21600, 86400],
      registers: [metricsRegistry],
    }),
);

/** Reads the pending (and in-flight) deliveries per channel at scrape time; set by the running dispatcher. */
export type PendingCounter = () => Promise<Partial<Record<Channel, number>>>;
let pendingSource: PendingCounter | undefined;

export function setPendingSource(source: PendingCounter | undefined): void {
  pendingSource = source;
}
export function pendingSourceIs(source: PendingCounter): boolean {
  return pendingSource === source;
}

export const pendingDeliveries = getOrCreate(
  'prestanda_notification_pending_deliveries',
  () =>
    new Gauge({
      name: 'prestanda_notification_pending_deliveries',
      help: 'Deliveries not yet ended (status pending or sending), by channel, at scrape time',
      labelNames: ['channel'],
      registers: [metricsRegistry],
      async collect() {
        if (!pendingSource) return;
        try {
          const counts = await pendingSource();
          for (const channel of CHANNELS) this.set({ channel }, counts[channel] ?? 0);
        } catch {
          // Database unreachable: keep the last value; readiness reports the database.
        }
      },
    }),
);
