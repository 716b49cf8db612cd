import fc from 'fast-check';
import { money, rewardKeptAfterRefunds } from '@prestanda/money';
import { applyFact, applyFacts, confirmIfDue, earn, EXPIRY_ID, factKey, type PurchaseFact, type RewardState } from './reward-lifecycle';

const T0 = '2026-01-10T12:00:00.000Z';
const LATER = '2026-03-01T00:00:00.000Z';
const DAY = 86_400;

const base = (over: Partial<Parameters<typeof earn>[0]> = {}): RewardState =>
  earn({ currency: 'SEK', purchaseAmountMinor: 10_000, purchaseCurrency: 'SEK', earnedMinor: 1_000, feeMinor: 200, shareMinor: 60, holdPeriodDays: 2, ...over });
const refund = (id: string, amountMinor: number): PurchaseFact => ({ kind: 'refund', transactionId: id, amountMinor, currency: 'SEK', at: T0 });
const settle = (id = 'txn-s'): PurchaseFact => ({ kind: 'settlement', transactionId: id, at: T0 });

describe('stale authorizations', () => {
  const expiry: PurchaseFact = { kind: 'expiry', transactionId: EXPIRY_ID, at: LATER };

  it('an unsettled earned reward expires as a reversal of everything still kept', () => {
    const { state, effects } = applyFact(base(), expiry, LATER);
    expect(state).toMatchObject({ status: 'reversed', keptMinor: 0, feeKeptMinor: 0, shareKeptMinor: 0, reversedAt: LATER });
    expect(effects).toEqual([{ type: 'reversed', reasonCode: 'authorization-expired', transactionId: EXPIRY_ID, reversedMinor: 1_000, feeReversedMinor: 200, shareReversedMinor: 60, at: LATER }]);
  });

  it('a settled, confirmed or already reversed reward does not expire', () => {
    expect(applyFacts(base(), [settle(), expiry], LATER).state.status).toBe('earned');
    expect(applyFact(applyFact(base(), { kind: 'reversal', transactionId: 'rev', at: T0 }, T0).state, expiry, LATER).effects).toEqual([]);
  });

  it('a settlement after the expiry reinstates the reward once, net of refunds, and schedules its confirmation', () => {
    const expired = applyFacts(base(), [refund('r1', 2_500), expiry], LATER).state;
    const { state, effects } = applyFact(expired, settle('txn-late'), LATER);
    expect(state).toMatchObject({ status: 'earned', keptMinor: 750, feeKeptMinor: 150, shareKeptMinor: 45, reversedAt: null, settledAt: T0 });
    expect(effects).toEqual([
      { type: 'reinstated', transactionId: 'txn-late', amountMinor: 750, feeMinor: 150, shareMinor: 45, settledAt: T0, at: LATER },
      { type: 'schedule-confirmation', settledAt: T0 },
    ]);
    // A second settlement (another transaction id) and the same one again change nothing.
    expect(applyFact(state, settle('txn-other'), LATER).effects).toEqual([]);
    expect(applyFact(state, settle('txn-late'), LATER).effects).toEqual([]);
  });

  it("the bank's own reversal after the expiry is final: a later settlement reinstates nothing", () => {
    const s = applyFacts(base(), [expiry, { kind: 'reversal', transactionId: 'rev', at: LATER }], LATER).state;
    expect(applyFact(s, settle('txn-late'), LATER).effects).toEqual([]);
  });

  it('with no hold period the reinstated reward is confirmed at once', () => {
    const expired = applyFact(base({ holdPeriodDays: 0 }), expiry, LATER).state;
    expect(applyFact(expired, settle(), LATER).effects.map((e) => e.type)).toEqual(['reinstated', 'confirmed']);
  });
});

describe('reward lifecycle', () => {
  it('a full refund claws back the whole reward, fee and share', () => {
    const { state, effects } = applyFact(base(), refund('r1', 10_000), T0);
    expect(state.status).toBe('reversed');
    expect(effects).toEqual([expect.objectContaining({ type: 'reversed', reasonCode: 'refund-netted', reversedMinor: 1_000, feeReversedMinor: 200, shareReversedMinor: 60 })]);
  });

  it('a partial refund keeps the floor of the standing share', () => {
    const s = base({ purchaseAmountMinor: 999, earnedMinor: 100 });
    const { state, effects } = applyFact(s, { ...refund('r1', 333), at: T0 }, T0);
    // kept = floor(100 × 666 / 999) = 66, clawback 34
    expect(state.keptMinor).toBe(66);
    expect(effects[0]).toMatchObject({ reversedMinor: 34 });
  });

  it('two partial refunds adding up to the purchase claw back exactly the whole reward', () => {
    const s = base({ purchaseAmountMinor: 999, earnedMinor: 101 });
    const { state, effects } = applyFacts(s, [refund('r1', 500), refund('r2', 499)], T0);
    expect(state.keptMinor).toBe(0);
    expect(state.status).toBe('reversed');
    expect(effects.reduce((n, e) => n + (e.type === 'reversed' ? e.reversedMinor : 0), 0)).toBe(101);
  });

  it('the same refund twice claws back once', () => {
    const { state, effects } = applyFacts(base(), [refund('r1', 5_000), refund('r1', 5_000)], T0);
    expect(state.keptMinor).toBe(500);
    expect(effects).toHaveLength(1);
  });

  it('a reversal cancels what is left', () => {
    const { state, effects } = applyFacts(base(), [refund('r1', 5_000), { kind: 'reversal', transactionId: 'v1', at: T0 }], T0);
    expect(state.status).toBe('reversed');
    expect(effects[1]).toMatchObject({ reasonCode: 'authorization-reversed', reversedMinor: 500, feeReversedMinor: 100, shareReversedMinor: 30 });
  });

  it('settlement schedules; the confirmation comes when the hold has passed, once', () => {
    const settled = applyFact(base(), settle(), T0);
    expect(settled.effects).toEqual([{ type: 'schedule-confirmation', settledAt: T0 }]);
    expect(confirmIfDue(settled.state, '2026-01-11T12:00:00.000Z', DAY).effects).toEqual([]);
    const due = confirmIfDue(settled.state, '2026-01-12T12:00:00.000Z', DAY);
    expect(due.effects).toEqual([{ type: 'confirmed', amountMinor: 1_000, settledAt: T0, at: '2026-01-12T12:00:00.000Z' }]);
    expect(confirmIfDue(due.state, LATER, DAY).effects).toEqual([]);
  });

  it('a hold of zero confirms at settlement', () => {
    const { state, effects } = applyFact(base({ holdPeriodDays: 0 }), settle(), T0);
    expect(state.status).toBe('confirmed');
    expect(effects[0]).toMatchObject({ type: 'confirmed', amountMinor: 1_000 });
  });

  it('a refund after confirmation reduces the confirmed reward', () => {
    const confirmed = applyFact(base({ holdPeriodDays: 0 }), settle(), T0).state;
    const { state, effects } = applyFact(confirmed, refund('r1', 2_500), T0);
    expect(state).toMatchObject({ status: 'confirmed', keptMinor: 750 });
    expect(effects[0]).toMatchObject({ reversedMinor: 250 });
  });

  it('a refund in another currency changes nothing', () => {
    const { state, effects } = applyFact(base(), { ...refund('r1', 10_000), currency: 'EUR' } as PurchaseFact, T0);
    expect(state.keptMinor).toBe(1_000);
    expect(effects).toEqual([]);
  });
});

// --- property: interleavings and duplicates of one purchase's events ---

type Input = { t: 'match' } | { t: 'fact'; fact: PurchaseFact } | { t: 'tick' };

/** The service in miniature: facts before the match are held, the match creates the reward once and folds them. */
function run(inputs: readonly Input[], start: RewardState) {
  const held = new Map<string, PurchaseFact>();
  let reward: RewardState | undefined;
  let rewardsCreated = 0;
  let reversedTotal = 0;
  let confirmations = 0;
  const observe = (step: { state: RewardState; effects: readonly { type: string; reversedMinor?: number }[] }) => {
    reward = step.state;
    for (const e of step.effects) {
      if (e.type === 'reversed') reversedTotal += e.reversedMinor ?? 0;
      if (e.type === 'confirmed') confirmations += 1;
    }
    if (reward.keptMinor < 0 || reward.keptMinor > reward.earnedMinor) throw new Error(`kept out of range: ${reward.keptMinor}`);
    if (reward.earnedMinor - reversedTotal !== reward.keptMinor) throw new Error('clawbacks do not add up');
  };
  for (const input of inputs) {
    if (input.t === 'match') {
      if (reward) continue; // unique (purchase, campaign): never a second reward
      rewardsCreated += 1;
      observe(applyFacts(start, [...held.values()], T0));
    } else if (input.t === 'fact') {
      if (!held.has(factKey(input.fact))) held.set(factKey(input.fact), input.fact);
      if (reward) observe(applyFact(reward, input.fact, T0));
    } else if (reward) {
      observe(confirmIfDue(reward, LATER, DAY));
    }
  }
  if (reward) observe(confirmIfDue(reward, LATER, DAY)); // the worker catches up in the end
  return { reward, rewardsCreated, confirmations };
}

describe('reward lifecycle (property)', () => {
  const scenario = fc
    .record({
      purchase: fc.integer({ min: 1, max: 1_000_000 }),
      rewardPermille: fc.integer({ min: 1, max: 1_000 }),
      hold: fc.constantFrom(0, 2, 30),
      settled: fc.boolean(),
      refundParts: fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 4 }),
      reversal: fc.boolean(),
    })
    .chain((s) => {
      const earned = Math.max(1, Math.floor((s.purchase * s.rewardPermille) / 1_000));
      const weights = s.refundParts.reduce((a, b) => a + b, 0);
      // refunds whose total is at most the purchase (sometimes exactly the purchase)
      const refunds = s.refundParts.map((w, i) => refund(`r${i}`, Math.max(1, Math.floor((s.purchase * w) / Math.max(weights, 1_000)))));
      const facts: PurchaseFact[] = [...(s.settled ? [settle()] : []), ...refunds, ...(s.reversal ? [{ kind: 'reversal', transactionId: 'v1', at: T0 } as PurchaseFact] : [])];
      const inputs: Input[] = [{ t: 'match' }, ...facts.map((fact) => ({ t: 'fact', fact }) as Input), { t: 'tick' }];
      return fc.record({
        s: fc.constant(s),
        earned: fc.constant(earned),
        facts: fc.constant(facts),
        // a random order with random duplicates
        order: fc.shuffledSubarray([...inputs, ...inputs], { minLength: inputs.length * 2, maxLength: inputs.length * 2 }),
        dupes: fc.array(fc.constantFrom(...inputs), { maxLength: 6 }),
        positions: fc.array(fc.nat(), { maxLength: 6 }),
      });
    });

  it('at most one reward, never negative or over-credited, and the same final status in every order', () => {
    fc.assert(
      fc.property(scenario, ({ s, earned, facts, order, dupes, positions }) => {
        const start = earn({ currency: 'SEK', purchaseAmountMinor: s.purchase, purchaseCurrency: 'SEK', earnedMinor: earned, feeMinor: Math.floor(earned / 5), shareMinor: Math.floor(earned / 17), holdPeriodDays: s.hold });
        const shuffled = [...order];
        dupes.forEach((d, i) => shuffled.splice((positions[i] ?? 0) % (shuffled.length + 1), 0, d));
        const canonical = run([{ t: 'match' }, ...facts.map((fact) => ({ t: 'fact', fact }) as Input)], start);
        const result = run(shuffled, start);

        expect(result.rewardsCreated).toBe(1);
        expect(result.confirmations).toBeLessThanOrEqual(1);
        const refunded = facts.reduce((n, f) => n + (f.kind === 'refund' ? f.amountMinor : 0), 0);
        const expectedKept = s.reversal ? 0 : rewardKeptAfterRefunds(money(earned, 'SEK'), money(s.purchase, 'SEK'), money(refunded, 'SEK')).amountMinor;
        expect(result.reward?.keptMinor).toBe(expectedKept);
        expect(result.reward?.feeKeptMinor).toBe(canonical.reward?.feeKeptMinor);
        expect(result.reward?.status).toBe(canonical.reward?.status);
        expect(result.reward?.status).toBe(expectedKept === 0 ? 'reversed' : s.settled ? 'confirmed' : 'earned');
      }),
      { numRuns: 500 },
    );
  });
});
