/**
 * The billing schema's entities and migrations, listed explicitly (globs break under bundling).
 * Migrations: <epochMs>-<VerbNoun>.ts, this service's schema only.
 */
import { BILLING_TABLE_ENTITIES } from '../billing/billing.entities';
import { CreateBillingTables1764470000000 } from './1764470000000-CreateBillingTables';
import { CreateUnbilledActions1796600000000 } from './1796600000000-CreateUnbilledActions';
import { AddRewardPurchase1796700000000 } from './1796700000000-AddRewardPurchase';
import { AddLedgerConversion1796800000100 } from './1796800000100-AddLedgerConversion';
import { CreateSpendLimits1797000000000 } from './1797000000000-CreateSpendLimits';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const BILLING_ENTITIES: Function[] = [...BILLING_TABLE_ENTITIES];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const BILLING_MIGRATIONS: Function[] = [CreateBillingTables1764470000000, CreateUnbilledActions1796600000000, AddRewardPurchase1796700000000, AddLedgerConversion1796800000100, CreateSpendLimits1797000000000];
