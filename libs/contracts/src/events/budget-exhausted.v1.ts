import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { object } from '../json-schema';
import { Topic } from '../topics';
import { BUDGET_REQUIRED, budgetProperties, EXAMPLE_BUDGET, type BudgetFields } from './budget.shared';

/** `data` of `budget.exhausted` v1 on `budget-events`. */
export type BudgetExhaustedV1Data = BudgetFields;

export const BudgetExhaustedV1: EventDescriptor<'budget.exhausted', 1, BudgetExhaustedV1Data, 'budget-events'> = {
  type: 'budget.exhausted',
  schemaVersion: 1,
  topic: Topic.BudgetEvents,
  schema: object('Spend reached 100 % of a budget.', budgetProperties(), BUDGET_REQUIRED),
  summary: 'A campaign budget is spent.',
  description:
    'Produced by billing when spend reaches 100 %. offer-matching stops matching the campaign at once (total scope: until replenished; daily scope: until the next day); campaigns sets status "exhausted" for a total budget; notification tells the advertiser.',
  example: { ...EXAMPLE_BUDGET, spent: { amountMinor: 5_003_120, currency: 'SEK' }, percent: 100 },
};

export type BudgetExhaustedV1Envelope = EnvelopeOf<typeof BudgetExhaustedV1>;
