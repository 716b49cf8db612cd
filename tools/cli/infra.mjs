#!/usr/bin/env node
// npm run infra:up / infra:down — the local broker and database on their own.
import { stopKafka } from '../kafka/local-kafka.mjs';
import { ensureInfra } from './lib/infra.mjs';
import { ensureDependencies, log } from './lib/util.mjs';

const command = process.argv[2] ?? 'up';
if (command === 'up') {
  ensureDependencies();
  const env = await ensureInfra({ testDatabase: true });
  for (const [k, v] of Object.entries(env)) log(`${k}=${v}`);
} else if (command === 'down') {
  await stopKafka();
  log('Kafka stopped (the machine\'s PostgreSQL is left running)');
} else {
  console.error('usage: infra.mjs up|down');
  process.exit(2);
}
