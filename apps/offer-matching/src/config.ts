import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';

/** OfferMatching service environment; validated at boot, a bad variable is named in the error. */
export class OfferMatchingEnv extends ServiceEnv {
  override HTTP_PORT = 3003;
  override HEALTH_PORT = 9403;
}

export function loadOfferMatchingConfig(env: NodeJS.ProcessEnv = process.env): OfferMatchingEnv {
  return loadConfig(OfferMatchingEnv, env);
}
