import type { KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS, deadLetterMessage } from './dead-letter';

describe('dead letters never carry a card number', () => {
  const pan = '4111111111111111';

  it('redacts card numbers in the key, header names and values and the reason; other headers stay as they were', () => {
    const dl = deadLetterMessage(
      { topic: 'inbound.card-transactions', partition: 0, message: { key: Buffer.from(`cust-${pan}`), value: Buffer.from('{}'), offset: '7', headers: { [`x-${pan}`]: 'a', note: Buffer.from(`card ${pan}`), traceparent: '00-abc-def-01' }, timestamp: '0', attributes: 0 } as KafkaMessage },
      { reason: `refused ${pan}`, code: 'rejected' },
      'ingestion',
    );
    const all = JSON.stringify({ key: dl.message.key?.toString(), headers: Object.fromEntries(Object.entries(dl.message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
    expect(all).not.toContain(pan);
    expect(dl.message.key?.toString()).toBe('cust-[REDACTED-PAN]');
    expect(String(dl.message.headers!.note)).toBe('card [REDACTED-PAN]');
    expect(String(dl.message.headers!.traceparent)).toBe('00-abc-def-01');
    expect(String(dl.message.headers![DLQ_HEADERS.reason])).toBe('refused [REDACTED-PAN]');
  });
});
