import { loadIngestionConfig } from '../config';
import { GateConsumer } from './gate.consumer';
import type { GateService } from './gate.service';

describe('GateConsumer subscriptions', () => {
  const consumer = (env: Record<string, string>) => new GateConsumer({} as GateService, loadIngestionConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', ...env }));
  const topics = (env: Record<string, string>) => consumer(env).subscriptions().map((s) => `${s.topic}<${s.contract}`);

  it('reads the shared inbound topics by default', () => {
    expect(topics({})).toEqual(['integrations<integrations', 'inbound.card-transactions<inbound.card-transactions', 'inbound.impressions<inbound.impressions', 'inbound.clicks<inbound.clicks', 'inbound.leads<inbound.leads']);
  });

  it('adds each integration’s own topics under the shared contract, and can drop the shared ones', () => {
    const only = topics({ INGESTION_INTEGRATION_TOPICS: 'bank-a,bank-b', INGESTION_SHARED_INBOUND_TOPICS: 'off' });
    expect(only).toHaveLength(9); // the registry's integrations topic and 2 × 4 own topics
    expect(only).toContain('inbound.bank-a.card-transactions<inbound.card-transactions');
    expect(only).toContain('inbound.bank-b.leads<inbound.leads');
    expect(only.some((t) => t.startsWith('inbound.card-transactions<'))).toBe(false);
  });

  it('refuses an integration id that cannot name a topic, naming the variable', () => {
    expect(() => consumer({ INGESTION_INTEGRATION_TOPICS: 'Bank A' })).toThrow(/INGESTION_INTEGRATION_TOPICS/);
  });
});
