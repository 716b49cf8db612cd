import { createHash } from 'node:crypto';

/**
 * Deterministic event ids: the same fact always gets the same eventId, so a retried write or a
 * re-evaluation never publishes a second event that consumers would count twice. A name-based
 * UUID in RFC 9562 layout (version 5, RFC variant) over a digest of the fact's name.
 *
 * The name is the caller's: each service keeps the exact input it has always hashed (separators
 * included), because changing it would give already-published facts new ids after an upgrade.
 */
export function nameBasedUuid(name: string, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return uuidFromDigest(createHash(algorithm).update(name).digest('hex'));
}

/** Lays the first 128 bits of a hex digest out as a version-5 UUID. */
export function uuidFromDigest(hex: string): string {
  if (!/^[0-9a-f]{32,}$/.test(hex)) throw new Error('a digest of at least 128 bits, in lower-case hex, is required');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
