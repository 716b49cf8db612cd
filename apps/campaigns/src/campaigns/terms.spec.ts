import { bankTargeting, changedFields, normaliseAdvertiserBudget, normaliseTerms, type TermsInput } from './terms';

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

describe('budget.bankCaps', () => {
  it('are kept sorted by bank, in the billing currency, within the total, once per bank and only for targeted banks', () => {
    const r = normaliseTerms({ ...base(), banks: ['bank-b', 'bank-a'], budget: { total: SEK(10_000), bankCaps: [{ bankId: 'bank-b', amount: SEK(3_000) }, { bankId: 'bank-a', amount: SEK(2_000) }] } }, 'SEK');
    expect(r.ok && r.terms.budget.bankCaps).toEqual([
      { bankId: 'bank-a', amount: SEK(2_000) },
      { bankId: 'bank-b', amount: SEK(3_000) },
    ]);
    expect(fields({ ...base(), budget: { total: SEK(10_000), bankCaps: [{ bankId: 'bank-a', amount: { amountMinor: 1, currency: 'EUR' } }] } })).toEqual(['budget.bankCaps.0.amount.currency']);
    expect(fields({ ...base(), budget: { total: SEK(10_000), bankCaps: [{ bankId: 'bank-a', amount: SEK(1) }, { bankId: 'bank-a', amount: SEK(2) }] } })).toEqual(['budget.bankCaps.1.bankId']);
    expect(fields({ ...base(), budget: { total: SEK(10_000), bankCaps: [{ bankId: 'bank-a', amount: SEK(10_001) }] } })).toEqual(['budget.bankCaps.0.amount']);
    expect(fields({ ...base(), banks: ['bank-a'], budget: { total: SEK(10_000), bankCaps: [{ bankId: 'bank-b', amount: SEK(1) }] } })).toEqual(['budget.bankCaps.0.bankId']);
  });
});

describe('normaliseAdvertiserBudget', () => {
  it('keeps a total and sorted caps; nothing set is null; another currency names the field', () => {
    expect(normaliseAdvertiserBudget({ total: SEK(50_000), bankCaps: [{ bankId: 'b', amount: SEK(2) }, { bankId: 'a', amount: SEK(1) }] }, 'SEK')).toEqual({
      ok: true,
      budget: { total: SEK(50_000), bankCaps: [{ bankId: 'a', amount: SEK(1) }, { bankId: 'b', amount: SEK(2) }] },
    });
    expect(normaliseAdvertiserBudget({}, 'SEK')).toEqual({ ok: true, budget: null });
    expect(normaliseAdvertiserBudget(null, 'SEK')).toEqual({ ok: true, budget: null });
    const bad = normaliseAdvertiserBudget({ total: { amountMinor: 1, currency: 'EUR' }, bankCaps: [{ bankId: 'a', amount: { amountMinor: 1, currency: 'NOK' } }] }, 'SEK');
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['budget.total.currency', 'budget.bankCaps.0.amount.currency']);
  });
});

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
