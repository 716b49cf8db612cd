import { DlqHeader } from '@prestanda/contracts';
import { deadLetterMessage } from '@prestanda/kafka';
import type { KafkaMessage } from 'kafkajs';
import {
  allowed,
  checkReplayItems,
  deadLetterTopicNames,
  deadLetterView,
  pageRange,
  parsePageQuery,
  parseReplayRequest,
  replayHeaders,
  replayRefusal,
  ReplayHeader,
  topicSummary,
} from './dead-letters';

const PREFIX = 'tabc.';

/** A dead letter exactly as the platform's consumers write one (libs/kafka's deadLetterMessage), as the broker hands it back. */
function stored(offset: string, original: { key?: Buffer; value?: Buffer } = {}, why = { code: 'schema-invalid', reason: 'data.amount.amountMinor must be integer', field: 'data.amount.amountMinor' }): KafkaMessage {
  const source: KafkaMessage = { key: original.key ?? Buffer.from('cust-1'), value: original.value ?? Buffer.from('{"eventId":"e-1"}'), timestamp: '1764806400000', attributes: 0, offset: '41', headers: { traceparent: '00-abc-def-01' } };
  const { message } = deadLetterMessage({ topic: `${PREFIX}inbound.card-transactions`, partition: 1, message: source }, why, 'ingestion');
  const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(String(v))]));
  return { key: message.key as Buffer, value: message.value as Buffer, headers, timestamp: '1764806460000', attributes: 0, offset };
}

describe('dead-letter topics', () => {
  it('lists only the *.dlq topics under the prefix, without it, sorted', () => {
    expect(deadLetterTopicNames(['tabc.rewards', 'tabc.rewards.dlq', 'tabc.inbound.clicks.dlq', 'txyz.rewards.dlq', 'rewards.dlq', 'tabc..dlq'], PREFIX)).toEqual(['inbound.clicks.dlq', 'rewards.dlq']);
    expect(deadLetterTopicNames(['rewards', 'rewards.dlq', 'console.audit'], '')).toEqual(['rewards.dlq']);
  });

  it('counts what each partition keeps and names the source topic', () => {
    expect(topicSummary('rewards.dlq', [{ partition: 1, low: '3', high: '10' }, { partition: 0, low: '0', high: '2' }])).toEqual({
      topic: 'rewards.dlq',
      sourceTopic: 'rewards',
      partitions: [{ partition: 0, low: '0', high: '2' }, { partition: 1, low: '3', high: '10' }],
      count: 9,
    });
  });
});

describe('a dead letter as the console shows it', () => {
  it('reads reason, code, field, origin (without the prefix), time and the body', () => {
    const view = deadLetterView('inbound.card-transactions.dlq', 0, stored('7'), PREFIX);
    expect(view).toMatchObject({
      topic: 'inbound.card-transactions.dlq',
      partition: 0,
      offset: '7',
      timestamp: '2025-12-04T00:01:00.000Z',
      key: 'cust-1',
      code: 'schema-invalid',
      reason: 'data.amount.amountMinor must be integer',
      field: 'data.amount.amountMinor',
      service: 'ingestion',
      attempts: 1,
      origin: { topic: 'inbound.card-transactions', partition: 1, offset: '41' },
      truncated: false,
      replay: null,
      body: '{"eventId":"e-1"}',
      bodyBytes: 17,
    });
    expect(view.failedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('shows a card number that slipped into a body or key redacted', () => {
    const view = deadLetterView('rewards.dlq', 0, { ...stored('1'), key: Buffer.from('4111 1111 1111 1111'), value: Buffer.from('{"note":"4111111111111111"}') }, PREFIX);
    expect(view.body).not.toContain('4111111111111111');
    expect(view.key).not.toContain('4111 1111 1111 1111');
  });

  it('says when a dead letter is a replay that failed again', () => {
    const m = stored('2');
    m.headers = { ...m.headers, [ReplayHeader.Of]: 'inbound.card-transactions.dlq/0/1', [ReplayHeader.By]: 'dev-ops-admin', [ReplayHeader.Id]: 'r-1', [ReplayHeader.At]: '2026-12-04T02:00:00.000Z' };
    expect(deadLetterView('inbound.card-transactions.dlq', 0, m, PREFIX).replay).toEqual({ of: 'inbound.card-transactions.dlq/0/1', id: 'r-1', by: 'dev-ops-admin', at: '2026-12-04T02:00:00.000Z' });
  });
});

describe('pages, newest first', () => {
  const range = { partition: 0, low: '10', high: '135' };

  it('the first page is the newest `limit` offsets; the next ends where this one starts', () => {
    expect(pageRange(range, { partition: 0, limit: 50 })).toEqual({ from: 85n, to: 135n, nextBefore: '85' });
    expect(pageRange(range, { partition: 0, limit: 50, before: 85n })).toEqual({ from: 35n, to: 85n, nextBefore: '35' });
  });

  it('the oldest page stops at the first offset kept and has no next', () => {
    expect(pageRange(range, { partition: 0, limit: 50, before: 35n })).toEqual({ from: 10n, to: 35n, nextBefore: null });
    expect(pageRange(range, { partition: 0, limit: 50, before: 3n })).toEqual({ from: 10n, to: 10n, nextBefore: null });
    expect(pageRange({ partition: 0, low: '0', high: '0' }, { partition: 0, limit: 50 })).toEqual({ from: 0n, to: 0n, nextBefore: null });
  });

  it('a `before` past the end is the end', () => {
    expect(pageRange(range, { partition: 0, limit: 5, before: 1000n })).toEqual({ from: 130n, to: 135n, nextBefore: '130' });
  });

  it('query parameters are checked, naming the parameter', () => {
    expect(parsePageQuery(new URLSearchParams(''))).toEqual({ query: { partition: 0, limit: 50 } });
    expect(parsePageQuery(new URLSearchParams('partition=2&before=99&limit=200'))).toEqual({ query: { partition: 2, limit: 200, before: 99n } });
    const bad = parsePageQuery(new URLSearchParams('partition=-1&before=x&limit=201'));
    expect('errors' in bad && bad.errors.map((e) => e.field)).toEqual(['partition', 'limit', 'before']);
  });
});

describe('a replay request', () => {
  const topics = [topicSummary('inbound.card-transactions.dlq', [{ partition: 0, low: '5', high: '9' }])];

  it('takes offsets as strings or numbers', () => {
    expect(parseReplayRequest({ items: [{ topic: 'inbound.card-transactions.dlq', partition: 0, offset: '5' }, { topic: 'inbound.card-transactions.dlq', partition: 0, offset: 8 }] })).toEqual({
      items: [
        { topic: 'inbound.card-transactions.dlq', partition: 0, offset: 5n },
        { topic: 'inbound.card-transactions.dlq', partition: 0, offset: 8n },
      ],
    });
  });

  it('names each bad field', () => {
    const result = parseReplayRequest({ items: [{ topic: 'rewards', partition: 0, offset: '1' }, { topic: 'rewards.dlq', partition: -1, offset: 'x' }, { topic: 'rewards.dlq', partition: 0, offset: '1' }, { topic: 'rewards.dlq', partition: 0, offset: 1 }] });
    expect('errors' in result && result.errors.map((e) => e.field)).toEqual(['items[0].topic', 'items[1].partition', 'items[1].offset', 'items[3]']);
    expect('errors' in parseReplayRequest({}) && parseReplayRequest({})).toEqual({ errors: [expect.objectContaining({ field: 'items' })] });
    expect(parseReplayRequest({ items: Array.from({ length: 201 }, (_, i) => ({ topic: 'rewards.dlq', partition: 0, offset: i })) })).toEqual({ errors: [expect.objectContaining({ field: 'items', message: 'at most 200 dead letters in one replay' })] });
  });

  it('refuses a topic, partition or offset the broker does not keep', () => {
    const errors = checkReplayItems(
      [
        { topic: 'rewards.dlq', partition: 0, offset: 5n },
        { topic: 'inbound.card-transactions.dlq', partition: 3, offset: 5n },
        { topic: 'inbound.card-transactions.dlq', partition: 0, offset: 9n },
        { topic: 'inbound.card-transactions.dlq', partition: 0, offset: 4n },
        { topic: 'inbound.card-transactions.dlq', partition: 0, offset: 8n },
      ],
      topics,
    );
    expect(errors).toEqual([
      { field: 'items[0].topic', message: 'no dead-letter topic rewards.dlq' },
      { field: 'items[1].partition', message: 'inbound.card-transactions.dlq has no partition 3' },
      { field: 'items[2].offset', message: 'inbound.card-transactions.dlq/0 keeps offsets 5 to 8; 9 is not one of them' },
      { field: 'items[3].offset', message: 'inbound.card-transactions.dlq/0 keeps offsets 5 to 8; 4 is not one of them' },
    ]);
  });

  it('will not send a dead letter anywhere but the topic it came from, nor a truncated one', () => {
    const view = deadLetterView('inbound.card-transactions.dlq', 0, stored('7'), PREFIX);
    expect(replayRefusal(view)).toBeUndefined();
    expect(replayRefusal(deadLetterView('rewards.dlq', 0, stored('7'), PREFIX))).toBe('its x-original-topic is inbound.card-transactions, not rewards');
    expect(replayRefusal({ ...view, origin: null })).toMatch(/where it came from is unknown/);
    expect(replayRefusal({ ...view, truncated: true, originalSize: 70000 })).toBe('its value was truncated (70000 bytes originally); replay the original from inbound.card-transactions/1/41');
  });
});

describe('the replayed message', () => {
  it('keeps the original headers, drops the dead-letter ones and says who replayed which dead letter', () => {
    const m = stored('7');
    m.headers![ReplayHeader.By] = 'someone-before';
    const headers = replayHeaders(m.headers, { of: 'inbound.card-transactions.dlq/0/7', id: 'r-2', by: 'dev-ops-admin', at: '2026-12-04T02:00:00.000Z' });
    expect(Object.keys(headers).sort()).toEqual(['traceparent', ReplayHeader.At, ReplayHeader.Id, ReplayHeader.Of, ReplayHeader.By].sort());
    expect(headers).toMatchObject({ [ReplayHeader.Of]: 'inbound.card-transactions.dlq/0/7', [ReplayHeader.By]: 'dev-ops-admin' });
    expect(String(headers.traceparent)).toBe('00-abc-def-01');
    expect(headers[DlqHeader.Reason]).toBeUndefined();
  });
});

describe('who may do what', () => {
  it('ops read; only an ops admin replays; an advertiser does neither', () => {
    expect([allowed(['ops-admin'], 'read'), allowed(['ops-admin'], 'replay')]).toEqual([true, true]);
    expect([allowed(['ops-viewer'], 'read'), allowed(['ops-viewer'], 'replay')]).toEqual([true, false]);
    expect([allowed(['advertiser'], 'read'), allowed(['advertiser'], 'replay'), allowed([], 'read')]).toEqual([false, false, false]);
  });
});
