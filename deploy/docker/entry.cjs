'use strict';
// Container entry: starts the service named by $SERVICE. Run by the image's ENTRYPOINT
// (`node -r @swc-node/register`), so requiring the service's main.ts compiles it with swc.
// node stays PID 1 (no shell in between), so SIGTERM reaches the service directly.
const path = require('node:path');

const SERVICES = ['campaigns', 'ingestion', 'offer-matching', 'attribution', 'billing', 'notification'];
const service = process.env.SERVICE;
if (!service || !SERVICES.includes(service)) {
  console.error(`SERVICE must be one of ${SERVICES.join(', ')} (got ${service ? JSON.stringify(service) : 'nothing'})`);
  process.exit(64);
}
require(path.join(__dirname, '..', '..', 'apps', service, 'src', 'main.ts'));
