import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ServiceKitModule } from '@prestanda/service-kit';
import { INGESTION_CONFIG, IngestionEnv } from './config';
import { GateConsumer } from './gate/gate.consumer';
import { GateController } from './gate/gate.controller';
import { GateService } from './gate/gate.service';
import { NoEchoExceptionFilter } from './gate/no-echo.filter';
import { INGESTION_ENTITIES, INGESTION_MIGRATIONS } from './migrations';

/** The gate's feature module: the service both the consumer and the HTTP controller admit through. */
@Module({})
export class GateModule {
  static forRoot(config: IngestionEnv): DynamicModule {
    return {
      module: GateModule,
      global: true,
      providers: [{ provide: INGESTION_CONFIG, useValue: config }, GateService, { provide: APP_FILTER, useClass: NoEchoExceptionFilter }],
      controllers: [GateController],
      exports: [INGESTION_CONFIG, GateService],
    };
  }
}

/** Ingestion: the gate: validates, normalises and de-duplicates everything that enters. */
@Module({})
export class AppModule {
  static forRoot(config: IngestionEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        GateModule.forRoot(config),
        ServiceKitModule.forRoot({
          service: 'ingestion',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'ingestion', entities: INGESTION_ENTITIES, migrations: INGESTION_MIGRATIONS },
          handlers: GateConsumer,
        }),
      ],
    };
  }
}
