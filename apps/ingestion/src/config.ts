import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';

/** Ingestion service environment; validated at boot, a bad variable is named in the error. */
export class IngestionEnv extends ServiceEnv {
  override HTTP_PORT = 3002;
  override HEALTH_PORT = 9402;
}

export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionEnv {
  return loadConfig(IngestionEnv, env);
}
