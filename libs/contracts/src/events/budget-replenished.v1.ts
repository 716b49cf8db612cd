import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { enumOf, object } from '../json-schema';
import { Topic } from '../topics';
import { BUDGET_REQUIRED, budgetProperties, EXAMPLE_BUDGET, type BudgetFields } from './budget.shared';

/** `data` of `budget.replenished` v1 on `budget-events`. */
export interface BudgetReplenishedV1Data extends BudgetFields {
  readonly reason: 'budget-raised' | 'daily-reset' | 'reversal-credited';
}

export const BudgetReplenishedV1: EventDescriptor<'budget.replenished', 1, BudgetReplenishedV1Data, 'budget-events'> = {
  type: 'budget.replenished',
  schemaVersion: 1,
  topic: Topic.BudgetEvents,
  schema: object(
    'An exhausted budget has room again.',
    {
      ...budgetProperties(),
      reason: enumOf(
        '"budget-raised": the advertiser raised the budget; "daily-reset": a new day started for a daily cap; "reversal-credited": reversed rewards credited enough back to reopen it.',
        ['budget-raised', 'daily-reset', 'reversal-credited'],
      ),
    },
    [...BUDGET_REQUIRED, 'reason'],
  ),
  summary: 'A previously exhausted budget has room again.',
  description: 'Produced by billing when a budget that was exhausted is below 100 % again. offer-matching resumes matching; campaigns returns the campaign from "exhausted" to "active" when its schedule allows.',
  example: { ...EXAMPLE_BUDGET, budget: { amountMinor: 8_000_000, currency: 'SEK' }, spent: { amountMinor: 5_003_120, currency: 'SEK' }, percent: 62, reason: 'budget-raised' },
};

export type BudgetReplenishedV1Envelope = EnvelopeOf<typeof BudgetReplenishedV1>;
