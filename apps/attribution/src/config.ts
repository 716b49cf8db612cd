import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';

/** Attribution service environment; validated at boot, a bad variable is named in the error. */
export class AttributionEnv extends ServiceEnv {
  override HTTP_PORT = 3004;
  override HEALTH_PORT = 9404;
}

export function loadAttributionConfig(env: NodeJS.ProcessEnv = process.env): AttributionEnv {
  return loadConfig(AttributionEnv, env);
}
