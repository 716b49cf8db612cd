import type { Money } from '@prestanda/money';
import { dateTime, enumOf, id, integer, money, string, type JsonSchema } from '../json-schema';
import type { SpendLimitKind } from '../spend-limits';

/**
 * Fields every spend-limit event carries: a limit above or beside a campaign's own budget (an
 * advertiser's budget across all its campaigns and banks, an advertiser's cap at one bank, a
 * campaign's cap at one bank). Not an event itself. The campaign's own budget keeps its
 * `budget.*` events.
 */
export interface SpendLimitFields {
  readonly limitId: string;
  readonly kind: SpendLimitKind;
  readonly advertiserId: string;
  readonly campaignId?: string;
  readonly bankId?: string;
  readonly budget: Money;
  readonly spent: Money;
  readonly percent: number;
  readonly at: string;
}

export function spendLimitProperties(): Record<string, JsonSchema> {
  return {
    limitId: string('The limit: "advertiser:<advertiserId>", "advertiser:<advertiserId>:bank:<bankId>" or "campaign:<campaignId>:bank:<bankId>".', {
      minLength: 1,
      maxLength: 300,
      examples: ['advertiser:adv-ica-demo'],
    }),
    kind: enumOf(
      '"advertiser": the advertiser\'s budget, drawn on by all its campaigns at every bank; "advertiser-bank": the advertiser\'s cap for purchases of one bank\'s customers; "campaign-bank": one campaign\'s cap for one bank.',
      ['advertiser', 'advertiser-bank', 'campaign-bank'],
    ),
    advertiserId: id('The advertiser (also the message key).', 'adv-ica-demo'),
    campaignId: id('For "campaign-bank": the campaign.', 'cmp-01HQ4Z8K2M'),
    bankId: id('For "advertiser-bank" and "campaign-bank": the bank (integration id, the bankSource of its card transactions).', 'bank-a'),
    budget: money('The limit, in the advertiser\'s billing currency.', 'non-negative'),
    spent: money('Spend booked against it so far (card-linked rewards and fees; for "advertiser" also CPC, CPL, CPM and affiliate sales). May exceed the limit by at most one action.', 'non-negative'),
    percent: integer('floor(spent × 100 / budget); 0 when the budget is 0 and nothing is spent.', { minimum: 0, examples: [100] }),
    at: dateTime('When billing observed the change.'),
  };
}

export const SPEND_LIMIT_REQUIRED = ['limitId', 'kind', 'advertiserId', 'budget', 'spent', 'percent', 'at'];

export const EXAMPLE_SPEND_LIMIT: SpendLimitFields = {
  limitId: 'advertiser:adv-ica-demo',
  kind: 'advertiser',
  advertiserId: 'adv-ica-demo',
  budget: { amountMinor: 20_000_000, currency: 'SEK' },
  spent: { amountMinor: 16_000_400, currency: 'SEK' },
  percent: 80,
  at: '2025-03-14T15:09:28.000Z',
};
