import { settingOverrides } from './pipeline-bench';

describe('the benchmark reports the settings it overrides', () => {
  it('wiring is not an override; its own tunings and tunables inherited from the caller are', () => {
    const env = { DATABASE_URL: 'postgres://x', KAFKA_TOPIC_PREFIX: 'b.', AUTH_JWT_SECRET: 's', AUTH_API_KEYS: '{}', LOG_LEVEL: 'error' };
    expect(settingOverrides(env, { PATH: '/bin', KAFKA_BROKERS: '127.0.0.1:9092', KAFKA_CLASSPATH: '/x.jar' })).toEqual({});
    expect(settingOverrides({ ...env, DISPATCH_POLL_MS: '100' }, { KAFKA_PARTITIONS_CONCURRENCY: '2', HOME: '/root' })).toEqual({
      KAFKA_PARTITIONS_CONCURRENCY: '2',
      DISPATCH_POLL_MS: '100',
    });
  });
});
