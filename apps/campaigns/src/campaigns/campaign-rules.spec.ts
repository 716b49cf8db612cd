import { decideEdit, decideTransition, statusAfterBudgetEvent } from './campaign-rules';

describe('campaign status transitions', () => {
  it.each([
    ['draft', 'activate', false, 'active'],
    ['draft', 'activate', true, 'exhausted'],
    ['active', 'pause', false, 'paused'],
    ['exhausted', 'pause', true, 'paused'],
    ['paused', 'resume', false, 'active'],
    ['paused', 'resume', true, 'exhausted'],
    ['draft', 'end', false, 'ended'],
    ['active', 'end', false, 'ended'],
    ['paused', 'end', false, 'ended'],
    ['exhausted', 'end', true, 'ended'],
  ] as const)('%s --%s (budget exhausted: %s)--> %s', (from, action, exhausted, to) => {
    expect(decideTransition(from, action, exhausted)).toEqual({ ok: true, to });
  });

  it.each([
    ['ended', 'activate', /ended/],
    ['ended', 'resume', /ended/],
    ['ended', 'pause', /ended/],
    ['ended', 'end', /ended/],
    ['active', 'activate', /only a draft/],
    ['paused', 'activate', /use resume/],
    ['draft', 'pause', /only an active or exhausted/],
    ['paused', 'pause', /only an active or exhausted/],
    ['active', 'resume', /only a paused/],
    ['draft', 'resume', /only a paused/],
    ['exhausted', 'resume', /only a paused/],
  ] as const)('%s --%s--> refused with a reason', (from, action, reason) => {
    const d = decideTransition(from, action);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.reason).toMatch(reason);
  });
});

describe('budget events', () => {
  it('exhausted moves only an active campaign', () => {
    expect(statusAfterBudgetEvent('active', 'exhausted')).toBe('exhausted');
    for (const s of ['draft', 'paused', 'exhausted', 'ended'] as const) expect(statusAfterBudgetEvent(s, 'exhausted')).toBeUndefined();
  });
  it('replenished brings back only an exhausted campaign', () => {
    expect(statusAfterBudgetEvent('exhausted', 'replenished')).toBe('active');
    for (const s of ['draft', 'paused', 'active', 'ended'] as const) expect(statusAfterBudgetEvent(s, 'replenished')).toBeUndefined();
  });
});

describe('edits', () => {
  it('nothing edits an ended campaign', () => {
    expect(decideEdit('ended', ['name'])).toMatchObject({ ok: false, reason: expect.stringMatching(/ended/) });
  });
  it('a live campaign refuses reward-term changes and names them', () => {
    for (const s of ['active', 'exhausted'] as const) {
      expect(decideEdit(s, ['name', 'reward', 'pricing'])).toMatchObject({ ok: false, fields: ['reward', 'pricing'], reason: expect.stringMatching(/pause it first/) });
    }
  });
  it('banks are a reward term: a live campaign refuses a change of them', () => {
    expect(decideEdit('active', ['banks'])).toMatchObject({ ok: false, fields: ['banks'] });
    expect(decideEdit('paused', ['banks'])).toEqual({ ok: true });
  });
  it('a live campaign accepts name, budget, schedule and publishers', () => {
    expect(decideEdit('active', ['name', 'budget', 'schedule', 'publishers'])).toEqual({ ok: true });
  });
  it('draft and paused campaigns accept every field', () => {
    expect(decideEdit('draft', ['reward', 'platformFee', 'audience'])).toEqual({ ok: true });
    expect(decideEdit('paused', ['reward', 'holdPeriodDays'])).toEqual({ ok: true });
  });
});
