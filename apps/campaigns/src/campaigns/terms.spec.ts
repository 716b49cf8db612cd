import { bankTargeting, changedFields, normaliseTerms, type TermsInput } from './terms';

const SEK = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });

const base = (): TermsInput => ({
  name: '10 % at ICA',
  pricing: { model: 'CPA' },
  reward: { kind: 'percent', basisPoints: 1000, minSpend: SEK(20_000) },
  platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
  budget: { total: SEK(5_000_000) },
  schedule: { startsAt: '2025-03-01T00:00:00+01:00', timeZone: 'Europe/Stockholm' },
  audience: { segment: 'new' },
  channels: ['in-store'],
  activation: 'required',
});

const fields = (input: TermsInput, currency = 'SEK') => {
  const r = normaliseTerms(input, currency);
  return r.ok ? [] : r.errors.map((e) => e.field);
};

describe('normaliseTerms', () => {
  it('fills the defaults of DOMAIN.md', () => {
    const r = normaliseTerms(base(), 'SEK');
    expect(r.ok && r.terms).toMatchObject({
      audience: { segment: 'new', lookbackDays: 365 },
      windows: { clickDays: 30, viewDays: 1 },
      holdPeriodDays: 30,
      holdoutBasisPoints: 0,
      budget: { total: SEK(5_000_000), pacing: 'asap' },
      publishers: [],
      banks: 'all',
    });
  });

  it('refuses an amount in another currency than the billing currency, naming the field', () => {
    expect(fields({ ...base(), budget: { total: { amountMinor: 100, currency: 'EUR' } } })).toEqual(['budget.total.currency']);
    expect(fields({ ...base(), reward: { kind: 'fixed', amount: { amountMinor: 100, currency: 'NOK' } } })).toEqual(['reward.amount.currency']);
  });

  it('a percent reward needs basisPoints, a fixed one an amount, never both', () => {
    expect(fields({ ...base(), reward: { kind: 'percent' } })).toEqual(['reward.basisPoints']);
    expect(fields({ ...base(), reward: { kind: 'fixed' } })).toEqual(['reward.amount']);
    expect(fields({ ...base(), reward: { kind: 'fixed', amount: SEK(100), basisPoints: 10 } })).toEqual(['reward.basisPoints']);
    expect(fields({ ...base(), platformFee: { kind: 'fixed', publisherShareBasisPoints: 0 } })).toEqual(['platformFee.amount']);
  });

  it('CPA needs a reward; CPL/CPC/CPM need a price', () => {
    expect(fields({ ...base(), reward: undefined })).toEqual(['reward']);
    expect(fields({ ...base(), pricing: { model: 'CPC' }, reward: undefined })).toEqual(['pricing.price']);
    expect(fields({ ...base(), pricing: { model: 'CPM', price: SEK(5000) }, reward: undefined })).toEqual([]);
  });

  it('schedule end after start, daily cap within total, publishers listed once', () => {
    expect(fields({ ...base(), schedule: { startsAt: '2025-03-01T00:00:00Z', endsAt: '2025-03-01T00:00:00Z', timeZone: 'UTC' } })).toEqual(['schedule.endsAt']);
    expect(fields({ ...base(), budget: { total: SEK(100), daily: SEK(101) } })).toEqual(['budget.daily']);
    expect(fields({ ...base(), publishers: [{ publisherId: 'p' }, { publisherId: 'p' }] })).toEqual(['publishers.1.publisherId']);
    expect(fields({ ...base(), publishers: [{ publisherId: 'a', voucherCodes: ['SAVE10'] }, { publisherId: 'b', voucherCodes: ['save10'] }] })).toEqual(['publishers.1.voucherCodes']);
  });
});

describe('bankTargeting', () => {
  it('is "all" when absent, null or "all"; a list is kept, sorted', () => {
    expect(bankTargeting(undefined)).toBe('all');
    expect(bankTargeting(null)).toBe('all');
    expect(bankTargeting('all')).toBe('all');
    expect(bankTargeting(['bank-demo-se', 'bank-a'])).toEqual(['bank-a', 'bank-demo-se']);
  });
});

describe('changedFields', () => {
  it('sees only fields whose value changes, whatever the key order', () => {
    const a = normaliseTerms(base(), 'SEK');
    const b = normaliseTerms({ ...base(), name: 'renamed', reward: { minSpend: SEK(20_000), basisPoints: 1000, kind: 'percent' } }, 'SEK');
    if (!a.ok || !b.ok) throw new Error('invalid');
    expect(changedFields(a.terms, b.terms)).toEqual(['name']);
  });

  it('sees a change of banks, but not of their order', () => {
    const all = normaliseTerms(base(), 'SEK');
    const ab = normaliseTerms({ ...base(), banks: ['bank-a', 'bank-b'] }, 'SEK');
    const ba = normaliseTerms({ ...base(), banks: ['bank-b', 'bank-a'] }, 'SEK');
    if (!all.ok || !ab.ok || !ba.ok) throw new Error('invalid');
    expect(changedFields(all.terms, ab.terms)).toEqual(['banks']);
    expect(changedFields(ab.terms, all.terms)).toEqual(['banks']);
    expect(changedFields(ab.terms, ba.terms)).toEqual([]);
  });
});
