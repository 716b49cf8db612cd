import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/** Requests per minute one caller may make to a service's API (HTTP_RATE_LIMIT_PER_MINUTE; 0: no limit). */
export function rateLimitPerMinute(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.HTTP_RATE_LIMIT_PER_MINUTE ?? 6000);
  return Number.isFinite(v) && v >= 0 ? Math.floor(v) : 6000;
}

/** Who is calling, for the rate limit: its API key, else its bearer token, else its address — hashed, never the credential itself. */
export function callerOf(req: { headers: Record<string, string | string[] | undefined>; ip?: string }): string {
  const key = req.headers['x-api-key'];
  const auth = req.headers['authorization'];
  const credential = typeof key === 'string' ? `key:${key}` : typeof auth === 'string' ? `bearer:${auth}` : undefined;
  return credential ? createHash('sha256').update(credential).digest('hex').slice(0, 32) : `ip:${req.ip ?? 'unknown'}`;
}

/**
 * Per-caller rate limiting of every route (in memory, per replica): a bank's key, an ops user's
 * token or, for public routes, the client address. Over the limit: 429 with Retry-After. Routes
 * with their own limiter (the affiliate redirect edge) opt out with @SkipThrottle().
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return callerOf(req as { headers: Record<string, string | string[] | undefined>; ip?: string });
  }
}
