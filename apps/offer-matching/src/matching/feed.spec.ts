import { offerContentIn, pageOf } from './feed';

describe('offer content in the customer’s language', () => {
  const content = { sv: { title: '10 % hos ICA', terms: 'Gäller i butik.' }, en: { title: '10 % at ICA' } };

  it('is the language asked for, else the other, else the name', () => {
    expect(offerContentIn({ name: 'ICA new', content }, 'en')).toEqual({ locale: 'en', title: '10 % at ICA' });
    expect(offerContentIn({ name: 'ICA new', content: { sv: content.sv } }, 'en')).toEqual({ locale: 'sv', title: '10 % hos ICA', terms: 'Gäller i butik.' });
    expect(offerContentIn({ name: 'ICA new' }, 'sv')).toEqual({ locale: 'sv', title: 'ICA new' });
  });
});

describe('feed paging', () => {
  const offers = ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'].map((campaignId) => ({ campaignId }));

  it('pages in campaign id order with a cursor, and says when there is no more', () => {
    expect(pageOf(offers, 2)).toEqual({ items: [{ campaignId: 'c-1' }, { campaignId: 'c-2' }], nextAfter: 'c-2' });
    expect(pageOf(offers, 2, 'c-2')).toEqual({ items: [{ campaignId: 'c-3' }, { campaignId: 'c-4' }], nextAfter: 'c-4' });
    expect(pageOf(offers, 2, 'c-4')).toEqual({ items: [{ campaignId: 'c-5' }], nextAfter: null });
    expect(pageOf(offers, 10, 'c-5')).toEqual({ items: [], nextAfter: null });
    // a cursor of a campaign that has since left the feed still pages on from its place
    expect(pageOf(offers, 1, 'c-2a')).toEqual({ items: [{ campaignId: 'c-3' }], nextAfter: 'c-3' });
  });
});
