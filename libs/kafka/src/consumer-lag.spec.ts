import { partitionLags } from './consumer-lag';

const ends = [
  {
    topic: 'card-transactions',
    partitions: [
      { partition: 0, low: '0', high: '120' },
      { partition: 1, low: '40', high: '90' },
      { partition: 2, low: '0', high: '0' },
    ],
  },
];

describe('consumer lag per partition', () => {
  it('is the high watermark minus the committed offset', () => {
    const committed = [{ topic: 'card-transactions', partitions: [{ partition: 0, offset: '100' }, { partition: 1, offset: '90' }, { partition: 2, offset: '-1' }] }];
    expect(partitionLags(ends, committed)).toEqual([
      { topic: 'card-transactions', partition: 0, lag: 20 },
      { topic: 'card-transactions', partition: 1, lag: 0 },
      { topic: 'card-transactions', partition: 2, lag: 0 },
    ]);
  });

  it('counts a partition with nothing committed from its low watermark (the group reads from the beginning)', () => {
    const committed = [{ topic: 'card-transactions', partitions: [{ partition: 0, offset: '-1' }, { partition: 1, offset: '-1' }] }];
    expect(partitionLags(ends, committed).map((l) => l.lag)).toEqual([120, 50, 0]);
    expect(partitionLags(ends, []).map((l) => l.lag)).toEqual([120, 50, 0]);
  });

  it('does not count messages retention deleted before they were read', () => {
    const committed = [{ topic: 'card-transactions', partitions: [{ partition: 1, offset: '10' }] }];
    expect(partitionLags(ends, committed)[1]).toEqual({ topic: 'card-transactions', partition: 1, lag: 50 });
  });

  it('keeps offsets beyond 2^53 exact until the difference', () => {
    const big = [{ topic: 't', partitions: [{ partition: 0, low: '0', high: '9007199254740999' }] }];
    expect(partitionLags(big, [{ topic: 't', partitions: [{ partition: 0, offset: '9007199254740990' }] }])).toEqual([{ topic: 't', partition: 0, lag: 9 }]);
  });
});
