import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { NestPinoLogger } from './nest-logger';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines: () => raw.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)), stream };
}

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';
const inSpan = <T>(fn: () => T): T => context.with(trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED }), fn);

beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
afterAll(() => context.disable());

describe('a log line written inside a span names its trace', () => {
  it('carries trace_id, span_id and trace_flags inside a span, across an await', async () => {
    const { lines, stream } = capture();
    const log = createLogger('t', 'info', stream);
    await inSpan(async () => {
      await new Promise((r) => setImmediate(r));
      log.info({ eventId: 'e-1' }, 'applied');
    });
    expect(lines()[0]).toMatchObject({ trace_id: traceId, span_id: spanId, trace_flags: '01', eventId: 'e-1', msg: 'applied' });
  });

  it('carries no trace fields outside a span, and the shared empty mixin stays empty', () => {
    const { lines, stream } = capture();
    const log = createLogger('t', 'info', stream);
    log.info({ a: 1 }, 'first');
    log.info('second');
    inSpan(() => log.info('third'));
    log.info('fourth');
    const [first, second, third, fourth] = lines();
    for (const line of [first, second, fourth]) {
      expect(line).not.toHaveProperty('trace_id');
      expect(line).not.toHaveProperty('span_id');
    }
    expect(second).not.toHaveProperty('a');
    expect(fourth).not.toHaveProperty('a');
    expect(third).toMatchObject({ trace_id: traceId });
  });

  it('an invalid (all-zero) span context adds nothing', () => {
    const { lines, stream } = capture();
    const log = createLogger('t', 'info', stream);
    context.with(trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }), () => log.info('x'));
    expect(lines()[0]).not.toHaveProperty('trace_id');
  });
});

describe("Nest's own logs are JSON through pino", () => {
  it('writes the context, keeps the error with its stack, and redacts card numbers', () => {
    const { lines, stream } = capture();
    const nest = new NestPinoLogger(createLogger('svc', 'info', stream));
    nest.warn('deprecated option', 'RoutesResolver');
    nest.error(new Error('boom 4111111111111111'), 'ExceptionsHandler');
    nest.error('failed', 'Error: failed\n    at x (y.ts:1:1)', 'TypeOrmModule');
    const [warn, err, withStack] = lines();
    expect(warn).toMatchObject({ level: 40, service: 'svc', context: 'RoutesResolver', msg: 'deprecated option' });
    expect(err).toMatchObject({ level: 50, context: 'ExceptionsHandler', msg: 'boom [REDACTED-PAN]', err: { type: 'Error', message: 'boom [REDACTED-PAN]' } });
    expect(String((err.err as { stack: string }).stack)).toContain('Error: boom');
    expect(withStack).toMatchObject({ level: 50, context: 'TypeOrmModule', msg: 'failed', stack: expect.stringContaining('at x (y.ts:1:1)') });
  });

  it("maps Nest's bootstrap chatter (log) to debug, so an info-level service stays quiet", () => {
    const info = capture();
    new NestPinoLogger(createLogger('svc', 'info', info.stream)).log('Mapped {/x, GET} route', 'RouterExplorer');
    expect(info.lines()).toHaveLength(0);
    const debug = capture();
    new NestPinoLogger(createLogger('svc', 'debug', debug.stream)).log('Mapped {/x, GET} route', 'RouterExplorer');
    expect(debug.lines()[0]).toMatchObject({ level: 20, context: 'RouterExplorer', msg: 'Mapped {/x, GET} route' });
  });

  it('carries the trace of the span it is written in', () => {
    const { lines, stream } = capture();
    const nest = new NestPinoLogger(createLogger('svc', 'info', stream));
    inSpan(() => nest.error('handler threw', 'ExceptionsHandler'));
    expect(lines()[0]).toMatchObject({ trace_id: traceId, span_id: spanId, context: 'ExceptionsHandler' });
  });
});
