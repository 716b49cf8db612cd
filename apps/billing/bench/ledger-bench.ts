/**
 * Ledger benchmark: postings per second through the billing consumer (N reward.earned events
 * produced to `rewards`, timed until all N are posted) against plain INSERTs of the same rows
 * (one ledger transaction + its four entries per reward, 250 per database transaction) in the
 * same run. Prints both rates and their ratio.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/prestanda_test KAFKA_BROKERS=127.0.0.1:9092 \
 *   BENCH_N=2000 node -r @swc-node/register apps/billing/bench/ledger-bench.ts
 *
 * Uses its own topic prefix and consumer group; writes to the `billing` schema of DATABASE_URL
 * (campaign and reward ids are unique per run), so point it at a scratch database.
 */
import { randomUUID } from 'node:crypto';
import { TOPIC_SPECS } from '@prestanda/contracts';
import { createKafka, deleteTopics, ensureTopics, EventProducer, physicalTopic } from '@prestanda/kafka';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadBillingConfig } from '../src/config';
import { campaignSnapshot, earned } from '../test/helpers';

const round2 = (n: number) => Math.round(n * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(50);
  }
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 2000);
  const run = randomUUID().replace(/-/g, '').slice(0, 8);
  process.env.KAFKA_TOPIC_PREFIX = `bench${run}.`;
  process.env.KAFKA_GROUP_SUFFIX = `.bench${run}`;
  process.env.LOG_LEVEL ??= 'warn';
  const kafka = createKafka('billing-bench');
  const specs = TOPIC_SPECS.filter((s) => ['rewards', 'campaigns', 'conversions', 'clicks', 'leads', 'impressions', 'budget-events', 'payouts'].includes(s.name)).flatMap((s) => [
    { name: s.name, partitions: s.partitions, config: { ...s.config } },
    { name: `${s.name}.dlq`, partitions: 1, config: {} },
  ]);
  await ensureTopics(kafka, specs);
  const config = loadBillingConfig({ ...process.env, HTTP_PORT: '0', HEALTH_PORT: '0' });
  const app = await createServiceApp(AppModule.forRoot(config), { service: 'billing', title: 'bench', httpPort: 0 });
  await app.init();
  const producer = new EventProducer(kafka);
  try {
    await waitFor(async () => (await app.get(MessagingRuntime).health.readiness()).ok, 60000);
    const ds = app.get(DataSource);
    await producer.connect();
    const adv = `adv-bench-${run}`;
    const cmp = `cmp-bench-${run}`;
    await producer.send('campaigns', [{ key: cmp, event: campaignSnapshot(cmp, adv, { budget: 1_000_000_000_000 }) }]);
    await waitFor(async () => (await ds.query(`SELECT 1 FROM "billing"."budgets" WHERE "campaign_id"=$1`, [cmp])).length > 0, 30000);

    const events = Array.from({ length: n }, (_, i) =>
      earned({ rewardId: `rwd-bench-${run}-${i}`, campaignId: cmp, advertiserId: adv, customerId: `cust-bench-${i % 500}`, amount: 1_000, fee: 200, share: 60 }),
    );
    const started = process.hrtime.bigint();
    for (let i = 0; i < events.length; i += 500) {
      await producer.send('rewards', events.slice(i, i + 500).map((event) => ({ key: event.data.customerId, event })));
    }
    const count = async () => Number((await ds.query(`SELECT count(*)::int AS n FROM "billing"."ledger_transactions" WHERE "campaign_id"=$1`, [cmp]))[0].n);
    await waitFor(async () => (await count()) >= n, 600000);
    const consumerSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    // Plain INSERTs of the same rows into scratch copies of the tables, same chunking.
    const qr = ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.query(`CREATE TEMP TABLE bench_tx (LIKE "billing"."ledger_transactions" INCLUDING ALL)`);
      await qr.query(`CREATE TEMP TABLE bench_entries (LIKE "billing"."ledger_entries" INCLUDING ALL)`);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i += 250) {
        await qr.startTransaction();
        for (let j = i; j < Math.min(n, i + 250); j++) {
          const id = randomUUID();
          await qr.query(
            `INSERT INTO bench_tx ("id","source_id","kind","advertiser_id","campaign_id","pricing_model","reward_id","currency","units","cost_minor","fee_minor","occurred_at","created_at")
             VALUES ($1,$2,'reward-earned',$3,$4,'CPA',$2,'SEK',1,1000,200,now(),now())`,
            [id, `rwd-plain-${run}-${j}`, adv, cmp],
          );
          await qr.query(
            `INSERT INTO bench_entries ("transaction_id","account_id","currency","amount_minor") VALUES ($1,$2,'SEK',1200),($1,$3,'SEK',-1000),($1,$4,'SEK',-60),($1,$5,'SEK',-140)`,
            [id, `advertiser-receivable:${adv}:SEK`, `customer-cashback-pending:bank-test:cust-${j % 500}:SEK`, 'publisher-payable:pub-bank-test:SEK', 'platform-revenue:platform:SEK'],
          );
        }
        await qr.commitTransaction();
      }
      const plainSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const consumerRate = n / consumerSeconds;
      const plainRate = n / plainSeconds;
      console.log(`postings: ${n}`);
      console.log(`billing consumer (produce → posted, incl. inbox, budget lock, accounts, rewards row): ${round2(consumerSeconds)} s = ${Math.round(consumerRate)} postings/s`);
      console.log(`plain INSERT (1 transaction row + 4 entries per posting, 250 per commit):            ${round2(plainSeconds)} s = ${Math.round(plainRate)} postings/s`);
      console.log(`ratio plain / consumer: ${round2(plainRate / consumerRate)}x`);
    } finally {
      await qr.release();
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
    await app.close();
    await deleteTopics(kafka, specs.map((s) => physicalTopic(s.name))).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
