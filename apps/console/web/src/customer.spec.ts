import { ApiError } from './api';
import { customerFieldErrors, isDeclineReason, isRewardStatus } from './customer';

describe('the customer screen', () => {
  it('puts both services\' 400s on the inputs they name, each message once', () => {
    const attribution = new ApiError(400, { message: ['bank: must be an integration id'], fields: [{ field: 'bank', message: 'must be an integration id' }] });
    const offers = new ApiError(400, {
      message: ['x'],
      fields: [
        { field: 'bank', message: 'bank must match /^[\\x21-\\x7E]+$/ regular expression' },
        { field: 'customerId', message: 'customerId must match' },
        { field: 'bank', message: 'must be an integration id' },
        { field: 'other', message: 'nope' },
      ],
    });
    expect(customerFieldErrors([attribution, offers, null, new Error('network')])).toEqual({
      errors: { bank: 'must be an integration id; bank must match /^[\\x21-\\x7E]+$/ regular expression', customerId: 'customerId must match' },
      unplaced: ['other: nope'],
    });
  });

  it('knows the decline reasons and reward statuses it explains (others are shown as their code)', () => {
    expect(isDeclineReason('not-activated')).toBe(true);
    expect(isDeclineReason('zero-reward')).toBe(true);
    expect(isDeclineReason('something-new')).toBe(false);
    expect(isRewardStatus('confirmed')).toBe(true);
    expect(isRewardStatus('paid')).toBe(false);
  });
});
