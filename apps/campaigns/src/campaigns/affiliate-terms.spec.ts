import { hostOf, mintTrackingCode, normaliseAffiliate, normaliseCommission, withTrackingCodes } from './affiliate-terms';
import type { FieldError } from './terms';

describe('affiliate program terms', () => {
  it('fills the defaults and always allows deep links to the landing host', () => {
    const errors: FieldError[] = [];
    const t = normaliseAffiliate({ landingUrl: 'https://Shop.Example.se/start', deepLinkHosts: ['blog.example.se'], commission: { kind: 'percent', basisPoints: 800 } }, 'SEK', errors);
    expect(errors).toEqual([]);
    expect(t).toEqual({
      landingUrl: 'https://Shop.Example.se/start',
      deepLinkHosts: ['blog.example.se', 'shop.example.se'],
      clickIdParam: 'prclid',
      commission: { kind: 'percent', basisPoints: 800 },
      voucherRule: 'code-wins',
      approval: 'manual',
    });
  });

  it('names the field of a landing URL that is not http(s)', () => {
    const errors: FieldError[] = [];
    normaliseAffiliate({ landingUrl: 'javascript:alert(1)', commission: { kind: 'percent', basisPoints: 800 } }, 'SEK', errors);
    expect(errors.map((e) => e.field)).toEqual(['affiliate.landingUrl']);
  });

  it('a commission whose fields disagree with its kind, or in another currency, names each field', () => {
    const errors: FieldError[] = [];
    normaliseCommission({ kind: 'fixed', basisPoints: 100, amount: { amountMinor: 5000, currency: 'EUR' } }, 'SEK', 'commission', errors);
    expect(errors.map((e) => e.field)).toEqual(['commission.basisPoints', 'commission.amount.currency']);
    const none: FieldError[] = [];
    normaliseCommission({ kind: 'percent' }, 'SEK', 'commission', none);
    expect(none.map((e) => e.field)).toEqual(['commission.basisPoints']);
  });

  it('hostOf accepts only absolute http(s) URLs', () => {
    expect(hostOf('https://a.example/x')).toBe('a.example');
    expect(hostOf('ftp://a.example/x')).toBeUndefined();
    expect(hostOf('/relative')).toBeUndefined();
  });
});

describe('tracking codes', () => {
  it('are 12 characters of the unambiguous alphabet, and differ', () => {
    const codes = new Set(Array.from({ length: 200 }, () => mintTrackingCode()));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
  });

  it('skip biased bytes (rejection sampling)', () => {
    let calls = 0;
    const code = mintTrackingCode((n) => Buffer.alloc(n, calls++ === 0 ? 250 : 1));
    expect(code).toBe('B'.repeat(12));
    expect(calls).toBe(2);
  });

  it('stay with their publisher across edits; only affiliates get one', () => {
    let n = 0;
    const mint = () => `code${++n}`;
    const out = withTrackingCodes(
      [{ publisherId: 'aff-1' }, { publisherId: 'aff-2' }, { publisherId: 'bank-1' }],
      [{ publisherId: 'aff-1', trackingCode: 'kept' }],
      (id) => id.startsWith('aff'),
      mint,
    );
    expect(out).toEqual([{ publisherId: 'aff-1', trackingCode: 'kept' }, { publisherId: 'aff-2', trackingCode: 'code1' }, { publisherId: 'bank-1' }]);
  });
});
