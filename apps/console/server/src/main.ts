import path from 'node:path';
import { TokenVerifier } from '@prestanda/auth';
import { kafkaConfigFromEnv, topicPrefix } from '@prestanda/kafka';
import { Kafka } from 'kafkajs';
import { loadConfig } from './config';
import { DeadLetterRoutes } from './dead-letters/dead-letter-routes';
import { KafkaLog } from './dead-letters/kafka-log';
import { devLoginEnabled } from './dev-login';
import { createConsoleServer } from './server';

const config = loadConfig(process.env, { staticDir: path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'console') });
// Dead letters are read from Kafka directly (no service owns them); the connection is made on first use.
// A person waits on each request: a few quick retries, then a 503, rather than the services' long patience.
const kafka = new Kafka({ ...kafkaConfigFromEnv('console', process.env), connectionTimeout: 3000, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 } });
const kafkaLog = new KafkaLog(kafka, topicPrefix(process.env));
const server = createConsoleServer(config, { deadLetters: new DeadLetterRoutes(kafkaLog, new TokenVerifier(process.env)) });
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`console listening on http://localhost:${port} (dev login ${devLoginEnabled(config) ? 'on' : 'off'})`);
});
const stop = () => {
  server.close(() => void kafkaLog.close().finally(() => process.exit(0)));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
