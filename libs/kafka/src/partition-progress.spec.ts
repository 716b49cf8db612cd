import { PartitionProgress } from './partition-progress';

describe('PartitionProgress', () => {
  let now = 0;
  const progress = () => new PartitionProgress(1000, () => now);
  beforeEach(() => (now = 10_000));

  it('reports a partition stalled once it has held messages without progress for longer than the limit', () => {
    const p = progress();
    p.working('t', 0);
    now += 1000;
    expect(p.stalled()).toEqual([]);
    now += 1;
    expect(p.stalled()).toEqual([{ partition: 't[0]', forMs: 1001 }]);
  });

  it('keeps the clock of the first attempt while the same messages are tried again', () => {
    const p = progress();
    p.working('t', 0);
    now += 800;
    p.working('t', 0);
    now += 800;
    expect(p.stalled().map((s) => s.forMs)).toEqual([1600]);
  });

  it('clears a partition once its messages are committed; another partition is judged on its own', () => {
    const p = progress();
    p.working('t', 0);
    p.working('t', 1);
    now += 2000;
    p.progressed('t', 0);
    expect(p.stalled().map((s) => s.partition)).toEqual(['t[1]']);
  });

  it('counts attempts at one offset and starts again at another', () => {
    const p = progress();
    expect(p.failedAttempt('t', 0, '5')).toBe(1);
    expect(p.failedAttempt('t', 0, '5')).toBe(2);
    expect(p.failedAttempt('t', 1, '5')).toBe(1);
    expect(p.failedAttempt('t', 0, '6')).toBe(1);
    p.progressed('t', 0);
    expect(p.failedAttempt('t', 0, '6')).toBe(1);
  });

  it('forgets everything at a rebalance', () => {
    const p = progress();
    p.working('t', 0);
    p.failedAttempt('t', 0, '1');
    now += 5000;
    p.reset();
    expect(p.stalled()).toEqual([]);
    expect(p.failedAttempt('t', 0, '1')).toBe(1);
  });
});
