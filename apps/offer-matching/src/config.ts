import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** OfferMatching service environment; validated at boot, a bad variable is named in the error. */
export class OfferMatchingEnv extends ServiceEnv {
  // Re-declared with an explicit type: ServiceEnv's fields are untyped initialisers, so SWC emits no
  // design:type for them and "0" from the environment would not convert to a number.
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HTTP_PORT: number = 3003;

  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HEALTH_PORT: number = 9403;
}

export function loadOfferMatchingConfig(env: NodeJS.ProcessEnv = process.env): OfferMatchingEnv {
  return loadConfig(OfferMatchingEnv, env);
}
