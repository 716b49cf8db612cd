import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Attribution service environment; validated at boot, a bad variable is named in the error. */
export class AttributionEnv extends ServiceEnv {
  // Typed and re-decorated here: SWC emits no design:type for the base class's un-annotated
  // fields, so without @Type a port from the environment would stay a string.
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HTTP_PORT: number = 3004;

  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  override HEALTH_PORT: number = 9404;

  /** Seconds in one "day" of a campaign's hold period (86400; tests set 1 so a 2-day hold lasts 2 s). */
  @Type(() => Number) @IsInt() @Min(1) @Max(86_400)
  ATTRIBUTION_HOLD_UNIT_SECONDS: number = 86_400;

  /** How often the confirmation worker looks for due confirmations, in ms. */
  @Type(() => Number) @IsInt() @Min(50) @Max(3_600_000)
  ATTRIBUTION_CONFIRM_POLL_MS: number = 5_000;

  /** Due confirmations taken per worker transaction. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  ATTRIBUTION_CONFIRM_BATCH: number = 100;

  /**
   * Days a settlement, refund or reversal of a purchase attribution has no reward for is held
   * before it is marked expired (reason unknown-purchase). A match arriving later still applies it.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  ATTRIBUTION_HELD_EXPIRY_DAYS: number = 30;

  /**
   * Days (hold units) an authorization may stay unsettled: after that its earned rewards are
   * reversed (reason authorization-expired) and the advertiser credited; a settlement after that
   * reinstates each reward once (reward.reinstated).
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  ATTRIBUTION_AUTHORIZATION_EXPIRY_DAYS: number = 14;

  /** Per-bank windows overriding the default, e.g. "bank-a=7,bank-b=30". */
  @IsOptional()
  @Matches(/^[a-z0-9-]+=\d{1,4}(,[a-z0-9-]+=\d{1,4})*$/, { message: 'ATTRIBUTION_AUTHORIZATION_EXPIRY_DAYS_BY_BANK must be bank=days pairs, comma-separated (e.g. bank-a=7,bank-b=30)' })
  ATTRIBUTION_AUTHORIZATION_EXPIRY_DAYS_BY_BANK?: string;

  /** The authorization window per bank (`default` for the others). */
  authorizationExpiryDays(): { default: number; byBank: Record<string, number> } {
    const byBank = Object.fromEntries((this.ATTRIBUTION_AUTHORIZATION_EXPIRY_DAYS_BY_BANK ?? '').split(',').filter(Boolean).map((pair) => {
      const [bank, days] = pair.split('=');
      return [bank, Math.max(1, Number(days))];
    }));
    return { default: this.ATTRIBUTION_AUTHORIZATION_EXPIRY_DAYS, byBank };
  }
}

export function loadAttributionConfig(env: NodeJS.ProcessEnv = process.env): AttributionEnv {
  return loadConfig(AttributionEnv, env);
}
