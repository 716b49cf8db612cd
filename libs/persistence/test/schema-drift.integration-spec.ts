import { dropSchema, testDatabaseUrl, uniqueSuffix } from '@prestanda/testing';
import { Column, Entity, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import { createServiceDataSource, initializeDataSource, schemaDrift } from '../src/data-source';

@Entity({ name: 'widgets' })
class Widget {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'bigint' })
  amountMinor: string;
}

/** Deliberately out of step with Widget: it lacks the amountMinor column. */
class CreateWidgetsWithoutAmount1764460000009 implements MigrationInterface {
  name = 'CreateWidgetsWithoutAmount1764460000009';
  async up(q: QueryRunner): Promise<void> {
    const s = (q.connection.options as { schema: string }).schema;
    await q.query(`CREATE TABLE "${s}"."widgets" ("id" text PRIMARY KEY)`);
  }
  async down(): Promise<void> {}
}

describe('entities and migrations stay in step', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });

  it('the shared inbox and outbox tables match their entities', async () => {
    const schema = `t_drift_${uniqueSuffix()}`;
    schemas.push(schema);
    const ds = await initializeDataSource(createServiceDataSource({ schema, entities: [], migrations: [], url: testDatabaseUrl() }));
    try {
      expect(await schemaDrift(ds)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('reports an entity column that no migration created', async () => {
    const schema = `t_drift_${uniqueSuffix()}`;
    schemas.push(schema);
    const ds = await initializeDataSource(createServiceDataSource({ schema, entities: [Widget], migrations: [CreateWidgetsWithoutAmount1764460000009], url: testDatabaseUrl() }));
    try {
      const drift = await schemaDrift(ds);
      expect(drift.join('\n')).toMatch(/ADD "amountMinor" bigint/);
    } finally {
      await ds.destroy();
    }
  });
});
