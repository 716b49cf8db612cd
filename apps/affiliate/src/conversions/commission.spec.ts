import { commissionFor, saleCommissionFor, creditFor, holdReasonFor, networkFeeFor, reversalFor, type ClickEvidence, type CodeEvidence } from './commission';

const click = (over: Partial<ClickEvidence> = {}): ClickEvidence => ({ clickId: 'c_1', campaignId: 'cmp-1', publisherId: 'pub-x', programVersion: 3, fraudReason: null, at: new Date('2026-12-01T10:00:00Z'), ...over });
const code: CodeEvidence = { code: 'SPARA10', campaignId: 'cmp-1', publisherId: 'pub-y' };

describe('commission and fee', () => {
  it('a percent commission rounds down; a fixed one is the amount', () => {
    expect(commissionFor({ kind: 'percent', basisPoints: 1000 }, 125_000, 'SEK')).toBe(12_500);
    expect(commissionFor({ kind: 'percent', basisPoints: 333 }, 999, 'SEK')).toBe(33);
    expect(commissionFor({ kind: 'fixed', amount: { amountMinor: 5_000, currency: 'SEK' } }, 125_000, 'SEK')).toBe(5_000);
  });

  it('the network fee is a percent of the commission (rounded down) or fixed', () => {
    expect(networkFeeFor({ kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 }, 12_500, 'SEK')).toBe(2_500);
    expect(networkFeeFor({ kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 }, 33, 'SEK')).toBe(6);
    expect(networkFeeFor({ kind: 'fixed', amount: { amountMinor: 300, currency: 'SEK' }, publisherShareBasisPoints: 0 }, 12_500, 'SEK')).toBe(300);
  });
});

describe('commission groups', () => {
  const groups = [
    { group: 'electronics', categories: ['phones', 'laptops'], commission: { kind: 'percent' as const, basisPoints: 300 } },
    { group: 'gift cards', categories: ['giftcards'], commission: { kind: 'fixed' as const, amount: { amountMinor: 1_000, currency: 'SEK' } } },
  ];
  const base = { kind: 'percent' as const, basisPoints: 1000 };

  it('a basket earns per line by its group, and the base rate on lines in no group', () => {
    const basket = [
      { category: 'Phones', quantity: 1, amountMinor: 80_000 }, // 3 % → 2 400
      { category: 'giftcards', quantity: 2, amountMinor: 20_000 }, // 2 × 10,00 → 2 000
      { category: 'shoes', quantity: 1, amountMinor: 25_000 }, // base 10 % → 2 500
    ];
    expect(saleCommissionFor(base, groups, 125_000, basket, 'SEK')).toBe(6_900);
  });

  it('without a basket, or a program without groups, the base rate on the amount', () => {
    expect(saleCommissionFor(base, groups, 125_000, undefined, 'SEK')).toBe(12_500);
    expect(saleCommissionFor(base, undefined, 125_000, [{ category: 'phones', quantity: 1, amountMinor: 125_000 }], 'SEK')).toBe(12_500);
  });

  it('a fixed base commission counts once for the ungrouped lines, not at all when every line is grouped', () => {
    const fixed = { kind: 'fixed' as const, amount: { amountMinor: 5_000, currency: 'SEK' } };
    expect(saleCommissionFor(fixed, groups, 100_000, [{ category: 'phones', quantity: 1, amountMinor: 50_000 }, { quantity: 1, amountMinor: 50_000 }], 'SEK')).toBe(1_500 + 5_000);
    expect(saleCommissionFor(fixed, groups, 50_000, [{ category: 'laptops', quantity: 1, amountMinor: 50_000 }], 'SEK')).toBe(1_500);
  });
});

describe('returns', () => {
  const fresh = { orderAmountMinor: 125_000, currentAmountMinor: 125_000, commissionMinor: 12_500, commissionReversedMinor: 0, feeMinor: 2_500, feeReversedMinor: 0 };

  it('a return of a fifth of the order reverses a fifth of commission and fee', () => {
    expect(reversalFor(fresh, 25_000, 'SEK')).toEqual({ amountAfterMinor: 100_000, commissionReversedMinor: 2_500, feeReversedMinor: 500 });
  });

  it('returns in several steps reverse exactly everything in the end, never more', () => {
    let s = { orderAmountMinor: 1_000, currentAmountMinor: 1_000, commissionMinor: 333, commissionReversedMinor: 0, feeMinor: 66, feeReversedMinor: 0 };
    let total = 0;
    for (const step of [333, 333, 334, 50]) {
      const r = reversalFor(s, step, 'SEK');
      total += r.commissionReversedMinor;
      s = { ...s, currentAmountMinor: r.amountAfterMinor, commissionReversedMinor: s.commissionReversedMinor + r.commissionReversedMinor, feeReversedMinor: s.feeReversedMinor + r.feeReversedMinor };
    }
    expect(total).toBe(333);
    expect(s.feeReversedMinor).toBe(66);
    expect(s.currentAmountMinor).toBe(0);
  });

  it('a cancellation (everything removed) reverses what remains', () => {
    expect(reversalFor({ ...fresh, currentAmountMinor: 100_000, commissionReversedMinor: 2_500, feeReversedMinor: 500 }, 100_000, 'SEK')).toEqual({ amountAfterMinor: 0, commissionReversedMinor: 10_000, feeReversedMinor: 2_000 });
  });
});

describe('who is credited', () => {
  it('a click alone, or a code alone, credits its publisher', () => {
    expect(creditFor(click(), undefined, 'code-wins')).toMatchObject({ by: 'click', publisherId: 'pub-x' });
    expect(creditFor(undefined, code, 'code-wins')).toMatchObject({ by: 'voucher-code', publisherId: 'pub-y' });
    expect(creditFor(undefined, undefined, 'code-wins')).toEqual({ by: 'none' });
  });

  it('a click of X and a code of Y: code-wins credits Y, click-wins credits X', () => {
    expect(creditFor(click(), code, 'code-wins')).toMatchObject({ by: 'voucher-code', publisherId: 'pub-y' });
    expect(creditFor(click(), code, 'click-wins')).toMatchObject({ by: 'click', publisherId: 'pub-x' });
  });

  it("the click and the code of the same publisher: the click (its version's terms)", () => {
    expect(creditFor(click({ publisherId: 'pub-y' }), code, 'code-wins')).toMatchObject({ by: 'click', publisherId: 'pub-y' });
  });
});

describe('holds for review', () => {
  const at = new Date('2026-12-01T10:00:00Z');
  const byClick = (c: ClickEvidence) => creditFor(c, undefined, 'code-wins');

  it('a flagged click holds the sale', () => {
    expect(holdReasonFor(byClick(click({ fraudReason: 'bot-user-agent' })), new Date(at.getTime() + 3_600_000), 30, 5)).toBe('flagged-click');
    expect(holdReasonFor(byClick(click()), new Date(at.getTime() + 3_600_000), 30, 5)).toBeNull();
  });

  it('a click older than the cookie window holds the sale; one inside does not', () => {
    expect(holdReasonFor(byClick(click()), new Date(at.getTime() + 31 * 86_400_000), 30, 5)).toBe('no-click-in-window');
    expect(holdReasonFor(byClick(click()), new Date(at.getTime() + 29 * 86_400_000), 30, 5)).toBeNull();
  });

  it('a sale seconds after its click is too fast for a person', () => {
    expect(holdReasonFor(byClick(click()), new Date(at.getTime() + 2_000), 30, 5)).toBe('too-fast-to-convert');
    expect(holdReasonFor(byClick(click()), new Date(at.getTime() + 6_000), 30, 5)).toBeNull();
  });

  it("a click from the advertiser's own site (or a subdomain) is a self-referral; from elsewhere it is not", () => {
    const later = new Date(at.getTime() + 3_600_000);
    const hosts = ['shop.example.se'];
    expect(holdReasonFor(byClick(click({ referrerHost: 'shop.example.se' })), later, 30, 5, hosts)).toBe('self-referral');
    expect(holdReasonFor(byClick(click({ referrerHost: 'checkout.shop.example.se' })), later, 30, 5, hosts)).toBe('self-referral');
    expect(holdReasonFor(byClick(click({ referrerHost: 'blog.example.org' })), later, 30, 5, hosts)).toBeNull();
    expect(holdReasonFor(byClick(click({ referrerHost: 'notshop.example.se' })), later, 30, 5, hosts)).toBeNull();
    expect(holdReasonFor(byClick(click({ referrerHost: null })), later, 30, 5, hosts)).toBeNull();
  });

  it('a sale credited by voucher code needs no click', () => {
    expect(holdReasonFor(creditFor(undefined, code, 'code-wins'), at, 30, 5)).toBeNull();
  });
});
