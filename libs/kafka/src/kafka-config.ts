import { readFileSync } from 'node:fs';
import { Kafka, KafkaConfig, logLevel, SASLOptions } from 'kafkajs';

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';

function fileOrValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) return readFileSync(file, 'utf8').trim();
  return env[name];
}

/**
 * Kafka connection from the environment:
 * - KAFKA_BROKERS (comma-separated; default the local broker on 127.0.0.1:9092)
 * - KAFKA_SASL_MECHANISM (plain | scram-sha-256 | scram-sha-512), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD (or *_FILE)
 * - KAFKA_SSL=true, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE (mutual TLS)
 */
export function kafkaConfigFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaConfig {
  const brokers = (env.KAFKA_BROKERS || DEFAULT_KAFKA_BROKERS).split(',').map((b) => b.trim()).filter(Boolean);
  const config: KafkaConfig = { clientId, brokers, logLevel: logLevel.WARN, retry: { retries: 10, initialRetryTime: 200 } };
  const useSsl = env.KAFKA_SSL === 'true' || Boolean(env.KAFKA_SSL_CA_FILE || env.KAFKA_SSL_CERT_FILE);
  if (useSsl) {
    config.ssl = {
      rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED !== 'false',
      ca: env.KAFKA_SSL_CA_FILE ? [readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8')] : undefined,
      cert: env.KAFKA_SSL_CERT_FILE ? readFileSync(env.KAFKA_SSL_CERT_FILE, 'utf8') : undefined,
      key: env.KAFKA_SSL_KEY_FILE ? readFileSync(env.KAFKA_SSL_KEY_FILE, 'utf8') : undefined,
    };
  }
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism) {
    if (!['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)) {
      throw new Error(`KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512, got "${mechanism}"`);
    }
    const username = fileOrValue(env, 'KAFKA_SASL_USERNAME');
    const password = fileOrValue(env, 'KAFKA_SASL_PASSWORD');
    if (!username || !password) throw new Error('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM');
    config.sasl = { mechanism, username, password } as SASLOptions;
  }
  return config;
}

export function createKafka(clientId: string, env: NodeJS.ProcessEnv = process.env): Kafka {
  return new Kafka(kafkaConfigFromEnv(clientId, env));
}
