import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@prestanda/service-kit';
import { BudgetEventsConsumer } from './campaigns/budget-events.consumer';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ScheduleSweeper } from './campaigns/schedule-sweeper';
import { CAMPAIGNS_CONFIG, CampaignsEnv } from './config';
import { IntegrationsModule } from './integrations/integrations.module';
import { CAMPAIGNS_ENTITIES, CAMPAIGNS_MIGRATIONS } from './migrations';

/** Campaigns: advertisers, merchants, campaigns and publishers; the integration registry; the management API. */
@Module({})
export class AppModule {
  static forRoot(config: CampaignsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'campaigns',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'campaigns', entities: CAMPAIGNS_ENTITIES, migrations: CAMPAIGNS_MIGRATIONS },
          handlers: BudgetEventsConsumer,
        }),
        CampaignsModule,
        IntegrationsModule,
      ],
      providers: [{ provide: CAMPAIGNS_CONFIG, useValue: config }, ScheduleSweeper],
    };
  }
}
