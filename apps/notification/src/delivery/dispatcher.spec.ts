import type { MessagingRuntime, ReadinessCheck } from '@prestanda/service-kit';
import type { DataSource, FindOperator } from 'typeorm';
import { loadNotificationConfig } from '../config';
import { CustomerPreference, Delivery, Recipient } from '../entities';
import { Dispatcher, inLifecycleOrder, sendLane } from './dispatcher';
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

describe('a customer is (bank, customer id)', () => {
  const delivery = (id: string, customerId: string | null, customerBank: string | null, purchaseId?: string): Delivery =>
    ({
      id,
      sourceEventId: '00000000-0000-4000-8000-000000000000',
      sourceEventType: 'reward.earned',
      recipientKind: 'affiliate',
      recipientId: 'pub-app',
      channel: 'webhook',
      template: 'reward-earned.sv',
      customerId,
      customerBank,
      status: 'sending',
      payload: purchaseId ? { data: { purchaseId } } : {},
      attempts: 0,
      runAttempts: 0,
      createdAt: new Date(0),
    }) as Delivery;

  it('send lanes: the same customer id at two banks is two lanes; one bank’s customer is one lane', () => {
    const a1 = delivery('dlv-1', 'c-1001', 'bank-a');
    const a2 = delivery('dlv-2', 'c-1001', 'bank-a');
    const b = delivery('dlv-3', 'c-1001', 'bank-b');
    const legacyB = delivery('dlv-4', 'c-1001', null, 'bank-b:txn-1'); // written without customer_bank
    expect(sendLane(a1)).toBe(sendLane(a2));
    expect(sendLane(a1)).not.toBe(sendLane(b));
    expect(sendLane(legacyB)).toBe(sendLane(b));
    // Not about a customer: a lane of its own.
    expect(sendLane(delivery('dlv-5', null, null))).not.toBe(sendLane(delivery('dlv-6', null, null)));
  });

  it('the late opt-out check asks for (bank, customer): bank B’s opted-out c-1001 is skipped, bank A’s c-1001 is sent', async () => {
    const deliveries = [delivery('dlv-a', 'c-1001', 'bank-a'), delivery('dlv-b', 'c-1001', 'bank-b'), delivery('dlv-legacy-b', 'c-1001', null, 'bank-b:txn-7')];
    const stored: Partial<CustomerPreference>[] = [
      { bankSource: 'bank-b', customerId: 'c-1001', optOutWebhook: true, optOutEmail: false },
      { bankSource: '', customerId: 'c-1001', optOutWebhook: true, optOutEmail: false }, // legacy, bank unknown: applies to no bank
    ];
    const asked: { bankSource: string[]; customerId: string[] }[] = [];
    const skippedIds: string[][] = [];
    const values = (op: unknown) => (op as FindOperator<string[]>).value as unknown as string[];
    const dataSource = {
      isInitialized: true,
      query: async (sql: string, params: unknown[]) => {
        if (sql.includes("status = 'skipped'")) {
          skippedIds.push(params[0] as string[]);
          return [(params[0] as string[]).map(() => ({ channel: 'webhook' })), 0];
        }
        return [deliveries.map((d) => ({ id: d.id })), deliveries.length];
      },
      getRepository: (entity: unknown) => {
        if (entity === Delivery) return { findBy: async () => deliveries };
        if (entity === CustomerPreference)
          return {
            findBy: async (where: { bankSource: unknown; customerId: unknown }) => {
              const q = { bankSource: values(where.bankSource), customerId: values(where.customerId) };
              asked.push(q);
              return stored.filter((p) => q.bankSource.includes(p.bankSource!) && q.customerId.includes(p.customerId!));
            },
          };
        if (entity === Recipient) return { find: async () => [{ kind: 'affiliate', id: 'pub-app', webhookUrl: 'https://app.example/hook', webhookSecret: 'x'.repeat(16) }] };
        throw new Error('unexpected repository');
      },
      transaction: async (work: (m: unknown) => Promise<unknown>) =>
        work({
          connection: { options: { schema: 'notification' } },
          query: async (sql: string, params: unknown[]) => (sql.trim().startsWith('UPDATE') ? [(params[0] as string[]).map((id) => ({ id })), 0] : []),
        }),
    } as unknown as DataSource;
    const sentIds: string[] = [];
    const webhook = { send: async (d: Delivery) => (sentIds.push(d.id), { ok: true, statusCode: 200 }) } as unknown as WebhookSender;
    const runtime = { health: { addCheck: () => undefined }, nudgeRelay: () => undefined, onConsumerCommit: () => undefined } as unknown as MessagingRuntime;
    const dispatcher = new Dispatcher(loadNotificationConfig({}), dataSource, runtime, webhook, {} as EmailSender);

    await expect(dispatcher.tick()).resolves.toBe(3);
    expect(asked).toEqual([{ bankSource: ['bank-a', 'bank-b'], customerId: ['c-1001'] }]);
    expect(skippedIds).toEqual([['dlv-b', 'dlv-legacy-b']]);
    expect(sentIds).toEqual(['dlv-a']);
  });
});
