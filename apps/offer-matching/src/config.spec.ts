import { ConfigError } from '@prestanda/config';
import { loadOfferMatchingConfig } from './config';

describe('loadOfferMatchingConfig', () => {
  it('converts ports from the environment and applies defaults', () => {
    expect(loadOfferMatchingConfig({ HTTP_PORT: '0', HEALTH_PORT: '0' })).toMatchObject({ HTTP_PORT: 0, HEALTH_PORT: 0 });
    expect(loadOfferMatchingConfig({})).toMatchObject({ HTTP_PORT: 3003, HEALTH_PORT: 9403 });
  });

  it('names a bad variable', () => {
    expect(() => loadOfferMatchingConfig({ HTTP_PORT: 'http' })).toThrow(ConfigError);
    expect(() => loadOfferMatchingConfig({ HEALTH_PORT: '70000' })).toThrow(/HEALTH_PORT/);
  });
});
