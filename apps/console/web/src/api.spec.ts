import { ApiError, formErrorsOf, formFieldOf } from './api';

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

  it('spreads a 400 over the form: messages on their fields, joined on one, the rest unplaced', () => {
    const error = new ApiError(400, {
      message: ['x'],
      fields: [
        { field: 'budget.total.amountMinor', message: 'must be positive' },
        { field: 'budget.total.currency', message: 'must be SEK' },
        { field: 'name', message: 'is too long' },
        { field: 'channels', message: 'must not be empty' },
      ],
    });
    expect(formErrorsOf(error, fields)).toEqual({ errors: { 'budget.total': 'must be positive; must be SEK', name: 'is too long' }, unplaced: ['channels: must not be empty'] });
    expect(formErrorsOf(new Error('network'), fields)).toEqual({ errors: {}, unplaced: [] });
  });
});
