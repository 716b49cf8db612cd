import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MinLength, Min } from 'class-validator';

/** Affiliate service environment; validated at boot, a bad variable is named in the error. */
export class AffiliateEnv extends ServiceEnv {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HTTP_PORT: number = 3007;

  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HEALTH_PORT: number = 9407;

  /** Where unknown tracking links go (a program's own fallbackUrl wins for its paused links). */
  @Matches(/^https?:\/\/\S+$/, { message: 'AFFILIATE_FALLBACK_URL must be an absolute http(s) URL' })
  AFFILIATE_FALLBACK_URL: string = 'https://prestanda.example/';

  /**
   * Key of the hashes of visitors' IP networks and user agents (HMAC-SHA256). Set it in production
   * (a Secret); the default is for local use only. Rotating it starts click counting afresh.
   */
  @IsString() @MinLength(16)
  AFFILIATE_HASH_KEY: string = 'local-development-hash-key';

  /** Clicks from one IP network (/24, /48) per minute above which clicks are flagged click-flood (not charged). */
  @Type(() => Number) @IsInt() @Min(1)
  AFFILIATE_CLICK_FLOOD_PER_MINUTE: number = 20;

  /** Clicks of one publisher per minute above which clicks are flagged publisher-click-flood. */
  @Type(() => Number) @IsInt() @Min(1)
  AFFILIATE_PUBLISHER_FLOOD_PER_MINUTE: number = 6000;

  /** Requests to /c and /i from one IP network per minute above which they get 429 (0: no limit). */
  @Type(() => Number) @IsInt() @Min(0)
  AFFILIATE_RATE_LIMIT_PER_MINUTE: number = 600;

  /** Seconds between a click and a sale below which the sale is held for review (too fast for a person). */
  @Type(() => Number) @IsInt() @Min(0)
  AFFILIATE_MIN_SECONDS_TO_CONVERT: number = 5;

  /** How long the redirect may serve a tracking link from memory (ms) before reading it again. */
  @Type(() => Number) @IsInt() @Min(0)
  AFFILIATE_LINK_CACHE_MS: number = 5000;

  /** How often commissions past their lock period are confirmed (ms; 0: never, tests drive it). */
  @Type(() => Number) @IsInt() @Min(0)
  AFFILIATE_CONFIRM_INTERVAL_MS: number = 60_000;

  /**
   * Seconds in one "day" of a program's lock period (holdPeriodDays). 86 400 in production; tests and
   * demos shorten it so that a lock period passes while one watches.
   */
  @Type(() => Number) @IsInt() @Min(1)
  AFFILIATE_LOCK_UNIT_SECONDS: number = 86_400;

  /** Accepted clock skew of a postback signature's timestamp (seconds). */
  @Type(() => Number) @IsInt() @Min(1)
  AFFILIATE_SIGNATURE_TOLERANCE_SECONDS: number = 300;

  /** Proxy hops whose X-Forwarded-For is trusted for the visitor's address (0: none, the socket address). */
  @Type(() => Number) @IsInt() @Min(0)
  AFFILIATE_TRUST_PROXY_HOPS: number = 0;

  @IsOptional() @IsString()
  AFFILIATE_PUBLIC_BASE_URL?: string;
}

export function loadAffiliateConfig(env: NodeJS.ProcessEnv = process.env): AffiliateEnv {
  return loadConfig(AffiliateEnv, env);
}
