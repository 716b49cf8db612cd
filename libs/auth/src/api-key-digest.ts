import { createHash } from 'node:crypto';

/** How an API key is held everywhere (bootstrap list, registry, caches): its SHA-256, in hex. */
export function apiKeyDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
