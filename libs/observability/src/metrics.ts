import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; /metrics on the internal port serves it. */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

export function collectProcessMetrics(serviceName: string): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  metricsRegistry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: metricsRegistry });
}

function getOrCreate<T>(name: string, make: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

export const consumerMessages = getOrCreate(
  'prestanda_consumer_messages_total',
  () => new Counter({ name: 'prestanda_consumer_messages_total', help: 'Messages consumed, by outcome (processed, duplicate, dead-lettered)', labelNames: ['group', 'topic', 'outcome'], registers: [metricsRegistry] }),
);
export const consumerRetries = getOrCreate(
  'prestanda_consumer_retries_total',
  () => new Counter({ name: 'prestanda_consumer_retries_total', help: 'Handler attempts retried after an error, by kind (transient, handler)', labelNames: ['group', 'topic', 'kind'], registers: [metricsRegistry] }),
);
export const consumerBatchSeconds = getOrCreate(
  'prestanda_consumer_batch_seconds',
  () => new Histogram({ name: 'prestanda_consumer_batch_seconds', help: 'Time to apply one chunk of messages in one transaction', labelNames: ['group'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [metricsRegistry] }),
);
export const outboxPublished = getOrCreate(
  'prestanda_outbox_published_total',
  () => new Counter({ name: 'prestanda_outbox_published_total', help: 'Events published from the outbox', labelNames: ['schema', 'topic'], registers: [metricsRegistry] }),
);
export const outboxBacklog = getOrCreate(
  'prestanda_outbox_backlog',
  () => new Gauge({ name: 'prestanda_outbox_backlog', help: 'Rows waiting in the outbox after the last relay pass (after a full batch: max(id) - min(id) + 1 of the rows left, exact unless rolled-back inserts left gaps in the id sequence)', labelNames: ['schema'], registers: [metricsRegistry] }),
);
export const consumerStuckMessages = getOrCreate(
  'prestanda_consumer_stuck_messages_total',
  () =>
    new Counter({
      name: 'prestanda_consumer_stuck_messages_total',
      help: 'Messages stepped over because their dead letter could not be written; recorded in the stuck_messages table and re-driven later (alert on any increase)',
      labelNames: ['group', 'topic'],
      registers: [metricsRegistry],
    }),
);
export const consumerStuckPending = getOrCreate(
  'prestanda_consumer_stuck_messages_pending',
  () => new Gauge({ name: 'prestanda_consumer_stuck_messages_pending', help: 'Stuck messages not yet re-driven to their dead-letter topic', labelNames: ['group'], registers: [metricsRegistry] }),
);
export const consumerStalledPartitions = getOrCreate(
  'prestanda_consumer_stalled_partitions',
  () =>
    new Gauge({
      name: 'prestanda_consumer_stalled_partitions',
      help: 'Partitions holding messages with no progress for longer than KAFKA_STALL_AFTER_MS (readiness is red while above 0)',
      labelNames: ['group'],
      registers: [metricsRegistry],
    }),
);
export const consumerLag = getOrCreate(
  'prestanda_consumer_lag',
  () =>
    new Gauge({
      name: 'prestanda_consumer_lag',
      help: "Messages behind per partition: the partition's high watermark minus the group's committed offset (the whole partition when nothing is committed yet), read from the broker every KAFKA_LAG_INTERVAL_MS; every replica reports the whole group",
      labelNames: ['group', 'topic', 'partition'],
      registers: [metricsRegistry],
    }),
);
