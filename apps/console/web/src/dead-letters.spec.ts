import { bodyText, defaultTopic, positionLabel, replayItems } from './dead-letters';
import type { DeadLetter } from './types';

const letter = (offset: string): DeadLetter => ({
  topic: 'inbound.card-transactions.dlq',
  partition: 0,
  offset,
  timestamp: '2026-12-04T02:00:00.000Z',
  key: 'cust-1',
  code: 'invalid-payload',
  reason: 'data.channel must be one of "online", "in-store"',
  field: 'data.channel',
  service: 'ingestion',
  attempts: 1,
  failedAt: '2026-12-04T02:00:00.000Z',
  origin: { topic: 'inbound.card-transactions', partition: 1, offset: '40' },
  truncated: false,
  originalSize: null,
  replay: null,
  body: '{"eventId":"e-1"}',
  bodyBytes: 17,
});

describe('dead-letter screen helpers', () => {
  it('names a position as the server does', () => {
    expect(positionLabel({ topic: 'rewards.dlq', partition: 0, offset: '7' })).toBe('rewards.dlq/0/7');
    expect(positionLabel({ topic: 'rewards', partition: 2 })).toBe('rewards/2');
  });

  it('opens the first topic holding dead letters', () => {
    const topic = (name: string, count: number) => ({ topic: name, sourceTopic: name.replace(/\.dlq$/, ''), partitions: [], count });
    expect(defaultTopic([topic('a.dlq', 0), topic('b.dlq', 3), topic('c.dlq', 1)])).toBe('b.dlq');
    expect(defaultTopic([topic('a.dlq', 0)])).toBe('a.dlq');
    expect(defaultTopic([])).toBeUndefined();
  });

  it('pretty-prints a JSON body and leaves anything else as it came', () => {
    expect(bodyText('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(bodyText('not json {')).toBe('not json {');
    expect(bodyText(null)).toBe('');
  });

  it('replays the selected ones in the page order', () => {
    const page = [letter('9'), letter('8'), letter('7')];
    expect(replayItems(page, new Set(['inbound.card-transactions.dlq/0/7', 'inbound.card-transactions.dlq/0/9', 'other.dlq/0/8']))).toEqual([
      { topic: 'inbound.card-transactions.dlq', partition: 0, offset: '9' },
      { topic: 'inbound.card-transactions.dlq', partition: 0, offset: '7' },
    ]);
  });
});
