import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_SPEND_LIMIT, SPEND_LIMIT_REQUIRED, spendLimitProperties, type SpendLimitFields } from './spend-limit.shared';

/** `data` of `spend-limit.exhausted` v1 on `budget-events`. */
export type SpendLimitExhaustedV1Data = SpendLimitFields;

export const SpendLimitExhaustedV1: EventDescriptor<'spend-limit.exhausted', 1, SpendLimitExhaustedV1Data, 'budget-events'> = {
  type: 'spend-limit.exhausted',
  schemaVersion: 1,
  topic: Topic.BudgetEvents,
  schema: object('Spend reached 100 % of an advertiser budget or a per-bank cap.', spendLimitProperties(), SPEND_LIMIT_REQUIRED),
  summary: 'An advertiser budget or per-bank cap is spent.',
  description:
    'Produced by billing when spend reaches 100 % of a limit. offer-matching stops matching every campaign under it (purchases declined with advertiser-budget-exhausted or bank-budget-exhausted) until spend-limit.replenished; billing charges nothing more against it.',
  example: { ...EXAMPLE_SPEND_LIMIT, spent: { amountMinor: 20_000_350, currency: 'SEK' }, percent: 100 },
};

export type SpendLimitExhaustedV1Envelope = EnvelopeOf<typeof SpendLimitExhaustedV1>;
