import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';
import { IsInt, Max, Min } from 'class-validator';

/** Ingestion service environment; validated at boot, a bad variable is named in the error. */
export class IngestionEnv extends ServiceEnv {
  // Re-decorated and typed explicitly: without a type annotation SWC emits no design:type, and implicit conversion of "0" fails.
  @IsInt() @Min(0) @Max(65535)
  override HTTP_PORT: number = 3002;

  @IsInt() @Min(0) @Max(65535)
  override HEALTH_PORT: number = 9402;

  /** How far in the future a business time (occurredAt, transactionAt, at) may be, for clock skew. Default 5 min. */
  @IsInt() @Min(0) @Max(86400)
  INGESTION_FUTURE_TOLERANCE_SECONDS: number = 300;

  /** Most envelopes accepted in one HTTP batch. */
  @IsInt() @Min(1) @Max(10000)
  INGESTION_MAX_BATCH_SIZE: number = 500;
}

/** DI token of the validated IngestionEnv. */
export const INGESTION_CONFIG = Symbol('INGESTION_CONFIG');

export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionEnv {
  return loadConfig(IngestionEnv, env);
}
