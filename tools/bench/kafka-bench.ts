/**
 * bench:kafka — events per second through libs/kafka's InboxConsumer (validation + inbox +
 * one row per event, committed before the offset) against raw kafkajs eachBatch on the same
 * topic and data, in the same run; and Kafka's own ProducerPerformance as the machine's
 * ceiling. Writes bench-results/kafka.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ImpressionRecordedV1, newEnvelope } from '@prestanda/contracts';
import { createKafka, ensureTopics, InboxConsumer, deleteTopics } from '@prestanda/kafka';
import { createServiceDataSource, initializeDataSource } from '@prestanda/persistence';
import { Partitioners } from 'kafkajs';
import { MigrationInterface, QueryRunner } from 'typeorm';

const N = Number(process.env.BENCH_EVENTS ?? 20000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 4);
const suffix = randomUUID().slice(0, 8);
const topic = `bench.kafka.${suffix}`;
const schema = `bench_kafka_${suffix}`;

class CreateBenchEffects1764460000002 implements MigrationInterface {
  name = 'CreateBenchEffects1764460000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "${schema}"."effects" ("id" BIGSERIAL PRIMARY KEY, "event_id" uuid NOT NULL, "customer_id" text NOT NULL)`);
  }
  async down(): Promise<void> {}
}

async function produce(): Promise<void> {
  const kafka = createKafka('bench-producer');
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const at = new Date().toISOString();
  for (let i = 0; i < N; i += 2000) {
    const messages = Array.from({ length: Math.min(2000, N - i) }, (_, j) => {
      const customerId = `cust-${(i + j) % 5000}`;
      const event = newEnvelope(ImpressionRecordedV1, {
        source: 'ingestion',
        occurredAt: at,
        data: { impressionId: `imp-${i + j}`, customerId, campaignId: 'cmp-bench', publisherId: 'pub-bench', at, reportedBy: 'bank-bench', inboundEventId: randomUUID() },
      });
      return { key: customerId, value: JSON.stringify(event) };
    });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

async function rawKafkajs(): Promise<number> {
  const kafka = createKafka('bench-raw');
  const consumer = kafka.consumer({ groupId: `bench-raw-${suffix}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let started = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        if (!started) started = Date.now();
        for (const m of batch.messages) {
          JSON.parse(m.value!.toString());
          seen++;
        }
        resolveOffset(batch.lastOffset());
        await heartbeat();
        if (seen >= N) resolve();
      },
    });
  });
  await done;
  const seconds = (Date.now() - started) / 1000;
  await consumer.disconnect();
  return N / seconds;
}

async function inboxConsumer(mode: 'per-event' | 'batch'): Promise<number> {
  const dataSource = await initializeDataSource(createServiceDataSource({ schema, entities: [], migrations: [CreateBenchEffects1764460000002] }));
  const kafka = createKafka('bench-inbox');
  let seen = 0;
  let applied = 0;
  let started = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const consumer = new InboxConsumer({
    kafka,
    dataSource,
    groupId: `bench-inbox-${mode}-${suffix}`,
    service: 'bench',
    subscriptions: [{ topic, contract: 'impressions' }],
    partitionsConsumedConcurrently: 2,
    handlers:
      mode === 'per-event'
        ? {
            impressions: async (event, ctx) => {
              if (!started) started = Date.now();
              await ctx.manager.query(`INSERT INTO "${schema}"."effects" ("event_id", "customer_id") VALUES ($1, $2)`, [event.eventId, event.data.customerId]);
              applied++;
            },
          }
        : {},
    batchHandlers:
      mode === 'batch'
        ? {
            impressions: async (events, ctx) => {
              if (!started) started = Date.now();
              await ctx.manager.query(`INSERT INTO "${schema}"."effects" ("event_id", "customer_id") SELECT * FROM unnest($1::uuid[], $2::text[])`, [events.map((e) => e.eventId), events.map((e) => e.data.customerId)]);
              applied += events.length;
            },
          }
        : undefined,
    // Nothing fails in this run, so every applied event is committed by the next onCommitted.
    onCommitted: () => {
      seen = applied;
      if (seen >= N) resolveDone();
    },
  });
  await consumer.start();
  await done;
  const seconds = (Date.now() - started) / 1000;
  await consumer.stop();
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM "${schema}"."effects"`);
  if (n !== N) throw new Error(`expected ${N} rows, found ${n}`);
  await dataSource.query(`TRUNCATE "${schema}"."effects"`);
  await dataSource.destroy();
  return N / seconds;
}

function producerPerformance(): { recordsPerSec: number; line: string } | undefined {
  const cp = process.env.KAFKA_CLASSPATH;
  if (!cp) return undefined;
  const ppTopic = `bench.pp.${suffix}`;
  execFileSync('java', ['-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-Xmx512m', '-cp', cp, 'org.apache.kafka.tools.TopicCommand', '--bootstrap-server', process.env.KAFKA_BROKERS!, '--create', '--topic', ppTopic, '--partitions', String(PARTITIONS), '--replication-factor', '1']);
  const out = execFileSync('java', ['-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-Xmx512m', '-cp', cp, 'org.apache.kafka.tools.ProducerPerformance', '--topic', ppTopic, '--num-records', String(N * 4), '--record-size', '400', '--throughput', '-1', '--producer-props', `bootstrap.servers=${process.env.KAFKA_BROKERS}`, 'acks=all'], { encoding: 'utf8' });
  const line = out.trim().split('\n').pop() ?? '';
  const m = /([\d.]+) records\/sec/.exec(line);
  return m ? { recordsPerSec: Number(m[1]), line } : undefined;
}

async function dropBenchSchema(): Promise<void> {
  const ds = await createServiceDataSource({ schema, entities: [], migrations: [] }).initialize();
  await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds.destroy();
}

async function main(): Promise<void> {
  const kafka = createKafka('bench-admin');
  await ensureTopics(kafka, [{ name: topic, partitions: PARTITIONS }, { name: `${topic}.dlq`, partitions: 1 }]);
  await produce();
  const raw = await rawKafkajs();
  const inbox = await inboxConsumer('per-event');
  const inboxBatch = await inboxConsumer('batch');
  await dropBenchSchema();
  const pp = producerPerformance();
  await deleteTopics(kafka, [topic, `${topic}.dlq`, `bench.pp.${suffix}`]);
  const result = {
    date: new Date().toISOString(),
    events: N,
    partitions: PARTITIONS,
    rawKafkajsEventsPerSec: Math.round(raw),
    inboxConsumerEventsPerSec: Math.round(inbox),
    ratioInboxToRaw: Number((inbox / raw).toFixed(3)),
    inboxBatchHandlerEventsPerSec: Math.round(inboxBatch),
    ratioInboxBatchToRaw: Number((inboxBatch / raw).toFixed(3)),
    producerPerformanceRecordsPerSec: pp?.recordsPerSec,
    producerPerformance: pp?.line,
  };
  const dir = path.join(__dirname, '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'kafka.json'), JSON.stringify(result, null, 2));
  console.log(`\n| measure | events/s |\n|---|---|`);
  console.log(`| Kafka ProducerPerformance (ceiling, 400 B, acks=all) | ${pp?.recordsPerSec ?? 'n/a'} |`);
  console.log(`| raw kafkajs eachBatch (parse only) | ${result.rawKafkajsEventsPerSec} |`);
  console.log(`| libs/kafka InboxConsumer (validate + inbox + 1 row, commit after DB) | ${result.inboxConsumerEventsPerSec} |`);
  console.log(`| libs/kafka InboxConsumer, batch handler (validate + inbox + 1 multi-row INSERT per chunk) | ${result.inboxBatchHandlerEventsPerSec} |`);
  console.log(`\nratio inbox/raw: per-event ${result.ratioInboxToRaw}, batch ${result.ratioInboxBatchToRaw}  (${N} events, ${PARTITIONS} partitions)`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
