// Brings up what Prestanda needs: PostgreSQL (with its databases), Kafka, every topic.
import { ensureKafka } from '../../kafka/local-kafka.mjs';
import { ensureDatabase, ensurePostgres, withDatabase } from './postgres.mjs';
import { log, run, tsNodeArgs } from './util.mjs';

/**
 * Returns the environment for services and tests: DATABASE_URL, TEST_DATABASE_URL,
 * KAFKA_BROKERS. An existing cluster and database are used when KAFKA_BROKERS / DATABASE_URL
 * are set; otherwise local ones are started.
 */
export async function ensureInfra({ testDatabase = false } = {}) {
  const databaseUrl = await ensurePostgres();
  await ensureDatabase(databaseUrl);
  const env = { DATABASE_URL: databaseUrl };
  if (testDatabase) {
    env.TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? withDatabase(databaseUrl, 'prestanda_test');
    await ensureDatabase(env.TEST_DATABASE_URL);
  }
  env.KAFKA_BROKERS = await ensureKafka({ log });
  log(`Kafka: ${env.KAFKA_BROKERS}`);
  const code = await run(process.execPath, tsNodeArgs('tools/scripts/create-topics.ts'), { env: { ...process.env, ...env } });
  if (code !== 0) throw new Error('creating topics failed');
  return env;
}
