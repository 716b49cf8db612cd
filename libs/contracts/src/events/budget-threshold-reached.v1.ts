import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { integer, object } from '../json-schema';
import { Topic } from '../topics';
import { BUDGET_REQUIRED, budgetProperties, EXAMPLE_BUDGET, type BudgetFields } from './budget.shared';

/** `data` of `budget.threshold-reached` v1 on `budget-events`. */
export interface BudgetThresholdReachedV1Data extends BudgetFields {
  readonly thresholdPercent: number;
}

export const BudgetThresholdReachedV1: EventDescriptor<'budget.threshold-reached', 1, BudgetThresholdReachedV1Data, 'budget-events'> = {
  type: 'budget.threshold-reached',
  schemaVersion: 1,
  topic: Topic.BudgetEvents,
  schema: object(
    'Spend crossed a warning threshold of a budget.',
    { ...budgetProperties(), thresholdPercent: integer('The threshold crossed, in percent (80 today).', { minimum: 1, maximum: 99, examples: [80] }) },
    [...BUDGET_REQUIRED, 'thresholdPercent'],
  ),
  summary: 'A campaign budget reached 80 %.',
  description: 'Produced by billing once per budget (and per day for daily caps) when spend first reaches 80 %. notification warns the advertiser; the campaign keeps running.',
  example: { ...EXAMPLE_BUDGET, thresholdPercent: 80 },
};

export type BudgetThresholdReachedV1Envelope = EnvelopeOf<typeof BudgetThresholdReachedV1>;
