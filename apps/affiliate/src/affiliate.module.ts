import { DynamicModule, Module } from '@nestjs/common';
import { AffiliateEnv } from './config';
import { ConfirmSweeper } from './conversions/confirm-sweeper';
import { ConversionsController } from './conversions/conversions.controller';
import { ConversionsService } from './conversions/conversions.service';
import { SecretsResealer } from './conversions/secrets-resealer';
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
      providers: [{ provide: AffiliateEnv, useValue: config }, ProgramsService, TrackingService, ConversionsService, ConfirmSweeper, SecretsResealer],
      exports: [ProgramsService, ConversionsService, ConfirmSweeper, AffiliateEnv],
    };
  }
}
