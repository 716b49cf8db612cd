import { DynamicModule, Module } from '@nestjs/common';
import { AttributionService } from './attribution.service';
import { ATTRIBUTION_CONFIG, type AttributionConfig } from './attribution.tokens';
import { ConfirmationWorker } from './confirmation.worker';
import { RewardsController } from './rewards.controller';

/** Attribution rules, the reward lifecycle, the confirmation worker and the rewards API. */
@Module({})
export class AttributionModule {
  static forRoot(config: AttributionConfig): DynamicModule {
    return {
      module: AttributionModule,
      global: true,
      controllers: [RewardsController],
      providers: [{ provide: ATTRIBUTION_CONFIG, useValue: config }, AttributionService, ConfirmationWorker],
      exports: [ATTRIBUTION_CONFIG, AttributionService, ConfirmationWorker],
    };
  }
}
