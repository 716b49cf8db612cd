import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@prestanda/service-kit';
import { BillingConsumer } from './billing/billing.consumer';
import { BillingModule } from './billing/billing.module';
import { BillingEnv } from './config';
import { BILLING_ENTITIES, BILLING_MIGRATIONS } from './migrations';

/** Billing: the double-entry ledger, pricing, budgets, invoices and payouts. */
@Module({})
export class AppModule {
  static forRoot(config: BillingEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'billing',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'billing', entities: BILLING_ENTITIES, migrations: BILLING_MIGRATIONS },
          handlers: BillingConsumer,
        }),
        BillingModule,
      ],
    };
  }
}
