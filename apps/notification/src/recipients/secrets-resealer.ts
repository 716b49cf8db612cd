import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MessagingRuntime } from '@prestanda/service-kit';
import { createLogger } from '@prestanda/observability';
import { secretBox } from '@prestanda/persistence';
import { DataSource } from 'typeorm';

const log = createLogger('notification');

/**
 * At boot: webhook secrets not sealed with the current SECRETS_KEY (rows from before encryption,
 * or the previous key's during a rotation) are sealed again, so the previous key can be dropped.
 */
@Injectable()
export class SecretsResealer implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Once the schema is migrated, before anything is consumed or sent.
    this.moduleRef.get(MessagingRuntime, { strict: false }).onDatabaseReady(() => this.reseal());
  }

  async reseal(): Promise<void> {
    const box = secretBox();
    const rows: { kind: string; id: string; webhook_secret: string }[] = await this.dataSource.query(`SELECT kind, id, webhook_secret FROM "notification"."recipients" WHERE webhook_secret IS NOT NULL`);
    const stale = rows.filter((r) => box.needsReseal(r.webhook_secret));
    for (const r of stale) {
      await this.dataSource.query(`UPDATE "notification"."recipients" SET webhook_secret = $3 WHERE kind = $1 AND id = $2 AND webhook_secret = $4`, [r.kind, r.id, box.seal(box.open(r.webhook_secret)), r.webhook_secret]);
    }
    if (stale.length) log.info({ resealed: stale.length }, 'webhook secrets sealed with the current key');
  }
}
