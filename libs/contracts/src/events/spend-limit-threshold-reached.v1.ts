import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { integer, object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_SPEND_LIMIT, SPEND_LIMIT_REQUIRED, spendLimitProperties, type SpendLimitFields } from './spend-limit.shared';

/** `data` of `spend-limit.threshold-reached` v1 on `budget-events`. */
export interface SpendLimitThresholdReachedV1Data extends SpendLimitFields {
  readonly thresholdPercent: number;
}

export const SpendLimitThresholdReachedV1: EventDescriptor<'spend-limit.threshold-reached', 1, SpendLimitThresholdReachedV1Data, 'budget-events'> = {
  type: 'spend-limit.threshold-reached',
  schemaVersion: 1,
  topic: Topic.BudgetEvents,
  schema: object(
    'Spend crossed a warning threshold of an advertiser budget or a per-bank cap.',
    { ...spendLimitProperties(), thresholdPercent: integer('The threshold crossed, in percent (80 today).', { minimum: 1, maximum: 99, examples: [80] }) },
    [...SPEND_LIMIT_REQUIRED, 'thresholdPercent'],
  ),
  summary: 'An advertiser budget or per-bank cap reached 80 %.',
  description: 'Produced by billing once per limit when spend first reaches 80 % (re-armed when a reversal or a raised limit brings it below). Informational: matching goes on.',
  example: { ...EXAMPLE_SPEND_LIMIT, thresholdPercent: 80 },
};

export type SpendLimitThresholdReachedV1Envelope = EnvelopeOf<typeof SpendLimitThresholdReachedV1>;
