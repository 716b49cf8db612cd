import { ApiError, formFieldOf } from './api';

/** Why attribution declined a match (each is explained in words; an unknown code is shown as it is). */
export const DECLINE_REASONS = ['not-activated', 'activation-outside-window', 'already-rewarded', 'zero-reward'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];
export const isDeclineReason = (r: string): r is DeclineReason => DECLINE_REASONS.some((d) => d === r);

export const REWARD_STATUSES = ['earned', 'confirmed', 'reversed'] as const;
export const isRewardStatus = (s: string): s is (typeof REWARD_STATUSES)[number] => REWARD_STATUSES.some((r) => r === s);

export const CUSTOMER_FIELDS = ['bank', 'customerId'] as const;

/**
 * The 400s of both services (attribution and offer matching are asked at once) spread over the
 * lookup's two inputs: each distinct message once on the input it names; the rest is unplaced.
 */
export function customerFieldErrors(errors: readonly unknown[]): { errors: Partial<Record<(typeof CUSTOMER_FIELDS)[number], string>>; unplaced: string[] } {
  const messages: Record<string, string[]> = {};
  const unplaced: string[] = [];
  for (const error of errors) {
    if (!(error instanceof ApiError)) continue;
    for (const f of error.fields) {
      const field = formFieldOf(f.field, CUSTOMER_FIELDS);
      const list = field ? (messages[field] ??= []) : unplaced;
      const text = field ? f.message : `${f.field}: ${f.message}`;
      if (!list.includes(text)) list.push(text);
    }
  }
  return { errors: Object.fromEntries(Object.entries(messages).map(([f, list]) => [f, list.join('; ')])), unplaced };
}
