import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';
import { IsInt, Max, Min } from 'class-validator';

/** Billing service environment; validated at boot, a bad variable is named in the error. */
export class BillingEnv extends ServiceEnv {
  // Re-decorated and typed explicitly: without a type annotation SWC emits no design:type, and implicit conversion of "0" fails.
  @IsInt() @Min(0) @Max(65535)
  override HTTP_PORT: number = 3005;

  @IsInt() @Min(0) @Max(65535)
  override HEALTH_PORT: number = 9405;
}

export function loadBillingConfig(env: NodeJS.ProcessEnv = process.env): BillingEnv {
  return loadConfig(BillingEnv, env);
}
