import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

describe('logs never carry a card number', () => {
  const pan = '4111111111111111';

  it('redacts card numbers in the message, in any field, nested, and in errors', () => {
    const { lines, stream } = capture();
    const log = createLogger('t', 'info', stream);
    log.info({ descriptor: `ICA ${pan} STHLM`, nested: { note: [`card 4111-1111-1111-1111`] } }, `refused ${pan}`);
    log.error({ err: new Error(`bad input ${pan}`) }, 'handler failed');
    const out = lines.join('');
    expect(out).not.toContain(pan);
    expect(out).not.toContain('4111-1111-1111-1111');
    expect(out).toContain('[REDACTED-PAN]');
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'refused [REDACTED-PAN]', descriptor: 'ICA [REDACTED-PAN] STHLM' });
  });

  it('leaves ordinary ids and numbers alone', () => {
    const { lines, stream } = capture();
    createLogger('t', 'info', stream).info({ transactionId: 'txn-20250314-0042', amountMinor: 125000 }, 'matched');
    expect(JSON.parse(lines[0])).toMatchObject({ transactionId: 'txn-20250314-0042', amountMinor: 125000, msg: 'matched' });
  });
});

describe('errors reach the log whole', () => {
  it('logs an error field with its type, message and stack, not as {}', () => {
    const { lines, stream } = capture();
    createLogger('t', 'info', stream).warn({ err: new TypeError('connection refused'), attempt: 2 }, 'retrying');
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ attempt: 2, err: { type: 'TypeError', message: 'connection refused' } });
    expect(line.err.stack).toContain('TypeError: connection refused');
  });
});
