import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';

/** Billing service environment; validated at boot, a bad variable is named in the error. */
export class BillingEnv extends ServiceEnv {
  override HTTP_PORT = 3005;
  override HEALTH_PORT = 9405;
}

export function loadBillingConfig(env: NodeJS.ProcessEnv = process.env): BillingEnv {
  return loadConfig(BillingEnv, env);
}
