/**
 * bench:redirect — the affiliate redirect edge `GET /c/<code>` under a load tool (autocannon),
 * next to a bare `node:http` server answering the same 302, in one run with the same connections
 * and duration:
 *  1. the ceiling: a bare Node HTTP server (its own process) answering 302 with a Location like
 *     the real one (landing URL + a fresh 128-bit click id);
 *  2. the service: apps/affiliate as its own process (as in production), every click recorded
 *     with its `click.recorded` outbox row in one committed statement before the 302;
 *  3. the ratio of (2) to (1), against the goal of 0.5.
 * Durability is checked before speed is reported: the 302s the affiliate answered (warm-up and
 * measurement) = its rows in affiliate.clicks = (after the outbox relay drained) the distinct
 * click.recorded messages on the clicks topic. The process exits non-zero when they disagree.
 *
 * The load tool ends a run gracefully: at the end of the duration every connection stops sending
 * and waits for the answer it is owed, so no click is committed without its 302 being counted.
 *
 * BENCH_CONNECTIONS (default 50), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3).
 * BENCH_PROFILE_DIR: the affiliate writes a V8 CPU profile there when it stops.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { cpuSecondsOf, infraCpuSeconds } from './process-cpu';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { CampaignSnapshotV1, DLQ_TOPIC_SPECS, newEnvelope, TOPIC_SPECS, type CampaignSnapshotV1Data } from '@prestanda/contracts';
import { createKafka, deleteTopics, ensureTopics, EventProducer, physicalTopic } from '@prestanda/kafka';
import { ChildService } from '@prestanda/testing';
import { Client } from 'pg';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const LANDING = 'https://shop.example.se/start';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: Float64Array | number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Deployment wiring (where the database and broker are, who may call, ports): not a tuning. */
const WIRING = new Set(['DATABASE_URL', 'KAFKA_BROKERS', 'KAFKA_TOPIC_PREFIX', 'KAFKA_GROUP_SUFFIX', 'AUTH_JWT_SECRET', 'AUTH_API_KEYS', 'LOG_LEVEL', 'NODE_EXTRA_ARGS', 'HTTP_PORT', 'HEALTH_PORT', 'KAFKA_CLASSPATH']);
/** Settings the affiliate reads that a caller's environment could pass down to it (the child inherits it). */
const TUNABLE = /^(AFFILIATE_|KAFKA_|DISPATCH_|OUTBOX_|HTTP_BODY_LIMIT$|UV_THREADPOOL_SIZE$)/;

/** Every setting the affiliate runs with that is not what `npm start` and the Helm chart ship. */
export function settingOverrides(env: Record<string, string>, inherited: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inherited)) if (v !== undefined && TUNABLE.test(k) && !WIRING.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(env)) if (!WIRING.has(k)) out[k] = v;
  return out;
}

/** The bare ceiling: node:http answering 302 with a Location like the real one, in its own process. */
function startBare(port: number): Promise<ChildProcess> {
  const code = `
    const { createServer } = require('node:http');
    const { randomBytes } = require('node:crypto');
    createServer((req, res) => {
      res.writeHead(302, { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer-when-downgrade', Location: ${JSON.stringify(LANDING)} + '?prclid=c_' + randomBytes(16).toString('base64url') });
      res.end();
    }).listen(${port}, '127.0.0.1', () => process.stdout.write('listening\\n'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (c) => reject(new Error(`bare server exited (${c})`)));
  });
}


/** CPU used so far by the target, by PostgreSQL (all its processes), the Kafka broker and the load tool (this process). */
function cpuSnapshot(targetPid: number | undefined): Record<string, number> {
  const out: Record<string, number> = { target: targetPid ? cpuSecondsOf(targetPid) : NaN, postgres: 0, kafka: 0 };
  Object.assign(out, infraCpuSeconds());
  const own = process.cpuUsage();
  out['load tool'] = (own.user + own.system) / 1e6;
  return out;
}

/** CPU ms per request of each process over a run, and all of them together. */
function cpuPerRequest(before: Record<string, number>, after: Record<string, number>, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  let all = 0;
  for (const k of Object.keys(after)) {
    const ms = ((after[k] - before[k]) * 1000) / requests;
    out[k] = Number(ms.toFixed(3));
    all += ms;
  }
  out.all = Number(all.toFixed(3));
  return out;
}

interface LoadResult {
  responses: number;
  status: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
  requestsPerSec: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * One autocannon run. At the end of `seconds` every connection stops sending and waits for its
 * answer (so the run ends with nothing in flight); requests/s is the answers over the time to the
 * last one, latency (ms) is every answer's.
 */
async function load(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const clients: { reqsMade: number; responseMax?: number }[] = [];
  const latencies: number[] = [];
  const status: Record<string, number> = {};
  let last = 0;
  let finish: (r: { errors: number; timeouts: number }) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const done = new Promise<{ errors: number; timeouts: number }>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
    url,
    connections,
    duration: seconds + 60, // the graceful end below comes first
    headers: { 'user-agent': BROWSER, accept: 'text/html' },
    setupClient: (client) => void clients.push(client as unknown as { reqsMade: number; responseMax?: number }),
    },
    (error, r) => (error ? fail(error) : finish(r)),
  );
  const started = performance.now();
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    status[statusCode] = (status[statusCode] ?? 0) + 1;
    last = performance.now();
  });
  const stopSending = setTimeout(() => {
    // Each connection's next send sees reqsMade >= responseMax and ends the connection.
    for (const c of clients) c.responseMax = Math.max(1, c.reqsMade);
  }, seconds * 1000);
  const result = await done;
  clearTimeout(stopSending);
  const sorted = Float64Array.from(latencies).sort();
  const elapsed = (last - started) / 1000;
  return {
    responses: latencies.length,
    status,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: Number(elapsed.toFixed(2)),
    requestsPerSec: Math.round(latencies.length / elapsed),
    p50: Number(percentile(sorted, 50).toFixed(2)),
    p99: Number(percentile(sorted, 99).toFixed(2)),
    max: Number(sorted[sorted.length - 1].toFixed(2)),
  };
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

function program(trackingCode: string): CampaignSnapshotV1Data {
  return {
    ...CampaignSnapshotV1.example,
    campaignId: `cmp-bench-${randomUUID().slice(0, 8)}`,
    version: 1,
    advertiserId: 'adv-bench',
    currency: 'SEK',
    pricing: { model: 'CPA' },
    reward: undefined,
    platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 },
    windows: { clickDays: 30, viewDays: 1 },
    holdPeriodDays: 14,
    affiliate: {
      landingUrl: LANDING,
      deepLinkHosts: ['shop.example.se'],
      clickIdParam: 'prclid',
      fallbackUrl: 'https://shop.example.se/paused',
      commission: { kind: 'percent', basisPoints: 800 },
      voucherRule: 'code-wins',
      approval: 'manual',
    },
    publishers: [{ publisherId: 'pub-bench', kind: 'affiliate', trackingCode, commission: { kind: 'percent', basisPoints: 1000 } }],
    status: 'active',
    updatedAt: new Date().toISOString(),
  } as CampaignSnapshotV1Data;
}

/** Distinct click ids of `campaignId` on the clicks topic (and all messages read), read from the beginning. */
async function clicksOnTopic(expected: number, campaignId: string, timeoutMs: number): Promise<{ distinct: number; messages: number }> {
  const kafka = createKafka('bench-redirect-reader');
  const consumer = kafka.consumer({ groupId: `bench-redirect-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [physicalTopic('clicks')], fromBeginning: true });
  const ids = new Set<string>();
  let messages = 0;
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const e = JSON.parse(m.value?.toString('utf8') ?? 'null') as { type?: string; data?: { clickId: string; campaignId: string } } | null;
        if (e?.type === 'click.recorded' && e.data?.campaignId === campaignId) {
          messages++;
          ids.add(e.data.clickId);
        }
      }
    },
  });
  const deadline = Date.now() + timeoutMs;
  let stable = 0;
  let seen = -1;
  // Until every expected click arrived, or nothing more arrives for 5 s (then the count disagrees).
  while (ids.size < expected && Date.now() < deadline && stable < 10) {
    await sleep(500);
    stable = ids.size === seen ? stable + 1 : 0;
    seen = ids.size;
  }
  await sleep(1000); // any duplicate the relay republished
  await consumer.disconnect();
  return { distinct: ids.size, messages };
}

const fmt = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : 'n/a');

async function main(): Promise<void> {
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
  const started = Date.now();
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
  const prefix = `benchredirect${suffix}.`;
  process.env.KAFKA_TOPIC_PREFIX = prefix;
  // The scratch (test) database when there is one, as for bench:billing; its affiliate schema is dropped first.
  const dbUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/prestanda_test';
  await withDb(dbUrl, (c) => c.query('DROP SCHEMA IF EXISTS "affiliate" CASCADE'));
  const kafka = createKafka('bench-redirect');
  const specs = [...TOPIC_SPECS, ...DLQ_TOPIC_SPECS].map((s) => ({ name: s.name, partitions: s.kind === 'dead-letter' ? 1 : 2, config: { ...s.config } }));
  await ensureTopics(kafka, specs);

  const barePort = 25600;
  const httpPort = 25601;
  const healthPort = 25602;
  // One address drives all the load: no per-network limit, and floods well above what it sends
  // (the load is one visitor network and one publisher), so every click is a valid, evented one.
  const tuning: Record<string, string> = {
    AFFILIATE_RATE_LIMIT_PER_MINUTE: '0',
    AFFILIATE_CLICK_FLOOD_PER_MINUTE: '100000000',
    AFFILIATE_PUBLISHER_FLOOD_PER_MINUTE: '100000000',
  };
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl,
    KAFKA_TOPIC_PREFIX: prefix,
    AUTH_JWT_SECRET: randomUUID(),
    AUTH_API_KEYS: '{}',
    LOG_LEVEL: 'error',
    HTTP_PORT: String(httpPort),
    HEALTH_PORT: String(healthPort),
    ...tuning,
    ...(process.env.BENCH_PROFILE_DIR ? { NODE_EXTRA_ARGS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` } : {}),
  };
  const overrides = settingOverrides(env);
  console.log(`settings overriding the shipped defaults: ${Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}`);
  console.log(`load: autocannon, ${connections} connections, ${warmup} s warm-up then ${seconds} s per target, User-Agent ${BROWSER}`);

  const bare = await startBare(barePort);
  const service = ChildService.start('apps/affiliate/src/main.ts', env);
  let ok = false;
  try {
    const deadline = Date.now() + 120_000;
    while (!(await fetch(`http://127.0.0.1:${healthPort}/health/ready`).then((r) => r.ok).catch(() => false))) {
      if (!service.running || Date.now() > deadline) throw new Error(`affiliate did not become ready:\n${service.tail()}`);
      await sleep(300);
    }
    const code = `bench${randomBytes(6).toString('hex')}`;
    const p = program(code);
    const producer = new EventProducer(kafka);
    await producer.connect();
    await producer.send('campaigns', [{ key: p.campaignId, event: newEnvelope(CampaignSnapshotV1, { source: 'campaigns', occurredAt: p.updatedAt, data: p }) }]);
    await producer.disconnect();
    for (const until = Date.now() + 60_000; ; await sleep(200)) {
      const { rowCount } = await withDb(dbUrl, (c) => c.query(`SELECT 1 FROM "affiliate"."programs" WHERE campaign_id = $1`, [p.campaignId]));
      if (rowCount) break;
      if (Date.now() > until) throw new Error('the affiliate did not take the campaign snapshot');
    }
    const probe = await fetch(`http://127.0.0.1:${httpPort}/c/${code}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
    const location = probe.headers.get('location') ?? '';
    if (probe.status !== 302 || !location.startsWith(`${LANDING}?prclid=c_`)) throw new Error(`the affiliate answered ${probe.status} ${location}`);

    const bareUrl = `http://127.0.0.1:${barePort}/c/${code}`;
    const affUrl = `http://127.0.0.1:${httpPort}/c/${code}`;
    await load(bareUrl, connections, warmup);
    const bareCpu0 = cpuSnapshot(bare.pid);
    const bareRun = await load(bareUrl, connections, seconds);
    const bareCpu = cpuPerRequest(bareCpu0, cpuSnapshot(bare.pid), bareRun.responses);
    const affWarm = await load(affUrl, connections, warmup);
    const commits = () => withDb(dbUrl, async (c) => Number((await c.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)).rows[0].xact_commit));
    const commits0 = await commits();
    const affCpu0 = cpuSnapshot(service.child.pid);
    const affRun = await load(affUrl, connections, seconds);
    const affCpu = cpuPerRequest(affCpu0, cpuSnapshot(service.child.pid), affRun.responses);
    // Statistics lag up to PGSTAT's flush (about 1 s): wait for them before reading the count.
    await sleep(1500);
    const commitsPerClick = Number((((await commits()) - commits0) / affRun.responses).toFixed(2));
    console.log(`bare:      ${JSON.stringify(bareRun)}\naffiliate: ${JSON.stringify(affRun)}`);

    // Durability: every 302 the affiliate answered (the probe, warm-up and run) is a committed click row …
    const answered = 1 + (affWarm.status['302'] ?? 0) + (affRun.status['302'] ?? 0);
    const notRedirect = affWarm.responses + affRun.responses - (affWarm.status['302'] ?? 0) - (affRun.status['302'] ?? 0) + affWarm.errors + affRun.errors;
    const rows = await withDb(dbUrl, async (c) => {
      const r = await c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE fraud_reason IS NOT NULL)::int AS flagged FROM "affiliate"."clicks" WHERE tracking_code = $1`, [code]);
      return r.rows[0] as { n: number; flagged: number };
    });
    // … and, once the relay drained the outbox, one click.recorded on the clicks topic.
    const drainStarted = Date.now();
    for (const until = Date.now() + 300_000; ; await sleep(500)) {
      const { rows: o } = await withDb(dbUrl, (c) => c.query(`SELECT count(*)::int AS n FROM "affiliate"."outbox"`));
      if (o[0].n === 0) break;
      if (Date.now() > until) throw new Error(`the outbox did not drain (${o[0].n} rows left)`);
    }
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    const onTopic = await clicksOnTopic(rows.n - rows.flagged, p.campaignId, 120_000);
    ok = answered === rows.n && rows.flagged === 0 && onTopic.distinct === rows.n && notRedirect === 0;

    const ratio = Number((affRun.requestsPerSec / bareRun.requestsPerSec).toFixed(3));
    const result = {
      date: new Date().toISOString(),
      connections,
      seconds,
      warmupSeconds: warmup,
      settingOverrides: overrides,
      bare: bareRun,
      affiliate: affRun,
      ratio,
      goal: 0.5,
      cpuMsPerRequest: { bare: bareCpu, affiliate: affCpu },
      databaseCommitsPerClick: commitsPerClick,
      durability: { answered302: answered, notRedirect, clickRows: rows.n, flagged: rows.flagged, outboxDrainedAfterSeconds: Number(drainSeconds.toFixed(1)), clickRecordedDistinct: onTopic.distinct, clickRecordedMessages: onTopic.messages, ok },
    };
    const dir = path.join(__dirname, '..', '..', 'bench-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'redirect.json'), JSON.stringify(result, null, 2));
    const lines = [
      `| target (${connections} connections, ${seconds} s after ${warmup} s warm-up) | requests/s | p50 | p99 | max |`,
      '|---|---|---|---|---|',
      `| bare node:http 302 | ${fmt(bareRun.requestsPerSec)} | ${bareRun.p50} ms | ${bareRun.p99} ms | ${bareRun.max} ms |`,
      `| affiliate GET /c/<code> (click + outbox row committed before the 302) | **${fmt(affRun.requestsPerSec)}** | ${affRun.p50} ms | ${affRun.p99} ms | ${affRun.max} ms |`,
      '',
      `CPU ms per request (2 cores: at most ${2000} CPU ms per second): bare ${Object.entries(bareCpu).map(([k, v]) => `${k} ${v}`).join(' · ')}; affiliate ${Object.entries(affCpu).map(([k, v]) => `${k} ${v}`).join(' · ')}; database commits per click (click statements, relay passes, health checks) ${commitsPerClick}`,
      `ratio affiliate / bare: **${ratio}** (goal ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'not met'})`,
      `settings overriding the shipped defaults: ${Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}`,
      `durability: ${fmt(answered)} 302s answered = ${fmt(rows.n)} rows in affiliate.clicks (${rows.flagged} flagged) = ${fmt(onTopic.distinct)} distinct click.recorded on clicks (${fmt(onTopic.messages)} messages; outbox drained ${drainSeconds.toFixed(1)} s after the run); other answers/errors: ${notRedirect} → ${ok ? 'OK' : 'MISMATCH'}`,
      '',
      `Whole run: ${Math.round((Date.now() - started) / 1000)} s.`,
    ];
    writeFileSync(path.join(dir, 'redirect.md'), lines.join('\n') + '\n');
    console.log(`\n${lines.join('\n')}`);
  } finally {
    await service.kill('SIGTERM');
    bare.kill('SIGTERM');
    await deleteTopics(kafka, specs.map((s) => physicalTopic(s.name))).catch(() => undefined);
  }
  process.exit(ok ? 0 : 1);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
