import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kafkaConfigFromEnv } from './kafka-config';
import { physicalTopic } from './topic-names';

describe('Kafka connection from the environment', () => {
  it('defaults to the local broker without SASL or TLS', () => {
    const c = kafkaConfigFromEnv('svc', {});
    expect(c.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.sasl).toBeUndefined();
    expect(c.ssl).toBeUndefined();
  });

  it('takes SCRAM credentials, the password from a mounted file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-cfg-'));
    writeFileSync(path.join(dir, 'password'), 's3cret\n');
    const c = kafkaConfigFromEnv('svc', {
      KAFKA_BROKERS: 'b1:9093, b2:9093',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'billing',
      KAFKA_SASL_PASSWORD_FILE: path.join(dir, 'password'),
      KAFKA_SSL: 'true',
    });
    expect(c.brokers).toEqual(['b1:9093', 'b2:9093']);
    expect(c.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'billing', password: 's3cret' });
    expect(c.ssl).toMatchObject({ rejectUnauthorized: true });
  });

  it('reads mutual-TLS material from files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-tls-'));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(dir, f), `-----${f}-----`);
    const c = kafkaConfigFromEnv('svc', { KAFKA_SSL_CA_FILE: path.join(dir, 'ca.pem'), KAFKA_SSL_CERT_FILE: path.join(dir, 'cert.pem'), KAFKA_SSL_KEY_FILE: path.join(dir, 'key.pem') });
    expect(c.ssl).toEqual({ rejectUnauthorized: true, ca: ['-----ca.pem-----'], cert: '-----cert.pem-----', key: '-----key.pem-----' });
  });

  it('refuses an unknown SASL mechanism or missing credentials, naming the variable', () => {
    expect(() => kafkaConfigFromEnv('svc', { KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(() => kafkaConfigFromEnv('svc', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toThrow(/KAFKA_SASL_PASSWORD/);
  });

  it('namespaces topics with KAFKA_TOPIC_PREFIX, once', () => {
    expect(physicalTopic('rewards', { KAFKA_TOPIC_PREFIX: 'staging.' })).toBe('staging.rewards');
    expect(physicalTopic('staging.rewards', { KAFKA_TOPIC_PREFIX: 'staging.' })).toBe('staging.rewards');
    expect(physicalTopic('rewards', {})).toBe('rewards');
  });
});
