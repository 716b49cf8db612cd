import { randomBytes } from 'node:crypto';
import { productionSecretsProblems, SecretBox } from './secret-box';

describe('secrets at rest', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('seals with AES-256-GCM (a fresh IV each time) and opens it again', () => {
    const box = new SecretBox(k1);
    const a = box.seal('whsec_abc');
    expect(a).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    expect(a).not.toContain('whsec_abc');
    expect(box.seal('whsec_abc')).not.toBe(a);
    expect(box.open(a)).toBe('whsec_abc');
  });

  it('refuses a tampered value', () => {
    const box = new SecretBox(k1);
    const sealed = box.seal('whsec_abc');
    const parts = sealed.split(':');
    parts[5] = Buffer.from('forged').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
  });

  it('rotates: the previous key still opens, and what it sealed needs resealing; plain legacy values are read as they are', () => {
    const old = new SecretBox(k1).seal('s1');
    const box = new SecretBox(k2, k1);
    expect(box.open(old)).toBe('s1');
    expect(box.needsReseal(old)).toBe(true);
    expect(box.needsReseal(box.seal('s1'))).toBe(false);
    expect(box.open('legacy-plain')).toBe('legacy-plain');
    expect(box.needsReseal('legacy-plain')).toBe(true);
    expect(() => new SecretBox(k2).open(old)).toThrow(/SECRETS_KEY_PREVIOUS/);
  });

  it('without a key stores as it is (outside production) and production asks for one', () => {
    const box = new SecretBox();
    expect(box.seal('s')).toBe('s');
    expect(box.needsReseal('s')).toBe(false);
    expect(productionSecretsProblems({ NODE_ENV: 'production' })).toEqual([expect.stringContaining('SECRETS_KEY is required in production')]);
    expect(productionSecretsProblems({ NODE_ENV: 'production', SECRETS_KEY: k1.toString('hex') })).toEqual([]);
    expect(productionSecretsProblems({ SECRETS_KEY: 'too-short' })).toEqual([expect.stringContaining('must be 32 bytes')]);
    expect(productionSecretsProblems({})).toEqual([]);
  });
});
