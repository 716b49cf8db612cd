import path from 'node:path';
import { loadConfig } from './config';
import { devLoginEnabled } from './dev-login';
import { createConsoleServer } from './server';

const config = loadConfig(process.env, { staticDir: path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'console') });
const server = createConsoleServer(config);
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`console listening on http://localhost:${port} (dev login ${devLoginEnabled(config) ? 'on' : 'off'})`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
