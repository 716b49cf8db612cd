import { randomUUID } from 'node:crypto';
import { createKafka, ensureTopics } from '@prestanda/kafka';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';

/**
 * Integration tests talk to the real broker and database that tools/cli/test.mjs started (or
 * that KAFKA_BROKERS / DATABASE_URL point at). The test database is `prestanda_test` unless
 * TEST_DATABASE_URL says otherwise.
 */
export function testDatabaseUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/prestanda');
  base.pathname = '/prestanda_test';
  return base.toString();
}

export function testKafka(clientId = 'prestanda-test'): Kafka {
  return createKafka(clientId);
}

/** A short unique suffix for topics, schemas and groups, so tests never see each other's data. */
export function uniqueSuffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 10);
}

/** Creates topics (each with its dead-letter topic) for one test. */
export async function createTestTopics(kafka: Kafka, names: string[], partitions = 4): Promise<void> {
  await ensureTopics(kafka, names.flatMap((name) => [{ name, partitions }, { name: `${name}.dlq`, partitions: 1 }]));
}

export async function withPg<T>(fn: (client: Client) => Promise<T>, url = testDatabaseUrl()): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string, url = testDatabaseUrl()): Promise<void> {
  await withPg((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`), url);
}
