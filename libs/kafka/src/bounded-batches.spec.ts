import { boundedSends, recordBytes } from './bounded-batches';

describe('boundedSends', () => {
  const msg = (n: number, bytes: number) => ({ key: `k${String(n).padStart(3, '0')}`, value: 'x'.repeat(bytes) });

  it('keeps a small batch as one send', () => {
    const sends = boundedSends([{ topic: 'a', messages: [msg(1, 10), msg(2, 10)] }, { topic: 'b', messages: [msg(3, 10)] }], 10_000);
    expect(sends).toHaveLength(1);
    expect(sends[0].map((t) => [t.topic, t.messages.length])).toEqual([['a', 2], ['b', 1]]);
  });

  it('splits at the byte limit, each send within it, every topic in order, nothing lost', () => {
    const messages = Array.from({ length: 50 }, (_, i) => msg(i, 1000));
    const limit = 5 * recordBytes(messages[0]);
    const sends = boundedSends([{ topic: 'a', messages }], limit);
    expect(sends).toHaveLength(10);
    for (const send of sends) expect(send.flatMap((t) => t.messages).reduce((n, m) => n + recordBytes(m), 0)).toBeLessThanOrEqual(limit);
    expect(sends.flatMap((s) => s.flatMap((t) => t.messages.map((m) => m.key)))).toEqual(messages.map((m) => m.key));
  });

  it('a record larger than the limit goes alone', () => {
    const sends = boundedSends([{ topic: 'a', messages: [msg(1, 10), msg(2, 5000), msg(3, 10)] }], 1000);
    expect(sends.map((s) => s[0].messages.map((m) => m.key))).toEqual([['k001'], ['k002'], ['k003']]);
  });
});
