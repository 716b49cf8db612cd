import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { EntityManager } from 'typeorm';
import { ClickWriter, type ClickWrite } from './tracking.repository';

const click = (clickId: string): ClickWrite => ({
  clickId,
  campaignId: 'cmp-1',
  advertiserId: 'adv-1',
  publisherId: 'pub-1',
  programVersion: 1,
  trackingCode: 'code123',
  subIds: {},
  landingUrl: 'https://shop.example.se/start',
  referrerHost: null,
  ipHash: 'ip',
  userAgentHash: 'ua',
  fraudReason: null,
  at: new Date('2026-12-03T12:00:00Z'),
});

function manager(fail: (params: unknown[]) => boolean = () => false) {
  const statements: unknown[][] = [];
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  const m = {
    connection: { options: { schema: 'affiliate' } },
    query: async (_sql: string, params: unknown[]) => {
      statements.push(params);
      await gate;
      if (fail(params)) throw new Error('constraint');
    },
  } as unknown as EntityManager;
  return { m, statements, hold: () => (gate = new Promise<void>((r) => (release = r))), release: () => release() };
}

describe('ClickWriter (group commit of redirect clicks)', () => {
  it('writes a lone click at once, and clicks arriving meanwhile together in the next statement', async () => {
    const db = manager();
    const writer = new ClickWriter(() => db.m, 1);
    db.hold();
    const first = writer.write(click('c_1'), []);
    const rest = [writer.write(click('c_2'), []), writer.write(click('c_3'), [])];
    expect(db.statements).toHaveLength(1);
    db.release();
    await Promise.all([first, ...rest]);
    expect(db.statements).toHaveLength(2);
    expect(db.statements[1].filter((p) => typeof p === 'string' && p.startsWith('c_'))).toEqual(['c_2', 'c_3']);
  });

  it('settles a click only after its statement, and retries a failed batch click by click so one bad click fails alone', async () => {
    const db = manager((params) => params.includes('c_bad'));
    const writer = new ClickWriter(() => db.m, 1);
    db.hold();
    const first = writer.write(click('c_1'), []);
    const good = writer.write(click('c_2'), []);
    const bad = writer.write(click('c_bad'), []);
    let settled = false;
    void good.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    db.release();
    await first;
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('constraint');
  });

  it("gives each click's event the trace context of its own request, not of the one whose write carried the batch", async () => {
    const manager_ = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager_);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    try {
      const db = manager();
      const writer = new ClickWriter(() => db.m, 1);
      const inSpan = (traceId: string, fn: () => Promise<void>) => context.with(trace.setSpanContext(context.active(), { traceId, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED }), fn);
      const ev = (clickId: string) => ({ topic: 'clicks', key: clickId, event: { eventId: clickId } }) as never;
      db.hold();
      const first = inSpan('a'.repeat(32), () => writer.write(click('c_1'), [ev('c_1')]));
      const second = inSpan('b'.repeat(32), () => writer.write(click('c_2'), [ev('c_2')]));
      db.release();
      await Promise.all([first, second]);
      const rows = JSON.parse(db.statements[1][db.statements[1].length - 1] as string) as { h: Record<string, string> }[];
      expect(rows.map((r) => r.h.traceparent?.split('-')[1])).toEqual(['b'.repeat(32)]);
    } finally {
      context.disable();
      propagation.disable();
    }
  });
});
