import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MessagingRuntime } from '@prestanda/service-kit';
import { createLogger } from '@prestanda/observability';
import { DataSource } from 'typeorm';
import { resealPostbackSecrets } from './conversions.repository';

const log = createLogger('affiliate');

/** At boot: postback secrets not sealed with the current SECRETS_KEY (plain, or the previous key's) are sealed again. */
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
    const n = await resealPostbackSecrets(this.dataSource.manager);
    if (n) log.info({ resealed: n }, 'postback secrets sealed with the current key');
  }
}
