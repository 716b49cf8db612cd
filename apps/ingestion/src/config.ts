import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

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

  /**
   * Integrations that write their own inbound topics, comma-separated (e.g. "bank-a,bank-b"): the
   * gate reads inbound.<id>.<kind> for each, creates them if missing, and refuses an envelope whose
   * source is not the topic's integration (source-mismatch). See docs/tenancy.md.
   */
  @IsOptional()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:,[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*$/, {
    message: 'INGESTION_INTEGRATION_TOPICS must be comma-separated integration ids of lower-case letters, digits and dashes',
  })
  INGESTION_INTEGRATION_TOPICS?: string;

  /**
   * Whether the gate also reads the shared inbound.* topics. There any writer can claim any source,
   * so keep them for a single-bank deployment (or one integration with write access) only.
   */
  @IsIn(['on', 'off'])
  INGESTION_SHARED_INBOUND_TOPICS: 'on' | 'off' = 'on';

  /** How often each replica re-reads the registered integrations (to open a new one's own topics), in ms. */
  @IsInt() @Min(500) @Max(3_600_000)
  INGESTION_INTEGRATIONS_REFRESH_MS: number = 10_000;

  /** Replication factor for an integration's topics if ingestion has to create them (the topics job usually has). */
  @IsInt() @Min(1) @Max(7)
  KAFKA_REPLICATION_FACTOR: number = 1;

  /** The integrations with their own topics. */
  integrationTopicOwners(): string[] {
    return this.INGESTION_INTEGRATION_TOPICS ? [...new Set(this.INGESTION_INTEGRATION_TOPICS.split(','))] : [];
  }
}

/** DI token of the validated IngestionEnv. */
export const INGESTION_CONFIG = Symbol('INGESTION_CONFIG');

export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionEnv {
  return loadConfig(IngestionEnv, env);
}
