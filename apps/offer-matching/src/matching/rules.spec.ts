import {
  audienceFits,
  audienceSegment,
  descriptorPrefixes,
  deterministicUuid,
  evaluate,
  historyBefore,
  holdoutPosition,
  inHoldout,
  inSchedule,
  localTime,
  matchIdFor,
  patternMatches,
  patternPrefix,
  patternToLike,
  platformFeeFor,
  rewardFor,
  reserveOnLimits,
  spentLimit,
  paceAllowance,
  pacedOut,
  type BudgetRow,
  type LimitRow,
  type CampaignState,
  type TransactionFacts,
} from './rules';
import type { CampaignSnapshotV1Data } from '@prestanda/contracts';
import { campaignSnapshot } from './fixtures';

const DAY = 86_400_000;
const at = new Date('2025-03-14T15:09:26.000Z'); // Friday 16:09 in Stockholm
const tx = (over: Partial<TransactionFacts> = {}): TransactionFacts => ({ amount: { amountMinor: 42_950, currency: 'SEK' }, channel: 'in-store', at, customerId: 'cust-1', bankSource: 'bank-a', ...over });
const state = (over: Partial<CampaignState> & { snapshot?: CampaignState['snapshot'] } = {}): CampaignState => ({
  snapshot: campaignSnapshot(),
  customerMatches: 0,
  budgetExhausted: false,
  ...over,
});
const daysBefore = (n: number) => new Date(at.getTime() - n * DAY);

describe('audience', () => {
  it('segments the customer as of before the purchase', () => {
    expect(audienceSegment(undefined, at, 365)).toBe('new');
    expect(audienceSegment({ purchaseCount: 1, lastPurchaseAt: daysBefore(10) }, at, 365)).toBe('existing');
    expect(audienceSegment({ purchaseCount: 3, lastPurchaseAt: daysBefore(400) }, at, 365)).toBe('lapsed');
    expect(audienceSegment({ purchaseCount: 3, lastPurchaseAt: daysBefore(40) }, at, 30)).toBe('lapsed');
  });

  it('fits rules: new takes new and lapsed, lapsed only lapsed, existing only existing, all everyone', () => {
    expect(audienceFits('new', 'new')).toBe(true);
    expect(audienceFits('new', 'lapsed')).toBe(true);
    expect(audienceFits('new', 'existing')).toBe(false);
    expect(audienceFits('lapsed', 'lapsed')).toBe(true);
    expect(audienceFits('lapsed', 'new')).toBe(false);
    expect(audienceFits('existing', 'existing')).toBe(true);
    expect(audienceFits('existing', 'lapsed')).toBe(false);
    for (const s of ['new', 'lapsed', 'existing'] as const) expect(audienceFits('all', s)).toBe(true);
  });

  it('history before a late purchase never counts later purchases as the last one', () => {
    const row = { first_purchase_at: daysBefore(100), last_purchase_at: new Date(at.getTime() + DAY), purchase_count: 5 };
    expect(historyBefore(row, at)).toEqual({ firstPurchaseAt: daysBefore(100), lastPurchaseAt: daysBefore(100), purchaseCount: 1 });
    expect(historyBefore({ ...row, first_purchase_at: new Date(at.getTime() + 1) }, at)).toBeUndefined();
    expect(historyBefore({ first_purchase_at: null, last_purchase_at: null, purchase_count: null }, at)).toBeUndefined();
  });
});

describe('schedule', () => {
  const tz = 'Europe/Stockholm';
  it('local time uses the campaign time zone', () => {
    expect(localTime(at, tz)).toEqual({ day: '2025-03-14', isoWeekday: 5, minutes: 16 * 60 + 9 });
    expect(localTime(new Date('2025-03-16T23:30:00Z'), tz)).toEqual({ day: '2025-03-17', isoWeekday: 1, minutes: 30 });
    expect(localTime(new Date('2025-07-01T22:30:00Z'), tz).minutes).toBe(30); // CEST
  });

  it('start inclusive, end exclusive', () => {
    expect(inSchedule({ startsAt: at.toISOString(), timeZone: tz }, at)).toBe(true);
    expect(inSchedule({ startsAt: new Date(at.getTime() + 1).toISOString(), timeZone: tz }, at)).toBe(false);
    expect(inSchedule({ startsAt: '2020-01-01T00:00:00Z', endsAt: at.toISOString(), timeZone: tz }, at)).toBe(false);
  });

  it('days of week and hours, including windows over midnight', () => {
    const base = { startsAt: '2020-01-01T00:00:00Z', timeZone: tz };
    expect(inSchedule({ ...base, daysOfWeek: [5] }, at)).toBe(true);
    expect(inSchedule({ ...base, daysOfWeek: [6, 7] }, at)).toBe(false);
    expect(inSchedule({ ...base, hours: { from: '16:00', to: '17:00' } }, at)).toBe(true);
    expect(inSchedule({ ...base, hours: { from: '06:00', to: '16:09' } }, at)).toBe(false);
    expect(inSchedule({ ...base, hours: { from: '16:09', to: '16:10' } }, at)).toBe(true);
    expect(inSchedule({ ...base, hours: { from: '22:00', to: '02:00' } }, new Date('2025-03-14T00:30:00Z'))).toBe(true); // 01:30 local
    expect(inSchedule({ ...base, hours: { from: '22:00', to: '02:00' } }, at)).toBe(false);
  });
});

describe('reward and fee', () => {
  it('percent rounds down and is capped by maxPerPurchase', () => {
    expect(rewardFor(campaignSnapshot(), { amountMinor: 2_599, currency: 'SEK' })).toEqual({ amountMinor: 259, currency: 'SEK' });
    const capped = campaignSnapshot({ reward: { kind: 'percent', basisPoints: 1000, maxPerPurchase: { amountMinor: 2_000, currency: 'SEK' } } });
    expect(rewardFor(capped, { amountMinor: 42_950, currency: 'SEK' })).toEqual({ amountMinor: 2_000, currency: 'SEK' });
  });

  it('fixed reward; percent fee rounds down; fixed fee', () => {
    const fixed = campaignSnapshot({ reward: { kind: 'fixed', amount: { amountMinor: 5_000, currency: 'SEK' } } });
    expect(rewardFor(fixed, { amountMinor: 42_950, currency: 'SEK' })).toEqual({ amountMinor: 5_000, currency: 'SEK' });
    expect(platformFeeFor(campaignSnapshot(), { amountMinor: 4_295, currency: 'SEK' })).toEqual({ amountMinor: 859, currency: 'SEK' });
    const fixedFee = campaignSnapshot({ platformFee: { kind: 'fixed', amount: { amountMinor: 300, currency: 'SEK' }, publisherShareBasisPoints: 0 } });
    expect(platformFeeFor(fixedFee, { amountMinor: 4_295, currency: 'SEK' })).toEqual({ amountMinor: 300, currency: 'SEK' });
  });
});

describe('holdout', () => {
  it('is stable and roughly the configured share', () => {
    expect(holdoutPosition('cust-1', 'cmp-1')).toBe(holdoutPosition('cust-1', 'cmp-1'));
    let held = 0;
    for (let i = 0; i < 10_000; i++) if (inHoldout(`cust-${i}`, { campaignId: 'cmp-1', holdoutBasisPoints: 1000 })) held++;
    expect(held).toBeGreaterThan(850);
    expect(held).toBeLessThan(1150);
    expect(inHoldout('cust-1', { campaignId: 'cmp-1', holdoutBasisPoints: 0 })).toBe(false);
  });
});

describe('evaluate', () => {
  it('matches with reward and fee', () => {
    expect(evaluate(state(), undefined, tx())).toEqual({
      outcome: 'eligible',
      segment: 'new',
      reward: { amountMinor: 4_295, currency: 'SEK' },
      fee: { amountMinor: 859, currency: 'SEK' },
    });
  });

  it.each([
    ['bank-not-targeted', state({ snapshot: campaignSnapshot({ banks: ['bank-b'] }) }), tx()],
    ['campaign-not-active', state({ snapshot: campaignSnapshot({ status: 'paused' }) }), tx()],
    ['budget-exhausted', state({ snapshot: campaignSnapshot({ status: 'exhausted' }) }), tx()],
    ['currency-mismatch', state(), tx({ amount: { amountMinor: 42_950, currency: 'EUR' } })],
    ['wrong-channel', state({ snapshot: campaignSnapshot({ channels: ['online'] }) }), tx()],
    ['outside-schedule', state({ snapshot: campaignSnapshot({ schedule: { startsAt: '2020-01-01T00:00:00Z', timeZone: 'Europe/Stockholm', daysOfWeek: [6, 7] } }) }), tx()],
    ['below-minimum-spend', state({ snapshot: campaignSnapshot({ reward: { kind: 'percent', basisPoints: 1000, minSpend: { amountMinor: 50_000, currency: 'SEK' } } }) }), tx()],
    ['audience-mismatch', state({ snapshot: campaignSnapshot({ audience: { segment: 'existing', lookbackDays: 365 } }) }), tx()],
    ['customer-cap-reached', state({ snapshot: campaignSnapshot({ reward: { kind: 'percent', basisPoints: 1000, maxRewardsPerCustomer: 2 } }), customerMatches: 2 }), tx()],
    ['holdout', state({ snapshot: campaignSnapshot({ holdoutBasisPoints: 5000 }) }), tx({ customerId: findHoldout(5000) })],
    ['budget-exhausted', state({ budgetExhausted: true }), tx()],
  ])('declines with %s', (reason, s, t) => {
    expect(evaluate(s, undefined, t)).toMatchObject({ outcome: 'declined', reason });
  });

  it('a campaign listing the bank, or naming no banks, is offered to it', () => {
    expect(evaluate(state({ snapshot: campaignSnapshot({ banks: ['bank-b', 'bank-a'] }) }), undefined, tx())).toMatchObject({ outcome: 'eligible' });
    expect(evaluate(state({ snapshot: campaignSnapshot({ banks: undefined }) }), undefined, tx({ bankSource: 'bank-z' }))).toMatchObject({ outcome: 'eligible' });
    // Not targeted comes first: a paused campaign at another bank says bank-not-targeted.
    expect(evaluate(state({ snapshot: campaignSnapshot({ banks: ['bank-b'], status: 'paused' }) }), undefined, tx())).toMatchObject({ reason: 'bank-not-targeted' });
  });

  it('takes the first failing rule in order', () => {
    const s = state({ snapshot: campaignSnapshot({ channels: ['online'], reward: { kind: 'percent', basisPoints: 1000, minSpend: { amountMinor: 99_999, currency: 'SEK' } } }) });
    expect(evaluate(s, undefined, tx({ amount: { amountMinor: 1, currency: 'EUR' } }))).toMatchObject({ reason: 'currency-mismatch' });
    expect(evaluate(s, undefined, tx({ amount: { amountMinor: 1, currency: 'SEK' } }))).toMatchObject({ reason: 'wrong-channel' });
  });

  it('audience with history before: a prior purchase turns new into existing', () => {
    const history = { purchaseCount: 1, firstPurchaseAt: daysBefore(3), lastPurchaseAt: daysBefore(3) };
    const forNew = state({ snapshot: campaignSnapshot({ audience: { segment: 'new', lookbackDays: 365 } }) });
    const forExisting = state({ snapshot: campaignSnapshot({ audience: { segment: 'existing', lookbackDays: 365 } }) });
    const forLapsed = state({ snapshot: campaignSnapshot({ audience: { segment: 'lapsed', lookbackDays: 30 } }) });
    expect(evaluate(forNew, undefined, tx())).toMatchObject({ outcome: 'eligible', segment: 'new' });
    expect(evaluate(forNew, history, tx())).toMatchObject({ outcome: 'declined', reason: 'audience-mismatch', segment: 'existing' });
    expect(evaluate(forExisting, history, tx())).toMatchObject({ outcome: 'eligible', segment: 'existing' });
    expect(evaluate(forLapsed, history, tx())).toMatchObject({ reason: 'audience-mismatch' });
    expect(evaluate(forLapsed, { purchaseCount: 1, lastPurchaseAt: daysBefore(60) }, tx())).toMatchObject({ outcome: 'eligible', segment: 'lapsed' });
  });
});

describe('descriptor patterns and ids', () => {
  it('patterns: * any run, whole descriptor, case-insensitive, LIKE escaped', () => {
    expect(patternMatches('ICA NARA*', 'ICA NARA HOKARANGEN')).toBe(true);
    expect(patternMatches('ica nara*', 'ICA NARA HOKARANGEN')).toBe(true);
    // Diacritics fold on both sides: a merchant registered as ÅHLÉNS meets a bank's AHLENS.
    expect(patternMatches('ÅHLÉNS CITY*', 'AHLENS CITY')).toBe(true);
    expect(patternToLike('Åhléns*')).toBe('AHLENS%');
    expect(patternMatches('ICA NARA', 'ICA NARA HOKARANGEN')).toBe(false);
    expect(patternMatches('*NETFLIX*', 'WWW NETFLIX COM')).toBe(true);
    expect(patternToLike('50% OFF_*')).toBe('50\\% OFF\\_%');
    expect(patternPrefix('ica nara*x')).toBe('ICA NARA');
    expect(patternPrefix('*X')).toBe('');
    expect(descriptorPrefixes('AB')).toEqual(['', 'A', 'AB']);
  });

  it('match ids and event ids are deterministic per (purchase, campaign)', () => {
    expect(matchIdFor('p1', 'c1')).toBe(matchIdFor('p1', 'c1'));
    expect(matchIdFor('p1', 'c1')).not.toBe(matchIdFor('p1', 'c2'));
    expect(deterministicUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

function findHoldout(bp: number): string {
  for (let i = 0; ; i++) if (inHoldout(`cust-h${i}`, { campaignId: 'cmp-test', holdoutBasisPoints: bp })) return `cust-h${i}`;
}

describe('spend limits (advertiser budget, per-bank caps)', () => {
  const row = (over: Partial<LimitRow> = {}): LimitRow => ({ limit_id: 'advertiser:adv-1', kind: 'advertiser', total_minor: 1_000, reserved_minor: 0, exhausted: false, ...over });

  it('holds back at the first limit reserved to its total or marked exhausted; a removed limit holds nothing', () => {
    expect(spentLimit([row({ reserved_minor: 999 })])).toBeUndefined();
    expect(spentLimit([row({ reserved_minor: 999 }), row({ limit_id: 'campaign:c:bank:b', kind: 'campaign-bank', reserved_minor: 1_000 })])?.limit_id).toBe('campaign:c:bank:b');
    expect(spentLimit([row({ exhausted: true })])?.kind).toBe('advertiser');
    expect(spentLimit([row({ total_minor: null, reserved_minor: 5_000, exhausted: true })])).toBeUndefined();
    expect(spentLimit([])).toBeUndefined();
  });

  it('reserves the amount on every limit of the purchase (the one that crosses is let through)', () => {
    const limits = [row({ reserved_minor: 900 }), row({ limit_id: 'advertiser:adv-1:bank:b', kind: 'advertiser-bank', reserved_minor: 0 })];
    reserveOnLimits(limits, 400);
    expect(limits.map((l) => l.reserved_minor)).toEqual([1_300, 400]);
    expect(spentLimit(limits)?.limit_id).toBe('advertiser:adv-1');
  });
});

describe('even pacing over the flight', () => {
  // Stockholm, 2025-03-14 13:00 local; the flight ends at the start of 2025-03-17 local: 3 days left, today included.
  const now = new Date('2025-03-14T12:00:00Z');
  const snap = (over: Partial<CampaignSnapshotV1Data['budget']> = {}, endsAt: string | undefined = '2025-03-17T00:00:00+01:00') =>
    campaignSnapshot({ budget: { total: { amountMinor: 1_200, currency: 'SEK' }, pacing: 'even', ...over }, schedule: { startsAt: '2025-03-01T00:00:00Z', timeZone: 'Europe/Stockholm', ...(endsAt ? { endsAt } : {}) } });
  const row = (over: Partial<BudgetRow> = {}): BudgetRow => ({ campaign_id: 'c', total_minor: 1_200, reserved_minor: 0, daily_minor: null, daily_day: null, daily_reserved_minor: 0, exhausted: false, daily_exhausted_day: null, ...over });

  it("allows today what is left at the day's start over the days left, today included", () => {
    expect(paceAllowance(snap(), row(), now)).toBe(400);
    // 300 reserved on earlier days: (1 200 − 300) / 3 = 300 today, whatever today reserved since.
    expect(paceAllowance(snap(), row({ reserved_minor: 500, daily_day: '2025-03-14', daily_reserved_minor: 200 }), now)).toBe(300);
    // A raised budget re-plans at once.
    expect(paceAllowance(snap(), row({ total_minor: 2_100, reserved_minor: 300, daily_day: '2025-03-13', daily_reserved_minor: 300 }), now)).toBe(600);
  });

  it('holds back once today reached the allowance; the next day starts afresh', () => {
    expect(pacedOut(snap(), row({ reserved_minor: 399, daily_day: '2025-03-14', daily_reserved_minor: 399 }), now)).toBe(false);
    expect(pacedOut(snap(), row({ reserved_minor: 400, daily_day: '2025-03-14', daily_reserved_minor: 400 }), now)).toBe(true);
    expect(pacedOut(snap(), row({ reserved_minor: 400, daily_day: '2025-03-13', daily_reserved_minor: 400 }), now)).toBe(false);
  });

  it('the last day may reserve all that is left; asap and an open-ended flight are never paced', () => {
    const lastDay = new Date('2025-03-16T20:00:00Z');
    expect(paceAllowance(snap(), row({ reserved_minor: 1_000, daily_day: '2025-03-15', daily_reserved_minor: 400 }), lastDay)).toBe(200);
    expect(pacedOut(snap({ pacing: 'asap' }), row({ daily_day: '2025-03-14', daily_reserved_minor: 5_000 }), now)).toBe(false);
    const open = snap();
    const { endsAt: _end, ...schedule } = open.schedule;
    expect(paceAllowance({ ...open, schedule }, row(), now)).toBeUndefined();
  });
});
