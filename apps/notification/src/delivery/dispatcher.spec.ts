import type { MessagingRuntime, ReadinessCheck } from '@prestanda/service-kit';
import type { DataSource } from 'typeorm';
import { loadNotificationConfig } from '../config';
import { Dispatcher, inLifecycleOrder } from './dispatcher';
import type { EmailSender, WebhookSender } from './senders';

describe('dispatcher readiness check', () => {
  it('registers a check that is ok while the loop comes round, not when stalled or stopped', async () => {
    const checks: ReadinessCheck[] = [];
    const runtime = { health: { addCheck: (c: ReadinessCheck) => checks.push(c) }, nudgeRelay: () => undefined, onConsumerCommit: () => undefined } as unknown as MessagingRuntime;
    const config = loadNotificationConfig({ DISPATCH_POLL_MS: '10', DISPATCH_LEASE_MS: '1000' });
    // Not initialised: the loop waits for the schema and never touches the database.
    const dispatcher = new Dispatcher(config, { isInitialized: false } as DataSource, runtime, {} as WebhookSender, {} as EmailSender);
    dispatcher.onApplicationBootstrap();
    try {
      expect(checks).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 50));
      await expect(checks[0]()).resolves.toEqual({ name: 'dispatcher', ok: true });
      // No round for longer than lease + poll + 5 s: stalled.
      expect(dispatcher.health(Date.now() + 1000 + 10 + 5000 + 1000)).toMatchObject({ name: 'dispatcher', ok: false, detail: expect.stringMatching(/^no round for \d+ ms$/) });
    } finally {
      await dispatcher.beforeApplicationShutdown();
    }
    await expect(checks[0]()).resolves.toEqual({ name: 'dispatcher', ok: false, detail: 'stopped' });
  });
});

describe('dispatcher wake-up', () => {
  it('goes round when a consumer commit lands, not at the next poll; nudges during a round coalesce into one more round', async () => {
    let listener: (() => void) | undefined;
    const runtime = {
      health: { addCheck: () => undefined },
      nudgeRelay: () => undefined,
      onConsumerCommit: (l: () => void) => (listener = l),
    } as unknown as MessagingRuntime;
    let rounds = 0;
    let release: (() => void) | undefined;
    const dataSource = {
      isInitialized: true,
      query: async (sql: string) => {
        if (sql.includes('to_regclass')) return [{ ok: true }];
        rounds += 1;
        if (rounds === 2) await new Promise<void>((r) => (release = r)); // the second round is slow
        return [[], 0];
      },
    } as unknown as DataSource;
    // A poll of ten minutes: any prompt round below was woken, not polled.
    const config = loadNotificationConfig({ DISPATCH_POLL_MS: '600000' });
    const dispatcher = new Dispatcher(config, dataSource, runtime, {} as WebhookSender, {} as EmailSender);
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i += 1) await new Promise((r) => setTimeout(r, 5));
      expect(done()).toBe(true);
    };
    dispatcher.onApplicationBootstrap();
    try {
      await until(() => rounds === 1);
      listener!();
      await until(() => release !== undefined); // round 2 is running
      listener!();
      listener!();
      listener!();
      release!();
      await until(() => rounds === 3);
      // The three nudges made exactly one more round, and the loop is waiting again.
      await until(() => dispatcher.waiting);
      expect(rounds).toBe(3);
    } finally {
      await dispatcher.beforeApplicationShutdown();
    }
  });
});

describe('send order within a round', () => {
  it('queued first, sent first; rows queued together in reward lifecycle order', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, 0, ms));
    const rows = [
      { createdAt: at(5), sourceEventType: 'reward.earned', name: 'later earned' },
      { createdAt: at(0), sourceEventType: 'reward.reversed', name: 'reversed' },
      { createdAt: at(0), sourceEventType: 'reward.earned', name: 'earned' },
      { createdAt: at(0), sourceEventType: 'budget.exhausted', name: 'other' },
    ];
    expect([...rows].sort(inLifecycleOrder).map((r) => r.name)).toEqual(['earned', 'reversed', 'other', 'later earned']);
  });
});
