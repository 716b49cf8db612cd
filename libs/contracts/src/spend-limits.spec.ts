import { candidateLimitIds, definedSpendLimits, limitDeclineReason, limitOwnedBy, spendLimitsOf } from './spend-limits';

const sek = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });
const campaign = {
  campaignId: 'cmp-1',
  advertiserId: 'adv-1',
  budget: { total: sek(10_000), pacing: 'asap' as const, bankCaps: [{ bankId: 'bank-a', amount: sek(3_000) }] },
  advertiserBudget: { total: sek(50_000), bankCaps: [{ bankId: 'bank-b', amount: sek(20_000) }] },
};

describe('spendLimitsOf', () => {
  it('a purchase of bank A draws on the advertiser budget and the campaign\'s cap at A, in limit id order', () => {
    expect(spendLimitsOf(campaign, 'bank-a').map((l) => [l.limitId, l.kind, l.total.amountMinor])).toEqual([
      ['advertiser:adv-1', 'advertiser', 50_000],
      ['campaign:cmp-1:bank:bank-a', 'campaign-bank', 3_000],
    ]);
  });

  it('a purchase of bank B draws on the advertiser budget and the advertiser\'s cap at B', () => {
    expect(spendLimitsOf(campaign, 'bank-b').map((l) => l.limitId)).toEqual(['advertiser:adv-1', 'advertiser:adv-1:bank:bank-b']);
  });

  it('an action without a bank (a click, a lead) draws on the advertiser budget only', () => {
    expect(spendLimitsOf(campaign).map((l) => l.limitId)).toEqual(['advertiser:adv-1']);
  });

  it('no advertiser budget and no caps: no limits besides the campaign budget', () => {
    expect(spendLimitsOf({ campaignId: 'cmp-2', advertiserId: 'adv-2', budget: { total: sek(1), pacing: 'asap' } }, 'bank-a')).toEqual([]);
  });
});

describe('definedSpendLimits', () => {
  it('lists every limit the snapshot defines at any bank', () => {
    expect(definedSpendLimits(campaign).map((l) => l.limitId)).toEqual(['advertiser:adv-1', 'advertiser:adv-1:bank:bank-b', 'campaign:cmp-1:bank:bank-a']);
  });
});

describe('limitOwnedBy', () => {
  it('owns the advertiser\'s limits and the campaign\'s caps, not another campaign\'s or advertiser\'s', () => {
    const c = { campaignId: 'cmp-1', advertiserId: 'adv-1' };
    expect(limitOwnedBy('advertiser:adv-1', c)).toBe(true);
    expect(limitOwnedBy('advertiser:adv-1:bank:bank-x', c)).toBe(true);
    expect(limitOwnedBy('campaign:cmp-1:bank:bank-x', c)).toBe(true);
    expect(limitOwnedBy('campaign:cmp-10:bank:bank-x', c)).toBe(false);
    expect(limitOwnedBy('advertiser:adv-10', c)).toBe(false);
  });
});

describe('limitDeclineReason', () => {
  it('names the advertiser budget or the bank cap', () => {
    expect(limitDeclineReason('advertiser')).toBe('advertiser-budget-exhausted');
    expect(limitDeclineReason('advertiser-bank')).toBe('bank-budget-exhausted');
    expect(limitDeclineReason('campaign-bank')).toBe('bank-budget-exhausted');
  });
});

describe('candidateLimitIds', () => {
  it('names every limit spendLimitsOf could return for the action', () => {
    expect(candidateLimitIds('adv-1', 'cmp-1', 'bank-a')).toEqual(['advertiser:adv-1', 'advertiser:adv-1:bank:bank-a', 'campaign:cmp-1:bank:bank-a']);
    expect(candidateLimitIds('adv-1', 'cmp-1')).toEqual(['advertiser:adv-1']);
    for (const bank of ['bank-a', 'bank-b']) for (const l of spendLimitsOf(campaign, bank)) expect(candidateLimitIds('adv-1', 'cmp-1', bank)).toContain(l.limitId);
  });
});
