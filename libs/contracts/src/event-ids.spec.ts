import { nameBasedUuid, uuidFromDigest } from './event-ids';
import { UUID_PATTERN } from './json-schema';

describe('deterministic event ids', () => {
  it('are UUIDs of version 5 with the RFC variant, the same for the same name', () => {
    const id = nameBasedUuid('prestanda-attribution|x');
    expect(id).toMatch(new RegExp(UUID_PATTERN));
    expect(id[14]).toBe('5');
    expect('89ab').toContain(id[19]);
    expect(nameBasedUuid('prestanda-attribution|x')).toBe(id);
    expect(nameBasedUuid('prestanda-attribution|y')).not.toBe(id);
  });

  it('give every service the ids it has always published (golden values from before the helper)', () => {
    expect(nameBasedUuid('a\u0000b')).toBe('59b271ae-1bbc-51d3-9d41-929817f4b16f'); // offer-matching deterministicUuid('a', 'b')
    expect(nameBasedUuid('prestanda-attribution|x|y')).toBe('ade80468-3fbc-5b13-baee-0f386677ccb4'); // attribution eventIdFor('x|y')
    expect(nameBasedUuid('prestanda-ingestion\u0000bank-a\u0000authorization\u0000txn-1')).toBe('4a4e8c52-1d92-5b9b-8ff4-859c40fc34b6'); // ingestion canonicalEventId
    expect(nameBasedUuid('campaign.snapshot|cmp-1|3', 'sha1')).toBe('cb025fb1-9de2-54c2-b5d1-3d729d2d2936'); // campaigns snapshotEventId('cmp-1', 3)
  });

  it('refuses a digest too short to fill a UUID', () => {
    expect(() => uuidFromDigest('abc')).toThrow(/128 bits/);
  });
});
