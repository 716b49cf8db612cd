import type { Money } from '@prestanda/money';
import { dateTime, enumOf, id, integer, money, string, type JsonSchema } from '../json-schema';

/** Fields every budget event carries. Not an event itself. */

export interface BudgetFields {
  readonly advertiserId: string;
  readonly campaignId: string;
  readonly scope: 'total' | 'daily';
  readonly day?: string;
  readonly budget: Money;
  readonly spent: Money;
  readonly percent: number;
  readonly at: string;
}

export function budgetProperties(): Record<string, JsonSchema> {
  return {
    advertiserId: id('The advertiser whose campaign budget changed (also the message key).', 'adv-ica-demo'),
    campaignId: id('The campaign.', 'cmp-01HQ4Z8K2M'),
    scope: enumOf('"total": the campaign\'s total budget; "daily": its daily cap for `day`.', ['total', 'daily']),
    day: string('For daily scope: the calendar day in the campaign\'s time zone, YYYY-MM-DD.', { format: 'date', examples: ['2025-03-14'] }),
    budget: money('The budget (total or daily cap) in the advertiser\'s billing currency.', 'non-negative'),
    spent: money('Spend booked against it so far, same currency. May exceed the budget by at most one action.', 'non-negative'),
    percent: integer('floor(spent × 100 / budget): 80 at the warning threshold, 100 or more when exhausted. 0 when the budget is 0 and nothing is spent.', {
      minimum: 0,
      examples: [80],
    }),
    at: dateTime('When billing observed the change.'),
  };
}

export const BUDGET_REQUIRED = ['advertiserId', 'campaignId', 'scope', 'budget', 'spent', 'percent', 'at'];

export const EXAMPLE_BUDGET: BudgetFields = {
  advertiserId: 'adv-ica-demo',
  campaignId: 'cmp-01HQ4Z8K2M',
  scope: 'total',
  budget: { amountMinor: 5_000_000, currency: 'SEK' },
  spent: { amountMinor: 4_000_150, currency: 'SEK' },
  percent: 80,
  at: '2025-03-14T15:09:28.000Z',
};
