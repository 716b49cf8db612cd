#!/usr/bin/env node
// npm test: lint, type-check, unit tests, then integration tests against the real broker and
// database (started here when not already running). Exits non-zero on the first failure.
import { kafkaStatus, stopKafka } from '../kafka/local-kafka.mjs';
import { ensureChromium } from './lib/chromium.mjs';
import { ensureConsoleBuild } from './lib/console.mjs';
import { ensureInfra } from './lib/infra.mjs';
import { stopPostgres } from './lib/postgres.mjs';
import { ensureDependencies, log, repoRoot, run } from './lib/util.mjs';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const bin = (name) => `node_modules/.bin/${name}`;
const steps = [];
let startedKafka = false;
const totals = { passed: 0, failed: 0 };
const reports = path.join(repoRoot, '.local', 'test-reports');
mkdirSync(reports, { recursive: true });

/** Runs one Jest project and adds its counts to the totals printed at the end. */
async function jest(project, extra = [], env = process.env) {
  const out = path.join(reports, `${project}.json`);
  const code = await run(bin('jest'), ['--selectProjects', project, '--ci', '--json', `--outputFile=${out}`, ...extra], { env });
  try {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    if (r.numTotalTests === 0) return 1; // a project that ran no test is a failure
  } catch {
    return code || 1;
  }
  return code;
}

async function step(name, fn) {
  const started = Date.now();
  log(`── ${name}`);
  const code = await fn();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  steps.push({ name, code, seconds });
  if (code !== 0) {
    log(`✗ ${name} failed (exit ${code}) after ${seconds}s`);
    log(`tests: ${totals.passed} passed, ${Math.max(totals.failed, 1)} failed`);
    await cleanup();
    process.exit(code);
  }
  log(`✓ ${name} (${seconds}s)`);
}

/** Leaves nothing running that this command started. */
async function cleanup() {
  if (startedKafka && process.env.PRESTANDA_KEEP_KAFKA !== '1') await stopKafka().catch(() => undefined);
  await stopPostgres();
}

ensureDependencies();
const only = process.argv[2];
if (!only || only === 'static') {
  // The module-boundary rule reads Nx's project graph; compute it first or the rule is skipped.
  await step('project graph', () => run(bin('nx'), ['show', 'projects', '--json'], { env: { ...process.env, NX_DAEMON: 'false' }, stdio: ['ignore', 'ignore', 'inherit'] }));
  await step('lint', () => run(bin('eslint'), ['.', '--max-warnings=0'], { env: { ...process.env, NX_DAEMON: 'false' } }));
  await step('type-check', () => run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']));
  // The console's browser code (DOM, JSX) has its own tsconfig, outside the root one.
  await step('type-check (console)', () => run(bin('tsc'), ['-p', 'apps/console/web/tsconfig.json', '--noEmit']));
}
if (!only || only === 'unit') await step('unit tests', () => jest('unit'));
if (!only || only === 'integration') {
  // The console's browser test needs Debian's Chromium and the built console.
  await step('chromium', () => ensureChromium());
  await step('console build', () => ensureConsoleBuild());
  startedKafka = !process.env.KAFKA_BROKERS && !(await kafkaStatus()).running;
  const env = await ensureInfra({ testDatabase: true });
  await step('integration tests', () => jest('integration', ['--runInBand'], { ...process.env, ...env }));
}
await cleanup();
log(steps.map((s) => `${s.name}: ok (${s.seconds}s)`).join(' · '));
// The plain closing line CI reads.
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
