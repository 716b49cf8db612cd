import { foldDiacritics } from './merchant-text';

describe('foldDiacritics', () => {
  it('meets a descriptor with and without diacritics on the same letters', () => {
    expect(foldDiacritics('ÅHLÉNS CITY')).toBe('AHLENS CITY');
    expect(foldDiacritics('Åhléns')).toBe('Ahlens');
    expect(foldDiacritics('CAFÉ MÜLLER KØBENHAVN')).toBe('CAFE MULLER KOBENHAVN');
    expect(foldDiacritics('SÆTRE ŁÓDŹ STRAßE ÞÓR')).toBe('SAETRE LODZ STRAssE THOR');
  });
  it('turns ligatures and full-width letters into plain ones, and leaves ASCII alone', () => {
    expect(foldDiacritics('ﬁne ＩＣＡ')).toBe('fine ICA');
    expect(foldDiacritics('SQ *CAFE LUNA #12')).toBe('SQ *CAFE LUNA #12');
  });
});
