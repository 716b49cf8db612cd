import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@prestanda/service-kit';
import { IngestionEnv } from './config';
import { INGESTION_ENTITIES, INGESTION_MIGRATIONS } from './migrations';

/** Ingestion: the gate: validates, normalises and de-duplicates everything that enters. */
@Module({})
export class AppModule {
  static forRoot(config: IngestionEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'ingestion',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'ingestion', entities: INGESTION_ENTITIES, migrations: INGESTION_MIGRATIONS },
        }),
      ],
    };
  }
}
