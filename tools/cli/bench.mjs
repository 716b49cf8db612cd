#!/usr/bin/env node
// npm run bench [kafka]: brings up the broker and database as npm start does, then runs the
// benchmarks; each prints its figures against a baseline measured in the same run.
import { kafkaClasspath } from '../kafka/local-kafka.mjs';
import { ensureInfra } from './lib/infra.mjs';
import { stopPostgres } from './lib/postgres.mjs';
import { ensureDependencies, log, run, tsNodeArgs } from './lib/util.mjs';

const which = process.argv[2] ?? 'all';
ensureDependencies();
const env = { ...process.env, ...(await ensureInfra({ testDatabase: true })) };
if (!process.env.KAFKA_BROKERS) env.KAFKA_CLASSPATH = kafkaClasspath();
const benches = { kafka: 'tools/bench/kafka-bench.ts', pipeline: 'tools/bench/pipeline-bench.ts', billing: 'apps/billing/bench/ledger-bench.ts', redirect: 'tools/bench/redirect-bench.ts' };
const selected = which === 'all' ? Object.keys(benches) : [which];
let failed = 0;
const started = Date.now();
for (const name of selected) {
  if (!benches[name]) {
    console.error(`unknown benchmark ${name}; one of: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  log(`── bench:${name}`);
  // The billing and redirect benchmarks write to their service's schema: give them the scratch (test) database.
  const benchEnv = name === 'billing' || name === 'redirect' ? { ...env, DATABASE_URL: env.TEST_DATABASE_URL } : env;
  const code = await run(process.execPath, tsNodeArgs(benches[name]), { env: benchEnv });
  if (code !== 0) failed++;
}
await stopPostgres();
log(`── ${selected.length > 1 ? 'npm run bench' : `bench:${which}`}: ${Math.round((Date.now() - started) / 1000)} s in all${failed ? `, ${failed} failed` : ''}`);
process.exit(failed ? 1 : 0);
