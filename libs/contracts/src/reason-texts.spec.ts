import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REASON_CODES } from './reason-codes';
import { REASON_TEXTS, reasonText } from './reason-texts';

describe('reason texts', () => {
  it('give every reason code a Swedish and an English text, and no code that does not exist', () => {
    expect(Object.keys(REASON_TEXTS).sort()).toEqual([...new Set(REASON_CODES)].sort());
    for (const code of REASON_CODES) {
      expect(REASON_TEXTS[code].sv.length).toBeGreaterThan(5);
      expect(REASON_TEXTS[code].en.length).toBeGreaterThan(5);
      expect(REASON_TEXTS[code].sv).not.toBe(REASON_TEXTS[code].en);
    }
  });

  it('answer undefined for an unknown code', () => {
    expect(reasonText('below-minimum-spend')?.en).toBe('The purchase was below the offer’s minimum spend.');
    expect(reasonText('no-such-reason')).toBeUndefined();
  });

  it('are listed in the contracts README, one row per code with both texts', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const code of REASON_CODES) expect(readme).toContain(`| \`${code}\` | ${REASON_TEXTS[code].sv} | ${REASON_TEXTS[code].en} |`);
  });
});
