import { PermanentError } from '@prestanda/persistence';
import { campaignSnapshot } from './fixtures';
import { assertCampaignConsistent, knownExhausted } from './rules';

describe('assertCampaignConsistent', () => {
  it('accepts a consistent snapshot', () => {
    expect(() => assertCampaignConsistent(campaignSnapshot())).not.toThrow();
  });

  it('rejects an unknown time zone and amounts in another currency, naming the field', () => {
    expect(() => assertCampaignConsistent(campaignSnapshot({ schedule: { startsAt: '2020-01-01T00:00:00Z', timeZone: 'Mars/Base' } }))).toThrow(
      expect.objectContaining({ name: 'PermanentError', field: 'data.schedule.timeZone' }),
    );
    const euroBudget = campaignSnapshot({ budget: { total: { amountMinor: 1, currency: 'EUR' }, pacing: 'asap' } });
    expect(() => assertCampaignConsistent(euroBudget)).toThrow(PermanentError);
    const euroMin = campaignSnapshot({ reward: { kind: 'percent', basisPoints: 100, minSpend: { amountMinor: 1, currency: 'EUR' } } });
    expect(() => assertCampaignConsistent(euroMin)).toThrow(expect.objectContaining({ field: 'data.reward.minSpend' }));
  });
});

describe('knownExhausted', () => {
  const now = new Date('2025-03-14T23:30:00Z'); // 2025-03-15 00:30 in Stockholm
  it('total until replenished; daily only for today in the campaign time zone', () => {
    const daily = campaignSnapshot({ budget: { total: { amountMinor: 10, currency: 'SEK' }, daily: { amountMinor: 5, currency: 'SEK' }, pacing: 'asap' } });
    expect(knownExhausted(daily, true, null, now)).toBe(true);
    expect(knownExhausted(daily, false, '2025-03-15', now)).toBe(true);
    expect(knownExhausted(daily, false, '2025-03-14', now)).toBe(false);
    expect(knownExhausted(campaignSnapshot(), false, '2025-03-15', now)).toBe(false);
  });
});
