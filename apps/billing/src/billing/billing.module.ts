import { Global, Module } from '@nestjs/common';
import { ActionsController } from '../api/actions';
import { BudgetsController } from '../api/budgets';
import { LedgerChecks, LedgerChecksController } from '../api/checks';
import { InvoicesController } from '../api/invoices';
import { PayoutsController, PayoutService } from '../api/payouts';
import { BillingService } from './billing.service';

/** Global so that the consumer (registered inside ServiceKitModule) can inject BillingService. */
@Global()
@Module({
  controllers: [InvoicesController, PayoutsController, LedgerChecksController, BudgetsController, ActionsController],
  providers: [BillingService, PayoutService, LedgerChecks],
  exports: [BillingService, PayoutService, LedgerChecks],
})
export class BillingModule {}
