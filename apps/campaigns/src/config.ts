import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';

/** Campaigns service environment; validated at boot, a bad variable is named in the error. */
export class CampaignsEnv extends ServiceEnv {
  override HTTP_PORT = 3001;
  override HEALTH_PORT = 9401;
}

export function loadCampaignsConfig(env: NodeJS.ProcessEnv = process.env): CampaignsEnv {
  return loadConfig(CampaignsEnv, env);
}
