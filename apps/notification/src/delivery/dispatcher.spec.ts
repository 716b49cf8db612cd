import type { MessagingRuntime, ReadinessCheck } from '@prestanda/service-kit';
import type { DataSource } from 'typeorm';
import { loadNotificationConfig } from '../config';
import { Dispatcher, inLifecycleOrder } from './dispatcher';
import type { EmailSender, WebhookSender } from './senders';

describe('dispatcher readiness check', () => {
  it('registers a check that is ok while the loop comes round, not when stalled or stopped', async () => {
    const checks: ReadinessCheck[] = [];
    const runtime = { health: { addCheck: (c: ReadinessCheck) => checks.push(c) }, nudgeRelay: () => undefined } as unknown as MessagingRuntime;
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
