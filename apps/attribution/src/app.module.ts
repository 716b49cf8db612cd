import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@prestanda/service-kit';
import { AttributionConsumer } from './attribution/attribution.consumer';
import { AttributionModule } from './attribution/attribution.module';
import { AttributionEnv } from './config';
import { ATTRIBUTION_ENTITIES, ATTRIBUTION_MIGRATIONS } from './migrations';

/** Attribution: touchpoints, attribution rules and the reward lifecycle. */
@Module({})
export class AppModule {
  static forRoot(config: AttributionEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AttributionModule.forRoot(config),
        ServiceKitModule.forRoot({
          service: 'attribution',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'attribution', entities: ATTRIBUTION_ENTITIES, migrations: ATTRIBUTION_MIGRATIONS },
          handlers: AttributionConsumer,
        }),
      ],
    };
  }
}
