import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DLQ_TOPIC_SPECS, dlqTopic, isInboundTopic, Topic, TOPIC_NAMES, TOPIC_SPECS, topicSpec } from './topics';

describe('topics', () => {
  it('has exactly one spec per topic name', () => {
    expect(TOPIC_SPECS.map((s) => s.name).sort()).toEqual([...TOPIC_NAMES].sort());
    expect(TOPIC_NAMES).toHaveLength(17);
  });

  it('names dead-letter topics <topic>.dlq and gives every topic one', () => {
    expect(dlqTopic(Topic.InboundCardTransactions)).toBe('inbound.card-transactions.dlq');
    expect(DLQ_TOPIC_SPECS.map((s) => s.deadLetterOf)).toEqual(TOPIC_SPECS.map((s) => s.name));
    expect(DLQ_TOPIC_SPECS.every((s) => s.kind === 'dead-letter' && s.name === `${s.deadLetterOf}.dlq`)).toBe(true);
  });

  it('compacts campaigns, keyed by campaign id; budget-events keyed by advertiser id', () => {
    expect(topicSpec(Topic.Campaigns)).toMatchObject({ key: 'campaignId', config: { 'cleanup.policy': 'compact' } });
    expect(topicSpec(Topic.BudgetEvents).key).toBe('advertiserId');
    expect(topicSpec(Topic.CardTransactions).key).toBe('customerId');
  });

  it('marks the inbound topics', () => {
    expect(TOPIC_SPECS.filter((s) => s.kind === 'inbound').map((s) => s.name)).toEqual([
      'inbound.card-transactions',
      'inbound.impressions',
      'inbound.clicks',
      'inbound.leads',
    ]);
    expect(isInboundTopic(Topic.InboundLeads)).toBe(true);
    expect(isInboundTopic(Topic.Leads)).toBe(false);
  });
});

describe('the contracts README', () => {
  it('lists every topic with the partition count topic creation uses', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const listed = new Map([...readme.matchAll(/^\| `([a-z.-]+)` \| [^|]+\| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(TOPIC_SPECS.map((s) => [s.name, s.partitions])));
  });
});
