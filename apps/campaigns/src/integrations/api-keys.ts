import { apiKeyDigest } from '@prestanda/auth';
import { randomBytes } from 'node:crypto';

/**
 * API keys of integrations: `pk_<random, 256 bits, base64url>`. Only their SHA-256 is stored;
 * the key is shown once, when it is created. A key is valid from creation until it is revoked or,
 * after a rotation, until the end of its overlap window.
 */
export const KEY_PREFIX = 'pk_';

export function newApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The digest the registry stores and every service's auth compares (libs/auth). */
export const keyDigest = apiKeyDigest;

/** What a key can be recognised by in a list (never enough to use it): its first 10 characters. */
export function keyHint(key: string): string {
  return `${key.slice(0, 10)}…`;
}

export interface KeyValidity {
  readonly revokedAt: Date | null;
  readonly expiresAt: Date | null;
}

export function keyValidAt(key: KeyValidity, now: Date): boolean {
  if (key.revokedAt && key.revokedAt <= now) return false;
  if (key.expiresAt && key.expiresAt <= now) return false;
  return true;
}

/** A rotation ends the old key's life `overlapMinutes` from now, unless it already ends sooner. */
export function expiryAfterRotation(current: Date | null, now: Date, overlapMinutes: number): Date {
  const end = new Date(now.getTime() + overlapMinutes * 60_000);
  return current && current < end ? current : end;
}
