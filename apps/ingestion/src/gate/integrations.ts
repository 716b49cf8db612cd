import type { IntegrationSnapshotV1Data } from '@prestanda/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** The registry's integrations as ingestion knows them (from the integrations topic): who owns which own topics, and for which publisher. */
@Entity({ name: 'integrations' })
export class RegisteredIntegration {
  @PrimaryColumn({ name: 'integration_id', type: 'text' }) integrationId: string;
  @Column({ type: 'text' }) kind: string;
  /** The publisher its impressions, clicks and leads are for; NULL: it reports none. */
  @Column({ name: 'publisher_id', type: 'text', nullable: true }) publisherId: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export interface KnownIntegration {
  kind: string;
  publisherId: string | null;
}

/**
 * The integrations the registry published, kept in ingestion's own table and in memory. Every
 * replica re-reads the table on an interval, so an integration registered while it runs is read
 * (its own topics opened) by all of them.
 */
export class IntegrationDirectory {
  private known = new Map<string, KnownIntegration>();

  get(id: string): KnownIntegration | undefined {
    return this.known.get(id);
  }

  ids(): string[] {
    return [...this.known.keys()].sort();
  }

  /** Reloads from the table; returns the ids that were not known before. */
  async load(ds: DataSource | EntityManager): Promise<string[]> {
    const rows: { integration_id: string; kind: string; publisher_id: string | null }[] = await ds.query(`SELECT "integration_id", "kind", "publisher_id" FROM "ingestion"."integrations"`);
    const next = new Map(rows.map((r) => [r.integration_id, { kind: r.kind, publisherId: r.publisher_id }]));
    const added = [...next.keys()].filter((id) => !this.known.has(id));
    this.known = next;
    return added.sort();
  }

  /** integration.snapshot: the newest registration wins (updatedAt). */
  async record(m: EntityManager, d: IntegrationSnapshotV1Data): Promise<void> {
    await m.query(
      `INSERT INTO "ingestion"."integrations" ("integration_id", "kind", "publisher_id", "updated_at") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("integration_id") DO UPDATE SET "kind" = EXCLUDED."kind", "publisher_id" = EXCLUDED."publisher_id", "updated_at" = EXCLUDED."updated_at"
       WHERE "integrations"."updated_at" <= EXCLUDED."updated_at"`,
      [d.integrationId, d.kind, d.publisherId ?? null, d.updatedAt],
    );
  }
}
