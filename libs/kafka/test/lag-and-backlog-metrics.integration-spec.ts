import { consumerLag, metricsRegistry, outboxBacklog } from '@prestanda/observability';
import { createServiceDataSource, enqueueEvents, initializeDataSource } from '@prestanda/persistence';
import { createTestTopics, dropSchema, eventually, testDatabaseUrl, testKafka, uniqueSuffix } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { ConsumerLagMonitor } from '../src/consumer-lag';
import { EventProducer } from '../src/event-producer';
import { InboxConsumer } from '../src/inbox-consumer';
import { OutboxRelay } from '../src/outbox-relay';
import { CreateEffects1764460000001 } from './fixtures/effects.migration';
import { impressionEvent } from './fixtures/events';

const kafka = testKafka();

async function gaugeValue(gauge: { get(): Promise<{ values: { labels: Record<string, string | number>; value: number }[] }> }, labels: Record<string, string>): Promise<number | undefined> {
  const { values } = await gauge.get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

describe('consumer lag and outbox backlog gauges (real broker and database)', () => {
  const suffix = uniqueSuffix();
  const schema = `t_metrics_${suffix}`;
  let dataSource: DataSource;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    dataSource = await initializeDataSource(createServiceDataSource({ schema, entities: [], migrations: [CreateEffects1764460000001], url: testDatabaseUrl() }));
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await dataSource?.destroy();
    await dropSchema(schema);
  });

  it('reports the lag of unconsumed messages per partition, and 0 once the consumer caught up', async () => {
    const topic = `test.lag.${suffix}`;
    const group = `test-lag-${suffix}`;
    await createTestTopics(kafka, [topic], 2);
    const producer = new EventProducer(kafka);
    await producer.connect();
    stops.push(() => producer.disconnect());
    await producer.send(topic as 'impressions', Array.from({ length: 10 }, (_, i) => ({ key: `cust-${i}`, event: impressionEvent(`cust-${i}`) })));
    const admin = kafka.admin();
    await admin.connect();
    const highs = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
    await admin.disconnect();
    expect(highs.reduce((a, b) => a + b, 0)).toBe(10);

    const monitor = new ConsumerLagMonitor({ kafka, groupId: group, topics: [topic], intervalMs: 100 });
    await monitor.start();
    stops.push(() => monitor.stop());
    const lagOf = async (partition: number) => gaugeValue(consumerLag, { group, topic, partition: String(partition) });
    // Nothing consumed yet: the group's lag is everything on the topic, on the interval.
    await eventually(async () => expect([await lagOf(0), await lagOf(1)]).toEqual(highs), { timeoutMs: 30000 });
    // …and it is on the metrics endpoint.
    const exposed = await metricsRegistry.metrics();
    highs.forEach((high, partition) => expect(exposed).toContain(`prestanda_consumer_lag{group="${group}",topic="${topic}",partition="${partition}"} ${high}`));

    const consumer = new InboxConsumer({
      kafka,
      dataSource,
      groupId: group,
      service: 'test',
      subscriptions: [{ topic, contract: 'impressions' }],
      onFatal: (e) => {
        throw e;
      },
      handlers: { impressions: async (e, ctx) => void (await ctx.manager.query(`INSERT INTO "${schema}"."effects" ("event_id", "customer_id") VALUES ($1, $2)`, [e.eventId, e.data.customerId])) },
    });
    await consumer.start();
    stops.push(() => consumer.stop());
    await eventually(async () => expect([await lagOf(0), await lagOf(1)]).toEqual([0, 0]), { timeoutMs: 60000 });
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM "${schema}"."effects"`);
    expect(n).toBe(10);
  });

  it('reports the rows left in the outbox after a full pass, beyond one batch, and 0 once drained', async () => {
    const topic = `test.backlog.${suffix}`;
    await createTestTopics(kafka, [topic], 1);
    await dataSource.transaction((manager) =>
      enqueueEvents(
        manager,
        Array.from({ length: 1300 }, (_, i) => ({ topic: topic as 'impressions', key: `cust-${i % 7}`, event: impressionEvent(`cust-${i % 7}`) })),
      ),
    );
    // Every value the relay sets for this schema, in order (the real gauge, observed).
    const set = jest.spyOn(outboxBacklog, 'set');
    const seen = () => (set.mock.calls as unknown as [{ schema?: string }, number][]).filter(([labels]) => labels.schema === schema).map(([, value]) => value);
    const relay = new OutboxRelay({ kafka, dataSource, batchSize: 500, pollIntervalMs: 50 });
    await relay.start();
    stops.push(() => relay.stop());
    await eventually(() => expect(seen()).toContain(0), { timeoutMs: 30000 });
    // 1300 rows in batches of 500: 800 left, then 300, then none (not the old 500, 500, 0).
    expect(seen().slice(0, 3)).toEqual([800, 300, 0]);
    expect(await gaugeValue(outboxBacklog, { schema })).toBe(0);
    set.mockRestore();
  });

  it('shows the backlog while nothing can be published (the topic does not exist)', async () => {
    const missing = `test.missing.${suffix}`;
    const failing = await initializeDataSource(createServiceDataSource({ schema: `${schema}_f`, entities: [], migrations: [], url: testDatabaseUrl() }));
    stops.push(async () => {
      await failing.destroy();
      await dropSchema(`${schema}_f`);
    });
    await failing.transaction((manager) => enqueueEvents(manager, Array.from({ length: 42 }, () => ({ topic: missing as 'impressions', key: 'k', event: impressionEvent('k') }))));
    const relay = new OutboxRelay({ kafka, dataSource: failing, batchSize: 500, pollIntervalMs: 50 });
    await relay.start();
    stops.push(() => relay.stop());
    await eventually(async () => expect(await gaugeValue(outboxBacklog, { schema: `${schema}_f` })).toBe(42), { timeoutMs: 90000, intervalMs: 250 });
  });
});
