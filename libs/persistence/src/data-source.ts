import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { databaseUrl } from './database-url';
import { MESSAGING_ENTITIES } from './messaging.entities';
import { CreateMessagingTables1764460000000, CreateStuckMessages1796200000000 } from './messaging.migration';

export interface ServiceDataSourceOptions {
  /** The service's own Postgres schema; no service reads another's. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /** Imported explicitly (globs break under bundling); the messaging tables come first. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  url?: string;
  poolSize?: number;
  applicationName?: string;
}

export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  const config: DataSourceOptions = {
    type: 'postgres',
    url: options.url ?? databaseUrl(),
    schema: options.schema,
    entities: [...MESSAGING_ENTITIES, ...(options.entities as unknown[] as [])],
    migrations: [CreateMessagingTables1764460000000, CreateStuckMessages1796200000000, ...options.migrations],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? `prestanda-${options.schema}`,
      connectionTimeoutMillis: 5000,
    },
  };
  return new DataSource(config);
}

/**
 * Connects, creates the schema if missing and runs pending migrations — under a PostgreSQL
 * advisory lock per schema, so that replicas booting at once (the chart runs two) migrate once:
 * the first holds the lock and migrates, the others wait and then find nothing pending.
 */
export async function initializeDataSource(dataSource: DataSource, { migrate = true } = {}): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema && !migrate) return dataSource;
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext($1))`, [`prestanda-migrations:${schema ?? 'public'}`]);
    try {
      if (schema) await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      if (migrate) await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`prestanda-migrations:${schema ?? 'public'}`]);
    }
  } finally {
    await lock.release();
  }
  return dataSource;
}

/**
 * The SQL TypeORM would run to bring the schema in line with the entities. Empty when
 * entities and migrations agree; tests fail on anything else (entities drifted).
 */
export async function schemaDrift(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

/** Creates the database named in the URL if it does not exist (local and CI convenience). */
export async function ensureDatabase(url: string = databaseUrl()): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const { Client } = await import('pg');
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}
