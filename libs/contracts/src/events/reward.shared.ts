import { constant, enumOf, id, type JsonSchema } from '../json-schema';

/** Fields every reward event carries. Not an event itself. */

export type RewardStatus = 'earned' | 'confirmed' | 'paid' | 'reversed';
export const REWARD_STATUSES: readonly RewardStatus[] = ['earned', 'confirmed', 'paid', 'reversed'];

export interface RewardFields {
  readonly rewardId: string;
  readonly purchaseId: string;
  readonly customerId: string;
  readonly campaignId: string;
  readonly advertiserId: string;
  readonly publisherId: string;
}

export function rewardProperties(): Record<string, JsonSchema> {
  return {
    rewardId: id('Prestanda\'s id of the reward; stable across its whole lifecycle (earned, confirmed, reversed, paid).', 'rwd-2b7e9c41d0'),
    purchaseId: id('The purchase that earned it, "<bankSource>:<transactionId>" as on card-transactions and offer-matches.', 'bank-demo-se:txn-20250314-authorization-8f2c1a'),
    customerId: id("The bank's pseudonymous id of the customer who earns the cashback.", 'cust-5c1e9b2f'),
    campaignId: id('The campaign that pays the reward.', 'cmp-01HQ4Z8K2M'),
    advertiserId: id('The advertiser billed for the reward.', 'adv-ica-demo'),
    publisherId: id(
      'The publisher credited with the purchase (and earning a revenue share of the platform fee): the app where the customer activated or last clicked the offer, else where it was last seen, else the bank the transaction came from.',
      'pub-bank-demo-se',
    ),
  };
}

export const REWARD_REQUIRED = ['rewardId', 'purchaseId', 'customerId', 'campaignId', 'advertiserId', 'publisherId', 'status', 'reasonCode'];

export const statusSchema = (value: RewardStatus, text: string): JsonSchema => constant(`Reward status after this event: always "${value}" here. ${text}`, value);
export const reasonSchema = (value: string, text: string): JsonSchema => constant(`Reason code of this change: always "${value}" here. ${text}`, value);
export const anyStatusSchema = (text: string): JsonSchema => enumOf(text, REWARD_STATUSES);

export const EXAMPLE_REWARD: RewardFields = {
  rewardId: 'rwd-2b7e9c41d0',
  purchaseId: 'bank-demo-se:txn-20250314-authorization-8f2c1a',
  customerId: 'cust-5c1e9b2f',
  campaignId: 'cmp-01HQ4Z8K2M',
  advertiserId: 'adv-ica-demo',
  publisherId: 'pub-bank-demo-se',
};
