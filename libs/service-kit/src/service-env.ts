import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Variables every service reads; a service's own config class extends this one. */
export class ServiceEnv {
  /** Public HTTP API port (0: any free port, for tests). */
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  HTTP_PORT: number = 3000;

  /** Internal port for /health/live, /health/ready and /metrics; never exposed publicly (0: any free port, for tests). */
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  HEALTH_PORT: number = 9464;

  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS?: string;

  @IsOptional() @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'])
  KAFKA_SASL_MECHANISM?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Suffix for consumer group ids (tests and side-by-side environments). */
  @IsOptional() @IsString()
  KAFKA_GROUP_SUFFIX?: string;
}
