import { formErrorsOf, ApiError } from './api';
import { bankCapsBodyOf, bankOptions, budgetBodyOf, budgetFormFields, budgetValuesOf, merchantBodyOf, merchantValuesOf, newAdvertiserBodyOf, searchAdvertisers } from './advertisers';
import type { Advertiser, Merchant } from './types';

const advertiser = (id: string, name: string): Advertiser => ({ id, name, billingCurrency: 'SEK', budget: null, merchants: [], createdAt: '', updatedAt: '' });

describe('advertiser budget in the console form (major units typed, minor units sent)', () => {
  it('sends a total and per-bank caps in minor units of the billing currency', () => {
    const { budget, problems } = budgetBodyOf({ total: '50 000', bankCaps: [{ bankId: ' bank-nord ', amount: '10000,50' }] }, 'SEK');
    expect(problems).toEqual({});
    expect(budget).toEqual({ total: { amountMinor: 5_000_000, currency: 'SEK' }, bankCaps: [{ bankId: 'bank-nord', amount: { amountMinor: 1_000_050, currency: 'SEK' } }] });
  });

  it('sends caps without a total, and null when nothing is set (which removes the budget)', () => {
    expect(budgetBodyOf({ total: '', bankCaps: [{ bankId: 'b', amount: '5' }] }, 'JPY').budget).toEqual({ bankCaps: [{ bankId: 'b', amount: { amountMinor: 5, currency: 'JPY' } }] });
    expect(budgetBodyOf({ total: ' ', bankCaps: [] }, 'SEK')).toEqual({ budget: null, problems: {} });
  });

  it('names the amounts it cannot send on their own inputs; a cap needs an amount, the total does not', () => {
    expect(budgetBodyOf({ total: '1.234', bankCaps: [{ bankId: 'a', amount: '1' }, { bankId: 'b', amount: '' }] }, 'SEK').problems).toEqual({ 'budget.total': 'amountInvalid', 'budget.bankCaps.1.amount': 'amountInvalid' });
  });

  it('starts the edit form from the stored budget, and from nothing', () => {
    expect(budgetValuesOf({ total: { amountMinor: 123_450, currency: 'SEK' }, bankCaps: [{ bankId: 'b', amount: { amountMinor: 7, currency: 'SEK' } }] })).toEqual({ total: '1234.50', bankCaps: [{ bankId: 'b', amount: '0.07' }] });
    expect(budgetValuesOf(null)).toEqual({ total: '', bankCaps: [] });
  });

  it("lands the API's budget errors on the cap row they name", () => {
    const error = new ApiError(400, {
      fields: [
        { field: 'budget.bankCaps.1.bankId', message: 'budget.bankCaps.1.bankId: bank-a is listed twice' },
        { field: 'budget.bankCaps.0.amount.currency', message: "must be the advertiser's billing currency SEK" },
        { field: 'budget.total.amountMinor', message: 'must not be greater than 9007199254740991' },
        { field: 'name', message: 'too long' },
      ],
    });
    expect(formErrorsOf(error, [...budgetFormFields(2)])).toEqual({
      errors: { 'budget.bankCaps.1.bankId': 'budget.bankCaps.1.bankId: bank-a is listed twice', 'budget.bankCaps.0.amount': "must be the advertiser's billing currency SEK", 'budget.total': 'must not be greater than 9007199254740991' },
      unplaced: ['name: too long'],
    });
  });
});

describe("a campaign's bank caps (the same rows and paths as an advertiser's)", () => {
  it('sends each cap in minor units of the currency, and names an amount it cannot send', () => {
    expect(bankCapsBodyOf([{ bankId: 'bank-a', amount: '250' }, { bankId: 'bank-b', amount: 'x' }], 'EUR')).toEqual({
      bankCaps: [
        { bankId: 'bank-a', amount: { amountMinor: 25_000, currency: 'EUR' } },
        { bankId: 'bank-b', amount: { amountMinor: 0, currency: 'EUR' } },
      ],
      problems: { 'budget.bankCaps.1.amount': 'amountInvalid' },
    });
    expect(bankCapsBodyOf([], 'SEK')).toEqual({ bankCaps: [], problems: {} });
  });
});

describe('a new advertiser', () => {
  it('leaves the id to the API when none is typed, and the budget out when none is set', () => {
    expect(newAdvertiserBodyOf({ id: ' ', name: 'Kafé', billingCurrency: ' SEK ', budget: { total: '', bankCaps: [] } }).body).toEqual({ name: 'Kafé', billingCurrency: 'SEK' });
    expect(newAdvertiserBodyOf({ id: 'adv-x', name: 'Kafé', billingCurrency: 'EUR', budget: { total: '10', bankCaps: [] } }).body).toEqual({ id: 'adv-x', name: 'Kafé', billingCurrency: 'EUR', budget: { total: { amountMinor: 1000, currency: 'EUR' } } });
  });
});

describe('a merchant in the console form', () => {
  const merchant: Merchant = { id: 'mer-1', advertiserId: 'adv-1', name: 'ICA Nära', mids: ['111', '222'], descriptorPatterns: ['ICA NARA HOKARANGEN*', 'ICA*'], mccs: ['5411'], country: 'SE', channels: ['in-store'], createdAt: '', updatedAt: '' };

  it('splits MIDs and MCCs on commas, spaces and lines, descriptor patterns (which hold spaces) on lines only', () => {
    expect(merchantBodyOf({ id: ' mer-2 ', name: 'Shop', mids: '111, 222\n333', descriptorPatterns: 'SHOP STOCKHOLM*\n\n  SHOP ONLINE ', mccs: '5411 5812', country: 'SE', channels: ['online'] }, { withId: true })).toEqual({
      id: 'mer-2',
      name: 'Shop',
      mids: ['111', '222', '333'],
      descriptorPatterns: ['SHOP STOCKHOLM*', 'SHOP ONLINE'],
      mccs: ['5411', '5812'],
      country: 'SE',
      channels: ['online'],
    });
  });

  it('round-trips a stored merchant through the edit form, without its id in the replacing body', () => {
    expect(merchantBodyOf(merchantValuesOf(merchant), { withId: false })).toEqual({ name: 'ICA Nära', mids: ['111', '222'], descriptorPatterns: ['ICA NARA HOKARANGEN*', 'ICA*'], mccs: ['5411'], country: 'SE', channels: ['in-store'] });
  });

  it('leaves the id to the API when none is typed', () => {
    expect(merchantBodyOf(merchantValuesOf(), { withId: true })).toEqual({ name: '', mids: [], descriptorPatterns: [], mccs: [], country: 'SE', channels: ['in-store'] });
  });
});

describe('the advertiser list', () => {
  const list = [advertiser('adv-ica', 'ICA Sverige'), advertiser('adv-coop', 'Coop'), advertiser('adv-kafe', 'Kafé Konsol')];

  it('finds by a part of the name or the id, in any case; an empty search shows all', () => {
    expect(searchAdvertisers(list, 'sverige').map((a) => a.id)).toEqual(['adv-ica']);
    expect(searchAdvertisers(list, 'ADV-CO').map((a) => a.id)).toEqual(['adv-coop']);
    expect(searchAdvertisers(list, ' ')).toHaveLength(3);
    expect(searchAdvertisers(list, 'nothing')).toEqual([]);
  });

  it('offers the registered banks for a cap, and keeps a bank a stored cap names', () => {
    const integrations = [
      { id: 'bank-sud', kind: 'bank' as const, name: 'Bank Syd' },
      { id: 'app-x', kind: 'rewards-app' as const, name: 'App' },
      { id: 'bank-nord', kind: 'bank' as const, name: 'Bank Nord' },
    ];
    expect(bankOptions(integrations, [{ bankId: 'bank-gone', amount: '1' }, { bankId: '', amount: '' }])).toEqual([
      { value: 'bank-gone', label: 'bank-gone' },
      { value: 'bank-nord', label: 'Bank Nord (bank-nord)' },
      { value: 'bank-sud', label: 'Bank Syd (bank-sud)' },
    ]);
  });
});
