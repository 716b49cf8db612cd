import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Notification service environment; validated at boot, a bad variable is named in the error. */
export class NotificationEnv extends ServiceEnv {
  // Typed explicitly: the base class's inferred types carry no design:type under SWC, so env strings would not convert.
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HTTP_PORT: number = 3006;

  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HEALTH_PORT: number = 9406;

  /** SMTP server for advertiser and affiliate e-mail, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@host:465. Unset: e-mail deliveries fail with "SMTP not configured". */
  @IsOptional() @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** Sender of advertiser and affiliate e-mail. */
  @IsString()
  MAIL_FROM: string = 'Prestanda <no-reply@prestanda.example>';

  /**
   * How often the dispatcher looks for due deliveries when nothing wakes it (ms). New deliveries
   * wake it as their consumer transaction commits; the poll picks up retries that fall due and
   * deliveries queued by another replica.
   */
  @Type(() => Number) @IsInt() @Min(10) @Max(600_000)
  DISPATCH_POLL_MS: number = 1000;

  /** First retry delay (ms); doubles each attempt, with jitter, capped at DISPATCH_BACKOFF_MAX_MS. */
  @Type(() => Number) @IsInt() @Min(1) @Max(3_600_000)
  DISPATCH_BACKOFF_BASE_MS: number = 5000;

  @Type(() => Number) @IsInt() @Min(1) @Max(86_400_000)
  DISPATCH_BACKOFF_MAX_MS: number = 3_600_000;

  /** Attempts per run before a delivery is dead-lettered (a replay starts a new run). */
  @Type(() => Number) @IsInt() @Min(1) @Max(50)
  DISPATCH_MAX_ATTEMPTS: number = 5;

  /** Deliveries claimed per round; a full round goes round again at once. Sent concurrently, one customer's in order. */
  @Type(() => Number) @IsInt() @Min(1) @Max(500)
  DISPATCH_BATCH_SIZE: number = 200;

  /** A claimed delivery whose sender died is picked up again after this lease (ms). */
  @Type(() => Number) @IsInt() @Min(1000) @Max(3_600_000)
  DISPATCH_LEASE_MS: number = 60_000;

  /**
   * Hosts a webhook may reach although they are internal or plain http (comma-separated), e.g. a
   * bank's gateway inside the cluster. Unset: loopback outside production, none in production.
   * Every other webhook must be https to public addresses (the SSRF guard, webhook-guard.ts).
   */
  @IsOptional() @IsString()
  WEBHOOK_ALLOWED_HOSTS?: string;

  /** Webhook request timeout (ms); a timeout is retried. */
  @Type(() => Number) @IsInt() @Min(100) @Max(120_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;
}

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationEnv {
  return loadConfig(NotificationEnv, env);
}
