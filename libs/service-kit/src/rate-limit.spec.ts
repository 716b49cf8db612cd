import { callerOf, rateLimitPerMinute } from './rate-limit';

describe('the per-caller rate limit', () => {
  it('tells callers apart by API key, then bearer token, then address, never keeping the credential', () => {
    const a = callerOf({ headers: { 'x-api-key': 'pk_bank_a' }, ip: '10.0.0.1' });
    const b = callerOf({ headers: { 'x-api-key': 'pk_bank_b' }, ip: '10.0.0.1' });
    const t = callerOf({ headers: { authorization: 'Bearer abc' }, ip: '10.0.0.1' });
    expect(new Set([a, b, t]).size).toBe(3);
    expect(a).not.toContain('pk_bank_a');
    expect(callerOf({ headers: {}, ip: '10.0.0.1' })).toBe('ip:10.0.0.1');
  });

  it('defaults to 6 000 a minute; 0 turns it off; nonsense falls back to the default', () => {
    expect(rateLimitPerMinute({})).toBe(6000);
    expect(rateLimitPerMinute({ HTTP_RATE_LIMIT_PER_MINUTE: '0' })).toBe(0);
    expect(rateLimitPerMinute({ HTTP_RATE_LIMIT_PER_MINUTE: '120' })).toBe(120);
    expect(rateLimitPerMinute({ HTTP_RATE_LIMIT_PER_MINUTE: 'lots' })).toBe(6000);
  });
});
