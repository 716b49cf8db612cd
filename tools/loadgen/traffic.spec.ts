import { validateEvent } from '@prestanda/contracts';
import { progressLine } from './loadgen';
import { TrafficGenerator } from './traffic';
import { syntheticWorld } from './world';

const options = { seed: 42, customers: 100, bankSource: 'bank-demo-se', bankPublisher: 'pub-bank-demo-se' };

describe('load generator feed', () => {
  it('is repeatable: the same seed gives the same purchases', () => {
    const world = () => syntheticWorld(42, 5, 20, 'pub-bank-demo-se');
    const strip = (events: ReturnType<TrafficGenerator['nextPurchase']>) => events.map((e) => ({ topic: e.topic, key: e.key, type: e.event.type, data: e.event.data }));
    const a = new TrafficGenerator(world(), options);
    const b = new TrafficGenerator(world(), options);
    const now = new Date('2026-01-01T12:00:00Z');
    for (let i = 0; i < 50; i++) expect(strip(a.nextPurchase(now))).toEqual(strip(b.nextPurchase(now)));
  });

  it('produces only events the ingestion gate accepts, in realistic shares', () => {
    const gen = new TrafficGenerator(syntheticWorld(7, 10, 40, 'pub-bank-demo-se'), options);
    for (let i = 0; i < 2000; i++) {
      for (const p of gen.nextPurchase()) {
        const result = validateEvent(p.topic, p.event);
        if (!result.ok) throw new Error(`${p.event.type}: ${result.reason}`);
      }
    }
    const c = gen.counts;
    expect(c.purchases).toBe(2000);
    expect(c.reversals / c.purchases).toBeGreaterThan(0.02);
    expect(c.reversals / c.purchases).toBeLessThan(0.08);
    expect(c.refunds / c.settlements).toBeGreaterThan(0.02);
    expect(c.refunds / c.settlements).toBeLessThan(0.08);
    expect(c.settlements + c.reversals).toBe(c.purchases);
    expect(c.impressions).toBeGreaterThan(0);
    expect(c.activations).toBeGreaterThan(0);
  });

  it('builds a world with every audience and pricing model', () => {
    const world = syntheticWorld(3, 20, 200, 'pub-bank-demo-se');
    expect(new Set(world.campaigns.map((c) => c.audience.segment))).toEqual(new Set(['new', 'existing', 'all', 'lapsed']));
    expect(new Set(world.campaigns.map((c) => c.pricing.model))).toEqual(new Set(['CPA', 'CPC', 'CPM', 'CPL']));
    for (const c of world.campaigns) expect(validateEvent('campaigns', { eventId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', type: 'campaign.snapshot', schemaVersion: 1, occurredAt: c.updatedAt, producedAt: c.updatedAt, source: 'loadgen', data: c }).ok).toBe(true);
  });
});

describe('load generator knobs', () => {
  it('puts the asked share of purchases at merchants no campaign covers', () => {
    const world = syntheticWorld(7, 10, 40, 'pub-bank-demo-se');
    const covered = new Set(world.merchants.map((m) => m.descriptor));
    const gen = new TrafficGenerator(world, { ...options, offNetworkShare: 0.8 });
    let off = 0;
    for (let i = 0; i < 2000; i++) {
      const card = gen.nextPurchase().find((p) => p.topic === 'inbound.card-transactions')!;
      if (!covered.has((card.event.data as { merchant: { descriptor: string } }).merchant.descriptor)) off++;
    }
    expect(off / 2000).toBeGreaterThan(0.76);
    expect(off / 2000).toBeLessThan(0.84);
  });

  it('draws a progress bar by count, by card transactions or by time', () => {
    expect(progressLine(3_500, 10_000, 6_480, Infinity, 8_500)).toBe('[loadgen] [#######-------------]  35 %  3,500/10,000 purchases · 6,480 card transactions · 412/s');
    expect(progressLine(540, Infinity, 1_000, 4_000, 1_000)).toMatch(/\[#####-+\] {2}25 % {2}540 purchases · 1,000 card transactions · 540\/s$/);
    expect(progressLine(100, Infinity, 180, Infinity, 30_000, 60)).toMatch(/\[##########-+\] {2}50 %/);
    expect(progressLine(100, Infinity, 180, Infinity, 30_000)).toBe('[loadgen] 100 purchases · 180 card transactions · 3/s');
  });
});
