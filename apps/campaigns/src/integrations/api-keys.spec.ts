import { expiryAfterRotation, keyDigest, keyHint, keyValidAt, newApiKey } from './api-keys';

describe('API keys', () => {
  it('are long random strings whose digest reveals nothing of them', () => {
    const a = newApiKey();
    const b = newApiKey();
    expect(a).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(keyDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyDigest(a)).not.toContain(a.slice(3, 13));
    expect(keyHint(a)).toBe(`${a.slice(0, 10)}…`);
  });

  it('are valid until revoked or expired', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    const before = new Date('2026-12-03T11:00:00Z');
    const after = new Date('2026-12-03T13:00:00Z');
    expect(keyValidAt({ revokedAt: null, expiresAt: null }, now)).toBe(true);
    expect(keyValidAt({ revokedAt: before, expiresAt: null }, now)).toBe(false);
    expect(keyValidAt({ revokedAt: null, expiresAt: after }, now)).toBe(true);
    expect(keyValidAt({ revokedAt: null, expiresAt: now }, now)).toBe(false);
  });

  it('end an old key after the overlap of a rotation, never later than it already ended', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    expect(expiryAfterRotation(null, now, 60)).toEqual(new Date('2026-12-03T13:00:00Z'));
    expect(expiryAfterRotation(new Date('2026-12-03T12:30:00Z'), now, 60)).toEqual(new Date('2026-12-03T12:30:00Z'));
    expect(expiryAfterRotation(null, now, 0)).toEqual(now);
  });
});
