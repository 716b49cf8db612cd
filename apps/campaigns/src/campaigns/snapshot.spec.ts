import { campaignTargetsBank, decodeEvent, validateEvent } from '@prestanda/contracts';
import { Advertiser, Campaign, Merchant } from './entities';
import { snapshotData, snapshotEvent, snapshotEventId } from './snapshot';
import { normaliseTerms } from './terms';

function fixture(banks?: string[] | 'all') {
  const terms = normaliseTerms(
    {
      name: 'Welcome offer',
      pricing: { model: 'CPA' },
      reward: { kind: 'fixed', amount: { amountMinor: 5000, currency: 'SEK' }, maxRewardsPerCustomer: 1 },
      platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
      budget: { total: { amountMinor: 1_000_000, currency: 'SEK' }, daily: { amountMinor: 50_000, currency: 'SEK' }, pacing: 'even' },
      schedule: { startsAt: '2025-03-01T00:00:00+01:00', daysOfWeek: [5, 1], hours: { from: '06:00', to: '10:00' }, timeZone: 'Europe/Stockholm' },
      audience: { segment: 'existing', lookbackDays: 180 },
      channels: ['in-store', 'online'],
      activation: 'automatic',
      publishers: [{ publisherId: 'pub-bank-demo-se' }, { publisherId: 'pub-aff', voucherCodes: ['SPARA10'] }],
      banks,
    },
    'SEK',
  );
  if (!terms.ok) throw new Error(JSON.stringify(terms.errors));
  const campaign = Object.assign(new Campaign(), { id: 'cmp-1', advertiserId: 'adv-1', status: 'active', version: 3, budgetExhausted: false, currency: 'SEK', ...terms.terms, updatedAt: new Date('2025-02-27T13:45:00Z') });
  const advertiser = Object.assign(new Advertiser(), { id: 'adv-1', name: 'ICA', billingCurrency: 'SEK' });
  const merchants = [
    Object.assign(new Merchant(), { id: 'mer-b', advertiserId: 'adv-1', name: 'ICA web', mids: [], descriptorPatterns: ['ICA.SE*'], mccs: [], country: 'SE', channels: ['online'] }),
    Object.assign(new Merchant(), { id: 'mer-a', advertiserId: 'adv-1', name: 'ICA Nära', mids: ['000000123456789'], descriptorPatterns: ['ICA NARA*'], mccs: ['5411'], country: 'SE', channels: ['in-store'] }),
  ];
  return { campaign, advertiser, merchants };
}

describe('campaign.snapshot', () => {
  it('is a valid campaign.snapshot v1 with merchants and publisher kinds', () => {
    const { campaign, advertiser, merchants } = fixture();
    const data = snapshotData(campaign, advertiser, merchants, new Map([['pub-bank-demo-se', 'bank'], ['pub-aff', 'affiliate']]));
    const result = validateEvent('campaigns', JSON.parse(JSON.stringify(snapshotEvent(data))));
    expect(result).toMatchObject({ ok: true });
    expect(data.merchants.map((m) => m.merchantId)).toEqual(['mer-a', 'mer-b']);
    expect(data.merchants[1]).not.toHaveProperty('mccs');
    expect(data.publishers).toEqual([
      { publisherId: 'pub-bank-demo-se', kind: 'bank' },
      { publisherId: 'pub-aff', kind: 'affiliate', voucherCodes: ['SPARA10'] },
    ]);
    expect(data.schedule.daysOfWeek).toEqual([1, 5]);
    expect(data).toMatchObject({ version: 3, status: 'active', advertiserName: 'ICA', currency: 'SEK', updatedAt: '2025-02-27T13:45:00.000Z' });
  });

  it('carries the targeted banks, sorted, as a valid campaign.snapshot v1', () => {
    const { campaign, advertiser, merchants } = fixture(['bank-demo-se', 'bank-b']);
    const data = snapshotData(campaign, advertiser, merchants, new Map());
    expect(data.banks).toEqual(['bank-b', 'bank-demo-se']);
    const decoded = decodeEvent('campaigns', JSON.stringify(snapshotEvent(data)));
    expect(decoded).toMatchObject({ ok: true, event: { type: 'campaign.snapshot', data: { banks: ['bank-b', 'bank-demo-se'] } } });
    expect(campaignTargetsBank(data, 'bank-b')).toBe(true);
    expect(campaignTargetsBank(data, 'bank-other')).toBe(false);
  });

  it('has no banks property for a campaign of every bank ("all", also the default)', () => {
    for (const banks of ['all', undefined] as const) {
      const { campaign, advertiser, merchants } = fixture(banks);
      expect(campaign.banks).toBe('all');
      const data = snapshotData(campaign, advertiser, merchants, new Map());
      expect(data).not.toHaveProperty('banks');
      expect(validateEvent('campaigns', JSON.parse(JSON.stringify(snapshotEvent(data))))).toMatchObject({ ok: true });
      expect(campaignTargetsBank(data, 'bank-any')).toBe(true);
    }
  });

  it('has a deterministic event id per campaign and version', () => {
    expect(snapshotEventId('cmp-1', 3)).toBe(snapshotEventId('cmp-1', 3));
    expect(snapshotEventId('cmp-1', 3)).not.toBe(snapshotEventId('cmp-1', 4));
    expect(snapshotEventId('cmp-1', 3)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
