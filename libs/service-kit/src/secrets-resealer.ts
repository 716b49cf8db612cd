import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { createLogger } from '@prestanda/observability';
import { secretBox } from '@prestanda/persistence';
import { DataSource } from 'typeorm';
import { MessagingRuntime } from './messaging.runtime';

/** A table column holding secrets sealed with SECRETS_KEY, and the columns that identify a row. */
export interface SecretColumn {
  table: string;
  keys: string[];
  column: string;
}

export const SECRET_COLUMNS = Symbol('SECRET_COLUMNS');

/**
 * At boot, once the schema is migrated and before anything is consumed or sent: every secret not
 * sealed with the current SECRETS_KEY (rows from before encryption, or the previous key's during a
 * rotation) is sealed again, so that SECRETS_KEY_PREVIOUS can be dropped afterwards. A row changed
 * meanwhile (by another replica) is left to it: the UPDATE matches the value it read.
 */
@Injectable()
export class SecretsResealer implements OnModuleInit {
  private readonly log = createLogger('secrets');

  constructor(
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    @Inject(SECRET_COLUMNS) private readonly columns: SecretColumn[],
  ) {}

  onModuleInit(): void {
    this.moduleRef.get(MessagingRuntime, { strict: false }).onDatabaseReady(() => this.reseal().then(() => undefined));
  }

  async reseal(): Promise<number> {
    const box = secretBox();
    let total = 0;
    for (const { table, keys, column } of this.columns) {
      const rows: Record<string, string>[] = await this.dataSource.query(`SELECT ${[...keys, column].map((k) => `"${k}"`).join(', ')} FROM ${table} WHERE "${column}" IS NOT NULL`);
      for (const row of rows.filter((r) => box.needsReseal(r[column]))) {
        const where = keys.map((k, i) => `"${k}" = $${i + 2}`).join(' AND ');
        await this.dataSource.query(`UPDATE ${table} SET "${column}" = $1 WHERE ${where} AND "${column}" = $${keys.length + 2}`, [box.seal(box.open(row[column])), ...keys.map((k) => row[k]), row[column]]);
        total++;
      }
    }
    if (total) this.log.info({ resealed: total }, 'secrets sealed with the current key');
    return total;
  }
}
