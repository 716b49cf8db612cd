import { dropSchema, testDatabaseUrl, uniqueSuffix, withPg } from '@prestanda/testing';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { createServiceDataSource, initializeDataSource } from '../src/data-source';

/** A slow migration that records each run in a table outside the schema: running it twice would show. */
function slowCountingMigration(runs: string) {
  return class SlowCounting1764460000042 implements MigrationInterface {
    name = 'SlowCounting1764460000042';
    async up(q: QueryRunner): Promise<void> {
      await q.query(`SELECT pg_sleep(0.5)`);
      await q.query(`INSERT INTO ${runs} VALUES (now())`);
    }
    async down(): Promise<void> {}
  };
}

describe('migrations at boot', () => {
  const schema = `lock_${uniqueSuffix()}`;
  const runs = `public."migration_runs_${uniqueSuffix()}"`;
  beforeAll(() => withPg((c) => c.query(`CREATE TABLE ${runs} (at timestamptz)`)));
  afterAll(async () => {
    await dropSchema(schema);
    await withPg((c) => c.query(`DROP TABLE ${runs}`));
  });

  it('two replicas booting at once against an empty schema migrate once, and both are ready', async () => {
    const migration = slowCountingMigration(runs);
    const replicas = [1, 2].map(() => createServiceDataSource({ schema, entities: [], migrations: [migration], url: testDatabaseUrl(), poolSize: 2 }));
    try {
      await Promise.all(replicas.map((ds) => initializeDataSource(ds)));
      expect(await withPg((c) => c.query(`SELECT count(*)::int AS n FROM ${runs}`).then((r) => r.rows))).toEqual([{ n: 1 }]);
      for (const ds of replicas) expect(await ds.query(`SELECT count(*)::int AS n FROM "${schema}"."migrations" WHERE name = 'SlowCounting1764460000042'`)).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all(replicas.map((ds) => ds.isInitialized && ds.destroy()));
    }
  });
});
