import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Campaigns service environment; validated at boot, a bad variable is named in the error. */
export class CampaignsEnv extends ServiceEnv {
  // Re-declared with an explicit type: ServiceEnv's fields are untyped initialisers, so SWC emits no
  // design:type for them and "0" from the environment would not convert to a number.
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HTTP_PORT: number = 3001;

  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HEALTH_PORT: number = 9401;

  /** How often campaigns past schedule.endsAt are ended (seconds); 0 turns the sweep off. */
  @Type(() => Number) @IsInt() @Min(0) @Max(86400)
  CAMPAIGNS_SCHEDULE_SWEEP_SECONDS: number = 60;
}

/** DI token of the validated CampaignsEnv. */
export const CAMPAIGNS_CONFIG = Symbol('CAMPAIGNS_CONFIG');

export function loadCampaignsConfig(env: NodeJS.ProcessEnv = process.env): CampaignsEnv {
  return loadConfig(CampaignsEnv, env);
}
