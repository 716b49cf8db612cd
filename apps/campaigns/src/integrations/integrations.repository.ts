import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKey, Integration } from './entities';

/** The registry's SQL. */
@Injectable()
export class IntegrationsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /** Inserts unless the id exists; false when it did. */
  async insertIntegration(row: Integration, m: EntityManager = this.ds.manager): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO "campaigns"."integrations" ("id","kind","name","locale","publisher_id","created_at") VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT ("id") DO NOTHING RETURNING 1`,
      [row.id, row.kind, row.name, row.locale, row.publisherId, row.createdAt],
    );
    return inserted.length > 0;
  }

  /** Integrations whose snapshot has not been published yet, locked (registered before the registry published them). */
  unpublished(m: EntityManager): Promise<Integration[]> {
    return m.getRepository(Integration).createQueryBuilder('i').setLock('pessimistic_write').where('i.publishedAt IS NULL').orderBy('i.id', 'ASC').getMany();
  }

  async markPublished(m: EntityManager, ids: string[], at: Date): Promise<void> {
    await m.query(`UPDATE "campaigns"."integrations" SET "published_at" = $2 WHERE "id" = ANY($1::text[])`, [ids, at]);
  }

  integration(id: string, m: EntityManager = this.ds.manager): Promise<Integration | null> {
    return m.getRepository(Integration).findOneBy({ id });
  }

  integrations(): Promise<Integration[]> {
    return this.ds.getRepository(Integration).find({ order: { id: 'ASC' } });
  }

  keysOf(integrationIds: string[]): Promise<ApiKey[]> {
    if (integrationIds.length === 0) return Promise.resolve([]);
    return this.ds.getRepository(ApiKey).createQueryBuilder('k').where('k.integrationId IN (:...ids)', { ids: integrationIds }).orderBy('k.createdAt', 'ASC').getMany();
  }

  /** The key row for an update, locked. */
  keyForUpdate(m: EntityManager, integrationId: string, keyId: string): Promise<ApiKey | null> {
    return m.getRepository(ApiKey).createQueryBuilder('k').setLock('pessimistic_write').where('k.keyId = :keyId AND k.integrationId = :integrationId', { keyId, integrationId }).getOne();
  }

  async insertKey(m: EntityManager, row: ApiKey): Promise<void> {
    await m.getRepository(ApiKey).insert(row);
  }

  async setKeyEnd(m: EntityManager, keyId: string, end: { expiresAt?: Date; revokedAt?: Date }): Promise<void> {
    await m.getRepository(ApiKey).update({ keyId }, end);
  }

  /** The key with this digest and its integration. */
  async byDigest(digest: string): Promise<{ key: ApiKey; integration: Integration } | null> {
    const key = await this.ds.getRepository(ApiKey).findOneBy({ digest });
    if (!key) return null;
    const integration = await this.integration(key.integrationId);
    return integration ? { key, integration } : null;
  }
}
