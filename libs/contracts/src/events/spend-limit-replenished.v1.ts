import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { enumOf, object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_SPEND_LIMIT, SPEND_LIMIT_REQUIRED, spendLimitProperties, type SpendLimitFields } from './spend-limit.shared';

/** `data` of `spend-limit.replenished` v1 on `budget-events`. */
export interface SpendLimitReplenishedV1Data extends SpendLimitFields {
  readonly reason: 'budget-raised' | 'limit-removed' | 'reversal-credited';
}

export const SpendLimitReplenishedV1: EventDescriptor<'spend-limit.replenished', 1, SpendLimitReplenishedV1Data, 'budget-events'> = {
  type: 'spend-limit.replenished',
  schemaVersion: 1,
  topic: Topic.BudgetEvents,
  schema: object(
    'An exhausted advertiser budget or per-bank cap has room again.',
    {
      ...spendLimitProperties(),
      reason: enumOf(
        '"budget-raised": the limit was raised above spend; "limit-removed": the limit no longer exists; "reversal-credited": reversed rewards credited enough back to reopen it.',
        ['budget-raised', 'limit-removed', 'reversal-credited'],
      ),
    },
    [...SPEND_LIMIT_REQUIRED, 'reason'],
  ),
  summary: 'A previously exhausted advertiser budget or per-bank cap has room again.',
  description: 'Produced by billing when an exhausted limit is below 100 % again (or removed). offer-matching resumes matching the campaigns under it.',
  example: { ...EXAMPLE_SPEND_LIMIT, budget: { amountMinor: 30_000_000, currency: 'SEK' }, spent: { amountMinor: 20_000_350, currency: 'SEK' }, percent: 66, reason: 'budget-raised' },
};

export type SpendLimitReplenishedV1Envelope = EnvelopeOf<typeof SpendLimitReplenishedV1>;
