import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@prestanda/service-kit';
import { AffiliateConsumer } from './affiliate.consumer';
import { AffiliateModule } from './affiliate.module';
import { AffiliateEnv } from './config';
import { AFFILIATE_ENTITIES, AFFILIATE_MIGRATIONS } from './migrations';

/** Affiliate: the network's redirect edge, conversion postbacks and the commission lifecycle. */
@Module({})
export class AppModule {
  static forRoot(config: AffiliateEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AffiliateModule.forRoot(config),
        ServiceKitModule.forRoot({
          service: 'affiliate',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'affiliate', entities: AFFILIATE_ENTITIES, migrations: AFFILIATE_MIGRATIONS },
          handlers: AffiliateConsumer,
        }),
      ],
    };
  }
}
