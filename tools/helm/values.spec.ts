import 'reflect-metadata';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { AffiliateConsumer } from '../../apps/affiliate/src/affiliate.consumer';
import { AttributionConsumer } from '../../apps/attribution/src/attribution/attribution.consumer';
import { BillingConsumer } from '../../apps/billing/src/billing/billing.consumer';
import { BudgetEventsConsumer } from '../../apps/campaigns/src/campaigns/budget-events.consumer';
import { NotificationConsumer } from '../../apps/notification/src/delivery/notification.consumer';
import { MatchingConsumer } from '../../apps/offer-matching/src/matching/matching.consumer';

const chart = path.resolve(__dirname, '../../deploy/helm/prestanda');
const values = () => parse(readFileSync(path.join(chart, 'values.yaml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.join(chart, 'values.schema.json'), 'utf8')));

describe('the Helm chart values', () => {
  it('values.yaml passes values.schema.json (helm checks every install and upgrade against it)', () => {
    expect(validate(values())).toBe(true);
  });

  it('the schema refuses a misspelt key, a wrong type and an unknown log level, naming where', () => {
    const bad = values();
    bad.kafak = {};
    bad.logLevel = 'loud';
    bad.services.billing.httpPort = 'http';
    expect(validate(bad)).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(where).toEqual(expect.arrayContaining([' additionalProperties', '/logLevel enum', '/services/billing/httpPort type']));
  });

  // The KEDA lag triggers read `consumes`: it must list exactly the topics the service's consumer reads.
  const handlerSets: Record<string, EventHandlerSet> = {
    campaigns: new BudgetEventsConsumer({} as never),
    'offer-matching': new MatchingConsumer({} as never),
    attribution: new AttributionConsumer({} as never),
    billing: new BillingConsumer({} as never),
    notification: new NotificationConsumer({} as never),
    affiliate: new AffiliateConsumer({} as never),
  };
  it.each(Object.keys(handlerSets))('%s: `consumes` lists exactly the topics its consumer reads', (service) => {
    const set = handlerSets[service];
    const topics = [...Object.keys(set.handlers()), ...Object.keys(set.batchHandlers?.() ?? {})].sort();
    expect([...values().services[service].consumes].sort()).toEqual(topics);
  });
});
