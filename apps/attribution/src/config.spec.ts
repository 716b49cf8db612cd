import { loadAttributionConfig } from './config';

describe('attribution config', () => {
  it('has production defaults', () => {
    expect(loadAttributionConfig({})).toMatchObject({ HTTP_PORT: 3004, ATTRIBUTION_HOLD_UNIT_SECONDS: 86_400, ATTRIBUTION_CONFIRM_POLL_MS: 5_000, ATTRIBUTION_HELD_EXPIRY_DAYS: 30 });
  });

  it('reads numbers from the environment', () => {
    expect(loadAttributionConfig({ HTTP_PORT: '0', HEALTH_PORT: '0', ATTRIBUTION_HOLD_UNIT_SECONDS: '1', ATTRIBUTION_CONFIRM_POLL_MS: '200' })).toMatchObject({
      HTTP_PORT: 0,
      HEALTH_PORT: 0,
      ATTRIBUTION_HOLD_UNIT_SECONDS: 1,
      ATTRIBUTION_CONFIRM_POLL_MS: 200,
    });
  });

  it('names a bad variable', () => {
    expect(() => loadAttributionConfig({ ATTRIBUTION_HOLD_UNIT_SECONDS: '0' })).toThrow(/ATTRIBUTION_HOLD_UNIT_SECONDS/);
  });
});
