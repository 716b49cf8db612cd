import path from 'node:path';
import { TokenVerifier } from '@prestanda/auth';
import { createKafka, topicPrefix } from '@prestanda/kafka';
import { loadConfig } from './config';
import { DeadLetterRoutes } from './dead-letters/dead-letter-routes';
import { KafkaLog } from './dead-letters/kafka-log';
import { devLoginEnabled } from './dev-login';
import { createConsoleServer } from './server';

const config = loadConfig(process.env, { staticDir: path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'console') });
// Dead letters are read from Kafka directly (no service owns them); the connection is made on first use.
const kafkaLog = new KafkaLog(createKafka('console', process.env), topicPrefix(process.env));
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
