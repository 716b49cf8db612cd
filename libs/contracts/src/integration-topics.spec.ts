import { integrationTopic, integrationTopicSpecs, parseIntegrationTopic } from './integration-topics';
import { topicSpec } from './topics';

describe('integration topics', () => {
  it('names an integration its own topic of each inbound kind and reads it back', () => {
    expect(integrationTopic('bank-a', 'inbound.card-transactions')).toBe('inbound.bank-a.card-transactions');
    expect(parseIntegrationTopic('inbound.bank-a.card-transactions')).toEqual({ integrationId: 'bank-a', contract: 'inbound.card-transactions' });
    expect(parseIntegrationTopic('inbound.bank-a.leads')).toEqual({ integrationId: 'bank-a', contract: 'inbound.leads' });
  });

  it('is not fooled by the shared topics, dead-letter topics or unknown kinds', () => {
    expect(parseIntegrationTopic('inbound.card-transactions')).toBeUndefined();
    expect(parseIntegrationTopic('inbound.bank-a.card-transactions.dlq')).toBeUndefined();
    expect(parseIntegrationTopic('inbound.bank-a.payouts')).toBeUndefined();
    expect(parseIntegrationTopic('card-transactions')).toBeUndefined();
  });

  it('refuses ids that cannot name a topic', () => {
    for (const bad of ['Bank-A', 'bank.a', 'bank_a', '-bank', 'bank-', '', 'x'.repeat(65)]) expect(() => integrationTopic(bad, 'inbound.clicks')).toThrow(/cannot name a topic/);
  });

  it('gives each integration its own topics and dead-letter topics, configured like the shared ones', () => {
    const specs = integrationTopicSpecs(['bank-a', 'bank-b', 'bank-a']);
    expect(specs.map((s) => s.name)).toHaveLength(16);
    const cards = specs.find((s) => s.name === 'inbound.bank-b.card-transactions')!;
    expect(cards.partitions).toBe(topicSpec('inbound.card-transactions').partitions);
    expect(cards.config).toEqual(topicSpec('inbound.card-transactions').config);
    expect(specs.find((s) => s.name === 'inbound.bank-a.leads.dlq')).toMatchObject({ partitions: 1, config: { 'retention.ms': expect.any(String) } });
  });
});
