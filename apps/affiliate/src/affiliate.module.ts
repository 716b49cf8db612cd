import { DynamicModule, Module } from '@nestjs/common';
import { SECRET_COLUMNS, SecretsResealer } from '@prestanda/service-kit';
import { AffiliateEnv } from './config';
import { ConfirmSweeper } from './conversions/confirm-sweeper';
import { ConversionsController } from './conversions/conversions.controller';
import { ConversionsService } from './conversions/conversions.service';
import { ProgramsService } from './programs/programs.service';
import { ReportsController } from './reports/reports.controller';
import { TrackingController } from './tracking/tracking.controller';
import { TrackingService } from './tracking/tracking.service';

@Module({})
export class AffiliateModule {
  static forRoot(config: AffiliateEnv): DynamicModule {
    return {
      module: AffiliateModule,
      global: true,
      controllers: [TrackingController, ConversionsController, ReportsController],
      providers: [{ provide: AffiliateEnv, useValue: config }, ProgramsService, TrackingService, ConversionsService, ConfirmSweeper, { provide: SECRET_COLUMNS, useValue: [{ table: '"affiliate"."postback_secrets"', keys: ['advertiser_id'], column: 'secret' }] }, SecretsResealer],
      exports: [ProgramsService, ConversionsService, ConfirmSweeper, AffiliateEnv],
    };
  }
}
