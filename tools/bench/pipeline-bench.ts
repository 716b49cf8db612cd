/**
 * bench:pipeline — the whole platform under load, in one run on one broker and database:
 *  1. the ceiling: Kafka's ProducerPerformance / ConsumerPerformance and a raw kafkajs
 *     produce→consume pass-through of the same number and size of messages;
 *  2. the pipeline: card transactions per second from inbound.card-transactions through
 *     ingestion, offer-matching, attribution, billing and notification (every service its own
 *     process), and the latency from produce to the reward webhook at the bank (p50/p95/p99/max);
 *  3. the ratio of (2) to (1).
 * Results are checked (at most one reward per purchase and campaign, every match decided exactly
 * once by attribution — rewarded or declined with a reason — every reward notified once, ledger
 * balanced) before speed is reported.
 *
 * BENCH_TRANSACTIONS: card transactions in the main run (default 100,000); BENCH_CAMPAIGNS (10,000);
 * BENCH_PARTITIONS (4); BENCH_OFF_NETWORK: share of purchases at merchants no campaign covers
 * (default 0.8 — a bank's feed is mostly spending elsewhere); BENCH_STEADY_SECONDS (20) and
 * BENCH_STEADY_RATE (purchases/s; default half the measured rate) for the steady-rate latency
 * phase. The sweep (BENCH_SWEEP=0 leaves it out) re-runs with BENCH_SWEEP_TRANSACTIONS (10,000)
 * card transactions at BENCH_SWEEP_PARTITIONS (1,2,4) with BENCH_SWEEP_PARTITION_CAMPAIGNS (1,000)
 * campaigns, and at BENCH_SWEEP_CAMPAIGNS (100,000) with the main run's partitions; the main run
 * is the 10,000-campaign point.
 */
import { execFileSync } from 'node:child_process';
import { cpuSecondsOf, infraCpuSeconds } from './process-cpu';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import path from 'node:path';
import { DLQ_TOPIC_SPECS, TOPIC_SPECS } from '@prestanda/contracts';
import { signLocalToken } from '@prestanda/auth';
import { createKafka, deleteTopics, ensureTopics, physicalTopic } from '@prestanda/kafka';
import { groupLag, startPlatform, TopicReader } from '@prestanda/testing';
import { Client } from 'pg';
import { Partitioners } from 'kafkajs';
import { publishWorld, runLoad } from '../loadgen/loadgen';
import { syntheticWorld } from '../loadgen/world';
import { EventProducer } from '@prestanda/kafka';

const JWT_SECRET = randomUUID();
const BANK_SOURCE = 'bank-demo-se';
const GROUPS: Record<string, string[]> = {
  'prestanda.ingestion': ['inbound.card-transactions', 'inbound.impressions', 'inbound.clicks'],
  'prestanda.offer-matching': ['card-transactions', 'campaigns'],
  'prestanda.attribution': ['offer-matches', 'card-transactions', 'impressions', 'clicks'],
  'prestanda.billing': ['rewards', 'conversions'],
  'prestanda.notification': ['rewards'],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function withAdminDb<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/prestanda');
  url.pathname = '/postgres';
  return withDb(url.toString(), fn);
}

async function withDb<T>(connectionString: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Kafka's own tools and a raw kafkajs pass-through: what the broker and client can do here. */
async function ceiling(n: number, size: number): Promise<Record<string, number | undefined>> {
  const kafka = createKafka('bench-ceiling');
  const topic = `bench.ceiling.${randomUUID().slice(0, 8)}`;
  await ensureTopics(kafka, [{ name: topic, partitions: 4 }]);
  const value = 'x'.repeat(size);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `bench-ceiling-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({ eachBatch: async ({ batch }) => void ((seen += batch.messages.length) >= n && resolve()) });
  });
  const t0 = Date.now();
  for (let i = 0; i < n; i += 1000) await producer.send({ topic, acks: -1, messages: Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ key: `k${(i + j) % 1000}`, value })) });
  await done;
  const passThrough = n / ((Date.now() - t0) / 1000);
  await consumer.disconnect();
  await producer.disconnect();
  const result: Record<string, number | undefined> = { rawKafkajsPassThroughPerSec: Math.round(passThrough) };
  const cp = process.env.KAFKA_CLASSPATH;
  if (cp) {
    const java = (main: string, args: string[]) => execFileSync('java', ['-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-Xmx512m', '-cp', cp, main, ...args], { encoding: 'utf8' });
    const pp = java('org.apache.kafka.tools.ProducerPerformance', ['--topic', topic, '--num-records', String(n), '--record-size', String(size), '--throughput', '-1', '--producer-props', `bootstrap.servers=${process.env.KAFKA_BROKERS}`, 'acks=all']);
    result.producerPerformancePerSec = Number(/([\d.]+) records\/sec/.exec(pp.trim().split('\n').pop() ?? '')?.[1]);
    const cpOut = java('org.apache.kafka.tools.ConsumerPerformance', ['--bootstrap-server', process.env.KAFKA_BROKERS!, '--topic', topic, '--messages', String(n), '--timeout', '60000']);
    // data.consumed.in.nMsg, nMsg.sec are the 5th and 6th columns of the result line.
    const line = cpOut.trim().split('\n').pop() ?? '';
    result.consumerPerformancePerSec = Number(line.split(',')[5]);
  }
  await deleteTopics(kafka, [topic]);
  return result;
}


/** CPU used so far by each service, by PostgreSQL (all its processes) and by the Kafka broker. */
function cpuSnapshot(services: Record<string, { child: { pid?: number } }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, s] of Object.entries(services)) out[name] = s.child.pid ? cpuSecondsOf(s.child.pid) : NaN;
  out.postgres = 0;
  out.kafka = 0;
  Object.assign(out, infraCpuSeconds());
  out['bench (load generator, webhook receiver)'] = process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
  return out;
}

interface Webhook {
  at: number;
  type: string;
  purchaseId?: string;
}

async function receiver(): Promise<{ server: Server; url: string; hooks: Webhook[] }> {
  const hooks: Webhook[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      try {
        const parsed = JSON.parse(body) as { type: string; data?: { purchaseId?: string } };
        hooks.push({ at: Date.now(), type: parsed.type, purchaseId: parsed.data?.purchaseId });
      } catch {
        /* counted as nothing */
      }
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}/hooks`, hooks };
}

/** Deployment wiring (where the database and broker are, who may call): not a tuning. */
const WIRING = new Set(['DATABASE_URL', 'KAFKA_BROKERS', 'KAFKA_TOPIC_PREFIX', 'KAFKA_GROUP_SUFFIX', 'KAFKA_CLASSPATH', 'AUTH_JWT_SECRET', 'AUTH_API_KEYS', 'LOG_LEVEL', 'NODE_EXTRA_ARGS']);
/** Service settings a caller's environment could pass down to the services (they inherit it): the services' config classes' prefixes. */
const TUNABLE = /^(DISPATCH_|WEBHOOK_|KAFKA_|ATTRIBUTION_|BILLING_|INGESTION_|CAMPAIGNS_|CHUNK_SIZE$|HTTP_BODY_LIMIT$)/;

/**
 * Every setting the benchmark's services run with that is not what `npm start` and the Helm chart
 * ship: its own env (wiring aside) and any tunable inherited from the caller's environment.
 */
export function settingOverrides(env: Record<string, string>, inherited: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inherited)) if (v !== undefined && TUNABLE.test(k) && !WIRING.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(env)) if (!WIRING.has(k)) out[k] = v;
  return out;
}

export async function runPipeline(opts: { transactions: number; campaigns: number; partitions: number; basePort: number; offNetworkShare: number; steadySeconds: number }): Promise<Record<string, unknown>> {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
  const prefix = `bench${suffix}.`;
  process.env.KAFKA_TOPIC_PREFIX = prefix;
  const database = `prestanda_bench_${suffix}`;
  const dbUrl = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/prestanda');
  dbUrl.pathname = `/${database}`;
  await withAdminDb((c) => c.query(`CREATE DATABASE "${database}"`));
  const kafka = createKafka('bench-pipeline');
  const specs = [...TOPIC_SPECS, ...DLQ_TOPIC_SPECS].map((s) => ({ name: s.name, partitions: s.kind === 'dead-letter' || s.name === 'campaigns' ? 1 : opts.partitions, config: { ...s.config } }));
  await ensureTopics(kafka, specs);
  const hook = await receiver();
  // Wiring only: every service runs with the defaults npm start and the Helm chart ship.
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl.toString(),
    KAFKA_TOPIC_PREFIX: prefix,
    AUTH_JWT_SECRET: JWT_SECRET,
    AUTH_API_KEYS: '{}',
    LOG_LEVEL: 'error',
    // BENCH_PROFILE_DIR: every service writes a V8 CPU profile there when it stops.
    ...(process.env.BENCH_PROFILE_DIR ? { NODE_EXTRA_ARGS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` } : {}),
  };
  const overrides = settingOverrides(env);
  console.log(`settings overriding the shipped defaults: ${Object.keys(overrides).length === 0 ? 'none' : Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  const platform = await startPlatform({ basePort: opts.basePort, env });
  const token = await signLocalToken(JWT_SECRET, { sub: 'bench', roles: ['ops-admin'] });
  const put = await fetch(`${platform.urls.notification}/v1/recipients/bank/${BANK_SOURCE}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ webhookUrl: hook.url, webhookSecret: 'bench-webhook-secret-0001', defaultLocale: 'sv' }),
  });
  if (!put.ok) throw new Error(`configuring the bank webhook failed: ${put.status} ${await put.text()}`);
  const rewards = await TopicReader.start(kafka, [physicalTopic('rewards'), physicalTopic('offer-matches')]);
  try {
    const world = syntheticWorld(7, Math.max(1, Math.floor(opts.campaigns / 5)), opts.campaigns, 'pub-bank-demo-se');
    const worldStarted = Date.now();
    const producer = new EventProducer(kafka);
    await producer.connect();
    await publishWorld(producer, world);
    await producer.disconnect();
    const waitDrained = async (groups: Record<string, string[]>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      let zeros = 0;
      while (Date.now() < deadline) {
        let lag = 0;
        for (const [group, topics] of Object.entries(groups)) lag += await groupLag(kafka, group, topics.map((t) => physicalTopic(t)));
        zeros = lag === 0 ? zeros + 1 : 0;
        if (zeros >= 3) return;
        await sleep(500);
      }
      throw new Error('the pipeline did not drain in time');
    };
    await waitDrained(
      { 'prestanda.offer-matching': ['campaigns'], 'prestanda.attribution': ['campaigns'], 'prestanda.billing': ['campaigns'], 'prestanda.notification': ['campaigns'] },
      1200000,
    );
    const worldSeconds = (Date.now() - worldStarted) / 1000;

    const sentAt = new Map<string, number>();
    const onSent = (events: { topic: string; event: { data: unknown } }[], at: number) => {
      for (const e of events) {
        if (e.topic !== 'inbound.card-transactions') continue;
        const d = e.event.data as { transactionId: string; originalTransactionId?: string };
        const purchaseId = `${BANK_SOURCE}:${d.originalTransactionId ?? d.transactionId}`;
        if (!sentAt.has(purchaseId)) sentAt.set(purchaseId, at);
      }
    };
    const loadOptions = {
      customers: 20000,
      offNetworkShare: opts.offNetworkShare,
      world: 'synthetic' as const,
      worldData: world,
      advertisers: 0,
      campaigns: 0,
      bankSource: BANK_SOURCE,
      bankPublisher: 'pub-bank-demo-se',
      quiet: true,
      onSent,
    };
    // Throughput: the whole feed at once, as fast as the producer goes; the pipeline works it off.
    const cpuBefore = cpuSnapshot(platform.children);
    const t0 = Date.now();
    const load = await runLoad({ ...loadOptions, rate: 0, cardTransactions: opts.transactions, seed: 11 });
    const produceSeconds = (Date.now() - t0) / 1000;
    // When each stage caught up (its consumer group's lag reached zero): the slowest stage shows.
    const stageDone: Record<string, number> = {};
    const deadline = Date.now() + 1800000;
    while (Object.keys(stageDone).length < Object.keys(GROUPS).length && Date.now() < deadline) {
      for (const [group, topics] of Object.entries(GROUPS)) {
        if (stageDone[group]) continue;
        const lag = await groupLag(kafka, group, topics.map((t) => physicalTopic(t)));
        const upstreamDone = Object.keys(GROUPS).indexOf(group) === 0 || stageDone[Object.keys(GROUPS)[Object.keys(GROUPS).indexOf(group) - 1]];
        if (lag === 0 && upstreamDone) stageDone[group] = Date.now();
      }
      await sleep(250);
    }
    await waitDrained(GROUPS, 1800000);
    // Notifications leave through the dispatcher after the consumer: wait until webhooks stop arriving.
    const settled = async () => {
      let last = hook.hooks.length;
      for (;;) {
        await sleep(2000);
        if (hook.hooks.length === last) return;
        last = hook.hooks.length;
      }
    };
    await settled();
    const lastArrival = Math.max(t0, ...hook.hooks.map((h) => h.at), ...Object.values(stageDone));
    const seconds = (lastArrival - t0) / 1000;
    const burstHooks = hook.hooks.length;
    // The notification stage: reward webhooks per second over the burst, and how long after the
    // last consumer caught up the last one arrived (near zero when the dispatcher keeps pace).
    const lastStage = Math.max(t0, ...Object.values(stageDone));
    const webhooksPerSec = Math.round(hook.hooks.filter((h) => h.type === 'reward.earned').length / seconds);
    const webhooksTrailSeconds = Number((Math.max(0, lastArrival - lastStage) / 1000).toFixed(1));
    // Where the CPU went during the burst: seconds per 1,000 card transactions, per process.
    const cpuAfter = cpuSnapshot(platform.children);

    // Latency: a steady feed at half the throughput just measured, so the figures are the
    // pipeline's own delay rather than time spent queued behind a burst.
    const cardEvents = load.counts.authorizations + load.counts.settlements + load.counts.refunds + load.counts.reversals;
    const steadyRate = Number(process.env.BENCH_STEADY_RATE ?? 0) || Math.max(1, Math.floor((load.counts.purchases / seconds) * 0.5));
    const steadySeconds = opts.steadySeconds;
    const steadyFrom = Date.now();
    let steadyPurchases = 0;
    if (steadySeconds > 0) {
      const steady = await runLoad({ ...loadOptions, rate: steadyRate, durationSeconds: steadySeconds, seed: 12 });
      steadyPurchases = steady.counts.purchases;
      await waitDrained(GROUPS, 600000);
      await settled();
    }

    // Correctness first.
    const earned = rewards.of(physicalTopic('rewards')).map((m) => m.json<{ type: string; data: { purchaseId: string; campaignId: string } }>()).filter((e) => e.type === 'reward.earned');
    const keys = earned.map((e) => `${e.data.purchaseId}|${e.data.campaignId}`);
    const duplicates = keys.length - new Set(keys).size;
    // Distinct matches: Kafka is at-least-once, a republished event is the same match.
    const matched = new Set(
      rewards
        .of(physicalTopic('offer-matches'))
        .map((m) => m.json<{ type: string; data: { matchId: string } }>())
        .filter((e) => e.type === 'offer-match.matched')
        .map((e) => e.data.matchId),
    ).size;
    const checks = await fetch(`${platform.urls.billing}/v1/ledger/checks`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json()).catch((e) => ({ error: String(e) }));
    const earnedHooks = hook.hooks.filter((h) => h.type === 'reward.earned');
    const latencyOf = (hooks: Webhook[]) => {
      const l = hooks.map((h) => (h.purchaseId && sentAt.has(h.purchaseId) ? h.at - sentAt.get(h.purchaseId)! : NaN)).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
      return { p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99), max: l[l.length - 1], n: l.length };
    };
    const burstEarned = hook.hooks.slice(0, burstHooks).filter((h) => h.type === 'reward.earned');
    const steadyEarned = earnedHooks.filter((h) => h.purchaseId && (sentAt.get(h.purchaseId) ?? 0) >= steadyFrom);
    // Every match decided exactly once by attribution (rewarded, or declined with a reason), and
    // every rewarded decision is exactly one reward.earned.
    const decisions = await withDb(dbUrl.toString(), async (c) => {
      const { rows } = await c.query(`SELECT count(*)::int AS decided, count(*) FILTER (WHERE outcome = 'rewarded')::int AS rewarded, count(DISTINCT match_id)::int AS distinct_matches FROM attribution.match_outcomes`);
      return rows[0] as { decided: number; rewarded: number; distinct_matches: number };
    });
    const everyMatchDecidedOnce = decisions.decided === matched && decisions.distinct_matches === matched && decisions.rewarded === earned.length;
    const ok = duplicates === 0 && everyMatchDecidedOnce && earnedHooks.length === earned.length && (checks as { ok?: boolean }).ok === true;
    return {
      ok,
      transactions: opts.transactions,
      campaigns: opts.campaigns,
      partitions: opts.partitions,
      offNetworkShare: opts.offNetworkShare,
      worldSeconds: Number(worldSeconds.toFixed(1)),
      purchases: load.counts.purchases,
      cardEvents,
      touchpoints: load.counts.impressions + load.counts.activations,
      produceSeconds: Number(produceSeconds.toFixed(1)),
      seconds: Number(seconds.toFixed(1)),
      cardTransactionsPerSec: Math.round(cardEvents / seconds),
      purchasesPerSec: Math.round(load.counts.purchases / seconds),
      rewardsPerSec: Math.round(burstEarned.length / seconds),
      rewardWebhooksPerSec: webhooksPerSec,
      webhooksTrailSeconds,
      settingOverrides: overrides,
      matched,
      attributionDecisions: decisions,
      rewardsEarned: earned.length,
      duplicateRewards: duplicates,
      rewardWebhooks: earnedHooks.length,
      cpuSecondsPer1000CardTransactions: Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, Number((((cpuAfter[k] - cpuBefore[k]) * 1000) / cardEvents).toFixed(2))])),
      stageCaughtUpSeconds: Object.fromEntries(Object.entries(stageDone).map(([g, at]) => [g.replace('prestanda.', ''), Number(((at - t0) / 1000).toFixed(1))])),
      lastWebhookSeconds: Number(seconds.toFixed(1)),
      latencyBurstMs: latencyOf(burstEarned),
      steady: { purchasesPerSec: steadyRate, seconds: steadySeconds, purchases: steadyPurchases, latencyMs: latencyOf(steadyEarned) },
      ledgerChecks: checks,
    };
  } finally {
    await rewards.stop().catch(() => undefined);
    await platform.stop();
    hook.server.close();
    await deleteTopics(kafka, specs.map((s) => physicalTopic(s.name))).catch(() => undefined);
    await withAdminDb((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)).catch(() => undefined);
  }
}

const fmt = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : 'n/a');

async function main(): Promise<void> {
  const transactions = Number(process.env.BENCH_TRANSACTIONS ?? 100000);
  const campaigns = Number(process.env.BENCH_CAMPAIGNS ?? 10000);
  const partitions = Number(process.env.BENCH_PARTITIONS ?? 4);
  const offNetworkShare = Number(process.env.BENCH_OFF_NETWORK ?? 0.8);
  const started = Date.now();
  // The ceiling needs enough messages to get past the JVM's and the client's warm-up.
  const ceil = process.env.BENCH_SKIP_CEILING === '1' ? {} : await ceiling(Math.max(transactions, 100000), 500);
  console.log(`ceiling: ${JSON.stringify(ceil)}`);
  const main = await runPipeline({ transactions, campaigns, partitions, basePort: 25000, offNetworkShare, steadySeconds: Number(process.env.BENCH_STEADY_SECONDS ?? 20) });
  console.log(`pipeline: ${JSON.stringify(main)}`);
  // The sweep: partitions per topic, and campaigns (the main run is the 10,000 point). BENCH_SWEEP=0 leaves it out.
  const sweep: Record<string, unknown>[] = [main];
  if (process.env.BENCH_SWEEP !== '0') {
    const n = Number(process.env.BENCH_SWEEP_TRANSACTIONS ?? 10000);
    // Partitions at 1,000 campaigns (a small world loads in seconds); campaigns at the main run's partitions.
    const partitionCampaigns = Number(process.env.BENCH_SWEEP_PARTITION_CAMPAIGNS ?? 1000);
    const partitionCounts = (process.env.BENCH_SWEEP_PARTITIONS ?? '1,2,4').split(',').map(Number);
    const campaignCounts = (process.env.BENCH_SWEEP_CAMPAIGNS ?? '100000').split(',').map(Number);
    const points = [...partitionCounts.map((p) => ({ partitions: p, campaigns: partitionCampaigns })), ...campaignCounts.map((c) => ({ partitions, campaigns: c }))];
    for (const point of points) {
      const r = await runPipeline({ transactions: n, ...point, basePort: 25000, offNetworkShare, steadySeconds: 0 });
      console.log(`sweep: ${JSON.stringify(r)}`);
      sweep.push(r);
    }
  }
  const ratio = Number(((main.cardTransactionsPerSec as number) / (ceil.rawKafkajsPassThroughPerSec ?? NaN)).toFixed(4));
  const result = { date: new Date().toISOString(), ceiling: ceil, pipeline: main, ratioToRawPassThrough: ratio, sweep, totalSeconds: Math.round((Date.now() - started) / 1000) };
  const dir = path.join(__dirname, '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'pipeline.json'), JSON.stringify(result, null, 2));
  const lat = (l: unknown) => {
    const x = l as { p50: number; p95: number; p99: number; max: number };
    return `${fmt(x.p50)} / ${fmt(x.p95)} / ${fmt(x.p99)} / ${fmt(x.max)} ms`;
  };
  const steady = main.steady as { purchasesPerSec: number; latencyMs: unknown };
  const lines = [
    '| measure | value |',
    '|---|---|',
    `| Kafka ProducerPerformance (500 B, acks=all) | ${fmt(ceil.producerPerformancePerSec)} msg/s |`,
    `| Kafka ConsumerPerformance | ${fmt(ceil.consumerPerformancePerSec)} msg/s |`,
    `| raw kafkajs produce→consume pass-through | ${fmt(ceil.rawKafkajsPassThroughPerSec)} msg/s |`,
    `| pipeline: card transactions/s end to end (${fmt(main.cardEvents)} card transactions = ${fmt(main.purchases)} purchases, ${fmt(campaigns)} campaigns, ${partitions} partitions, ${Math.round((1 - offNetworkShare) * 100)} % of purchases at advertisers) | **${fmt(main.cardTransactionsPerSec)}** (${fmt(main.seconds)} s) |`,
    `| … purchases/s, rewards/s | ${fmt(main.purchasesPerSec)}, ${fmt(main.rewardsPerSec)} |`,
    `| reward webhooks/s (burst); last webhook after the last consumer caught up | ${fmt(main.rewardWebhooksPerSec)}; ${fmt(main.webhooksTrailSeconds)} s |`,
    `| settings overriding the shipped defaults | ${Object.keys(main.settingOverrides as Record<string, string>).length === 0 ? 'none' : Object.entries(main.settingOverrides as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(' ')} |`,
    `| stage caught up (s after the first produce) | ${Object.entries(main.stageCaughtUpSeconds as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(' · ')} |`,
    `| latency produce → reward webhook, burst (p50 / p95 / p99 / max) | ${lat(main.latencyBurstMs)} |`,
    `| latency produce → reward webhook, steady ${fmt(steady.purchasesPerSec)} purchases/s (p50 / p95 / p99 / max) | ${lat(steady.latencyMs)} |`,
    `| CPU seconds per 1,000 card transactions, by process (burst) | ${Object.entries(main.cpuSecondsPer1000CardTransactions as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(' · ')} |`,
    `| ratio pipeline / raw pass-through | ${ratio} |`,
    `| correct (no duplicate reward, every reward notified once, ledger checks) | ${main.ok} (${fmt(main.rewardsEarned)} rewards, ${fmt(main.rewardWebhooks)} webhooks) |`,
    '',
    '| partitions | campaigns | card transactions | card transactions/s | purchases/s | world loaded in | correct |',
    '|---|---|---|---|---|---|---|',
    ...sweep.map((r) => `| ${r.partitions} | ${fmt(r.campaigns)} | ${fmt(r.cardEvents)} | ${fmt(r.cardTransactionsPerSec)} | ${fmt(r.purchasesPerSec)} | ${fmt(r.worldSeconds)} s | ${r.ok} |`),
    '',
    `Whole run: ${fmt(result.totalSeconds)} s.`,
  ];
  writeFileSync(path.join(dir, 'pipeline.md'), lines.join('\n') + '\n');
  console.log(`\n${lines.join('\n')}`);
  process.exit(main.ok && sweep.every((r) => r.ok) ? 0 : 1);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
