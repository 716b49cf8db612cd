import { normaliseDescriptor } from './descriptor';

describe('normaliseDescriptor', () => {
  it.each([
    ['ICA NARA STOCKHOLM 1234', 'ICA NARA'],
    ['SQ *CAFE LUNA #12 GOTEBORG', 'CAFE LUNA'],
    ['SQ*CAFE LUNA', 'CAFE LUNA'],
    ['PAYPAL *SPOTIFY', 'SPOTIFY'],
    ['ZETTLE_*CAFE OGON', 'CAFE OGON'],
    ['IZ *Bageri Sankt Goran', 'BAGERI SANKT GORAN'],
    ['SUMUP *Foodtruck Malmö', 'FOODTRUCK'],
    ['ica nära   hökarängen', 'ICA NARA HOKARANGEN'],
    ['ÅHLÉNS CITY', 'AHLENS CITY'],
    ['AHLENS CITY', 'AHLENS CITY'],
    ['Café Ølstue Århus', 'CAFE OLSTUE'],
    ['ICA NARA HOKARANGEN', 'ICA NARA HOKARANGEN'],
    ['NETFLIX.COM', 'NETFLIX.COM'],
    ["MCDONALD'S 0456 GÖTEBORG", 'MCDONALDS'],
    ['H&M 1234 STOCKHOLM', 'H&M'],
    ['COOP KONSUM NR 12', 'COOP KONSUM'],
    ['ELGIGANTEN, KØBENHAVN K', 'ELGIGANTEN'],
    ['7-ELEVEN 1234 OSLO', '7 ELEVEN'],
    ['Clas Ohlson - Helsinki', 'CLAS OHLSON'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseDescriptor(input)).toBe(expected);
  });

  it('keeps a city that is the whole name, or sits in the middle', () => {
    expect(normaliseDescriptor('GOTEBORG 12')).toBe('GOTEBORG');
    expect(normaliseDescriptor('STOCKHOLM STADSMISSION')).toBe('STOCKHOLM STADSMISSION');
    expect(normaliseDescriptor('OSLO')).toBe('OSLO');
  });

  it('removes the reported city and country at the end', () => {
    expect(normaliseDescriptor('PRESSBYRAN ARLANDA SE', { city: 'ARLANDA', country: 'SE' })).toBe('PRESSBYRAN');
    expect(normaliseDescriptor('BISTRO NORD SKELLEFTEÅ', { city: 'Skellefteå' })).toBe('BISTRO NORD');
    expect(normaliseDescriptor('BISTRO NORD SKELLEFTEÅ')).toBe('BISTRO NORD SKELLEFTEA');
  });

  it('never returns an empty string', () => {
    expect(normaliseDescriptor('***')).toBe('***');
    expect(normaliseDescriptor(' ')).toBe('UNKNOWN');
    expect(normaliseDescriptor('1234')).toBe('1234');
  });

  it('is idempotent', () => {
    for (const d of ['SQ *CAFE LUNA #12 GOTEBORG', 'ICA NARA STOCKHOLM 1234', 'NETFLIX.COM', 'H&M 1234 STOCKHOLM']) {
      const once = normaliseDescriptor(d);
      expect(normaliseDescriptor(once)).toBe(once);
    }
  });
});
