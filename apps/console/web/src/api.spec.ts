import { ApiError, formFieldOf } from './api';

describe('API errors on the console forms', () => {
  const fields = ['budget', 'budget.total', 'budget.daily', 'schedule.timeZone', 'reward.basisPoints', 'name'] as const;

  it.each([
    ['budget.total.amountMinor', 'budget.total'],
    ['budget.total', 'budget.total'],
    ['budget.pacing', 'budget'],
    ['schedule.timeZone', 'schedule.timeZone'],
    ['reward.basisPoints', 'reward.basisPoints'],
    ['name', 'name'],
  ])('%s lands on %s', (apiField, formField) => {
    expect(formFieldOf(apiField, fields)).toBe(formField);
  });

  it.each([['names'], ['channels'], ['schedule.startsAt']])('%s has no field on this form', (apiField) => {
    expect(formFieldOf(apiField, fields)).toBeUndefined();
  });

  it("shows the service's own words: a 409 reason, else its messages", () => {
    expect(new ApiError(409, { message: 'Conflict', reason: 'campaign is ended' }).message).toBe('campaign is ended');
    expect(new ApiError(400, { message: ['a: x', 'b: y'], fields: [{ field: 'a', message: 'x' }] }).message).toBe('a: x; b: y');
    expect(new ApiError(502, undefined).message).toBe('HTTP 502');
  });
});
