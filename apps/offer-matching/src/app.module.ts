import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@prestanda/service-kit';
import { OfferMatchingEnv } from './config';
import { MatchingConsumer } from './matching/matching.consumer';
import { MatchingModule } from './matching/matching.module';
import { OFFER_MATCHING_ENTITIES, OFFER_MATCHING_MIGRATIONS } from './migrations';

/** OfferMatching: matches card transactions to offers; the eligible-offers feed. */
@Module({})
export class AppModule {
  static forRoot(config: OfferMatchingEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'offer-matching',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'offer_matching', entities: OFFER_MATCHING_ENTITIES, migrations: OFFER_MATCHING_MIGRATIONS },
          handlers: MatchingConsumer,
        }),
        MatchingModule,
      ],
    };
  }
}
