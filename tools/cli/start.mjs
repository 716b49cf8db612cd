#!/usr/bin/env node
// npm start: the whole platform on this machine, with demo data.
//   installs npm packages if missing → PostgreSQL (local or embedded) → Kafka (local broker from
//   Maven Central) → every topic → each service as its own process → demo data → a live summary.
// Ctrl-C stops the services (they drain), then the broker and database this command started.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { kafkaStatus, stopKafka } from '../kafka/local-kafka.mjs';
import { ensureConsoleBuild } from './lib/console.mjs';
import { ensureInfra } from './lib/infra.mjs';
import { stopPostgres } from './lib/postgres.mjs';
import { ensureDependencies, log, repoRoot, run, tsNodeArgs } from './lib/util.mjs';

export const SERVICES = [
  { name: 'campaigns', http: 3001, health: 9401 },
  { name: 'ingestion', http: 3002, health: 9402 },
  { name: 'offer-matching', http: 3003, health: 9403 },
  { name: 'attribution', http: 3004, health: 9404 },
  { name: 'billing', http: 3005, health: 9405 },
  { name: 'notification', http: 3006, health: 9406 },
  { name: 'affiliate', http: 3007, health: 9407 },
];
const COLORS = [36, 33, 35, 32, 34, 31, 96];
/** A crashed service is restarted; more than this many crashes within the window stop the platform. */
const RESTARTS_ALLOWED = 5;
const RESTART_WINDOW_MS = 5 * 60_000;
const CONSOLE_PORT = Number(process.env.CONSOLE_PORT ?? 3000);
const args = new Set(process.argv.slice(2));

/** Local secrets for this checkout (never committed): the JWT secret and the demo bank's API key. */
function localAuth() {
  const file = path.join(repoRoot, '.local', 'auth.json');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ jwtSecret: randomBytes(32).toString('hex'), bankApiKey: `demo-${randomBytes(16).toString('hex')}`, secretsKey: randomBytes(32).toString('hex') }, null, 2), { mode: 0o600 });
  }
  const auth = JSON.parse(readFileSync(file, 'utf8'));
  // Checkouts from before secrets were encrypted at rest: add the key once.
  if (!auth.secretsKey) writeFileSync(file, JSON.stringify({ ...auth, secretsKey: randomBytes(32).toString('hex') }, null, 2), { mode: 0o600 });
  return JSON.parse(readFileSync(file, 'utf8'));
}

async function waitReady(service, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${service.health}/health/ready`);
      if (r.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const children = [];
let stopping = false;

async function shutdown(startedKafka, code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping services…');
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  if (startedKafka) {
    log('stopping the local Kafka broker…');
    await stopKafka().catch(() => undefined);
  }
  await stopPostgres();
  log('stopped; nothing left running');
  process.exit(code);
}

async function main() {
  ensureDependencies();
  if ((await ensureConsoleBuild()) !== 0) throw new Error('the ops console did not build');
  const kafkaBefore = process.env.KAFKA_BROKERS ? { running: true } : await kafkaStatus();
  const infra = await ensureInfra();
  const startedKafka = !process.env.KAFKA_BROKERS && !kafkaBefore.running;
  const auth = localAuth();
  const env = {
    ...process.env,
    ...infra,
    AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? auth.jwtSecret,
    AUTH_API_KEYS: process.env.AUTH_API_KEYS ?? JSON.stringify({ [auth.bankApiKey]: { source: 'bank-demo-se', publisherId: 'pub-bank-demo-se' } }),
    // Keys issued by the registry (POST /v1/integrations/{id}/keys) are resolved at campaigns.
    AUTH_KEY_REGISTRY_URL: process.env.AUTH_KEY_REGISTRY_URL ?? `http://127.0.0.1:${SERVICES[0].http}`,
    SECRETS_KEY: process.env.SECRETS_KEY ?? auth.secretsKey,
  };
  const crashes = new Map();
  process.on('SIGINT', () => void shutdown(startedKafka));
  process.on('SIGTERM', () => void shutdown(startedKafka));

  const startChild = (service, entry, childEnv, color) => {
    const child = spawn(process.execPath, tsNodeArgs(entry), { cwd: repoRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const tag = `\x1b[${color}m${service.name.padEnd(14)}\x1b[0m│ `;
    const pipe = (stream, out) => {
      let buffer = '';
      stream.on('data', (d) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop();
        for (const line of lines) out.write(tag + line + '\n');
      });
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    child.on('exit', (code, signal) => {
      if (stopping || service.name === 'loadgen') return;
      // Supervision: a crashed service is restarted with backoff (1 s, 2 s, 4 s … 30 s); the
      // platform stops only when one crashes more than RESTARTS_ALLOWED times in RESTART_WINDOW_MS.
      const now = Date.now();
      const recent = [...(crashes.get(service.name) ?? []).filter((t) => now - t < RESTART_WINDOW_MS), now];
      crashes.set(service.name, recent);
      if (recent.length > RESTARTS_ALLOWED) {
        log(`${service.name} exited (${signal ?? code}) ${recent.length} times in ${RESTART_WINDOW_MS / 60_000} minutes; giving up and stopping everything`);
        void shutdown(startedKafka, 1);
        return;
      }
      const delay = Math.min(30_000, 1000 * 2 ** (recent.length - 1));
      log(`${service.name} exited (${signal ?? code}); restarting it in ${delay / 1000} s (restart ${recent.length} of ${RESTARTS_ALLOWED} allowed in ${RESTART_WINDOW_MS / 60_000} minutes)`);
      setTimeout(() => {
        if (!stopping) startChild(service, entry, childEnv, color);
      }, delay).unref();
    });
    const at = children.findIndex((c) => c.service.name === service.name);
    if (at >= 0) children[at] = { service, child };
    else children.push({ service, child });
  };
  SERVICES.forEach((service, i) => startChild(service, `apps/${service.name}/src/main.ts`, { ...env, HTTP_PORT: String(service.http), HEALTH_PORT: String(service.health) }, COLORS[i]));
  // The ops console's server: the built app and a pass-through to each service's API.
  const consoleEnv = { ...env, CONSOLE_PORT: String(CONSOLE_PORT) };
  for (const s of SERVICES) {
    const name = s.name.toUpperCase().replace(/-/g, '_');
    consoleEnv[`${name}_URL`] ??= `http://127.0.0.1:${s.http}`;
    consoleEnv[`${name}_HEALTH_URL`] ??= `http://127.0.0.1:${s.health}`;
  }
  startChild({ name: 'console' }, 'apps/console/server/src/main.ts', consoleEnv, 37);

  for (const service of SERVICES) {
    if (!(await waitReady(service))) {
      log(`${service.name} did not become ready`);
      return shutdown(startedKafka, 1);
    }
  }
  log('every service is ready');

  const demo = !args.has('--no-demo');
  if (demo) {
    await demoBankApp();
    const code = await run(process.execPath, tsNodeArgs('tools/demo/seed.ts'), { env: { ...env, DEMO_WEBHOOK_URL: 'http://127.0.0.1:3099/webhooks' } });
    if (code !== 0) log('demo data could not be loaded (the platform keeps running)');
    // A gentle stream of bank traffic against the demo campaigns, until Ctrl-C.
    const loadgen = spawn(process.execPath, tsNodeArgs('tools/loadgen/loadgen.ts', ['--world', 'topic', '--rate', '2', '--duration', '604800', '--customers', '200', '--seed', String(Date.now() % 100000), '--quiet']), { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push({ service: { name: 'loadgen' }, child: loadgen });
  }

  console.log('\nPrestanda is running:');
  for (const s of SERVICES) console.log(`  ${s.name.padEnd(15)} http://127.0.0.1:${s.http}  (OpenAPI: /docs)   health: http://127.0.0.1:${s.health}/health/ready`);
  console.log(`  Console: http://localhost:${CONSOLE_PORT} (dev login: pick a role)`);
  console.log(`  ops token:       node -r @swc-node/register tools/scripts/token.ts ops-admin   (secret in .local/auth.json)`);
  console.log(`  bank API key:    ${auth.bankApiKey}   (source bank-demo-se)`);
  console.log('Ctrl-C stops everything.\n');
  if (demo) void liveSummary(env);
}

/** The demo bank's app: receives the signed webhooks and shows the customer's message. */
async function demoBankApp() {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      try {
        const b = JSON.parse(body);
        const who = b.customerId ? `customer ${b.customerId}` : 'advertiser';
        console.log(`\x1b[1m📱 ${who}\x1b[0m: ${b.message?.title ?? b.type} — ${b.message?.text ?? ''}`);
      } catch {
        /* not for us */
      }
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(3099, '127.0.0.1', resolve));
  server.unref();
}

/**
 * One line, refreshed: what the platform has done so far, from each service's own tables —
 * card transactions admitted, offers matched, rewards earned, advertiser spend booked in the
 * ledger, notifications delivered.
 */
async function liveSummary(env) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const sql = `SELECT
      (SELECT count(*) FROM ingestion.seen_events WHERE kind IN ('authorization', 'settlement', 'refund', 'reversal')) AS transactions,
      (SELECT count(*) FROM offer_matching.match_outcomes WHERE outcome = 'matched') AS matches,
      (SELECT count(*) FROM attribution.rewards) AS rewards,
      (SELECT COALESCE(json_object_agg(currency, minor), '{}') FROM (
         SELECT currency, SUM(cost_minor + fee_minor) AS minor FROM billing.ledger_transactions WHERE pricing_model IS NOT NULL GROUP BY currency) s) AS spend,
      (SELECT count(*) FROM notification.deliveries WHERE status = 'delivered') AS notified`;
  const n = (x) => Number(x).toLocaleString('en-US');
  for (;;) {
    if (stopping) return client.end();
    const row = await client.query(sql).then((r) => r.rows[0]).catch(() => undefined);
    if (row) {
      const spend =
        Object.entries(row.spend)
          .map(([currency, minor]) => {
            const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
            return `${currency} ${(Number(minor) / 10 ** digits).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
          })
          .join(' + ') || '0';
      const line = `[live] transactions ${n(row.transactions)} · matches ${n(row.matches)} · rewards ${n(row.rewards)} · spend ${spend} · notifications ${n(row.notified)}`;
      if (process.stdout.isTTY) process.stdout.write(`\r${line}   `);
      else console.log(line);
    }
    await new Promise((r) => setTimeout(r, process.stdout.isTTY ? 2000 : 15000));
  }
}

main().catch(async (error) => {
  console.error(error);
  await stopPostgres();
  process.exit(1);
});
