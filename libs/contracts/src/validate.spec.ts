import { exampleEnvelope } from './asyncapi';
import { newEnvelope } from './envelope';
import {
  CampaignSnapshotV1,
  CardTransactionAuthorizedV1,
  InboundCardTransactionAuthorizationV1,
  InboundCardTransactionRefundV1,
  RewardEarnedV1,
} from './events';
import { EVENT_DESCRIPTORS } from './registry';
import { Topic } from './topics';
import { decodeEvent, validateEvent, warmUpValidators, type DecodeResult } from './validate';

// Tests mutate events freely into invalid shapes; the validator is what checks them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const inboundAuth = () => exampleEnvelope(InboundCardTransactionAuthorizationV1);
const withData = (patch: (data: Record<string, Loose>) => void) => {
  const event = structuredClone(inboundAuth()) as Loose;
  patch(event.data);
  return event;
};
const failure = (result: DecodeResult) => {
  if (result.ok) throw new Error('expected a failure');
  return result;
};

describe('every example in the catalogue', () => {
  it.each(EVENT_DESCRIPTORS.map((d) => [`${d.type} v${d.schemaVersion} on ${d.topic}`, d] as const))('%s validates', (_name, d) => {
    const result = decodeEvent(d.topic, JSON.stringify(exampleEnvelope(d)));
    expect(result).toEqual({ ok: true, event: exampleEnvelope(d) });
  });

  it('compiles every schema up front without strict-mode errors', () => {
    expect(() => warmUpValidators()).not.toThrow();
  });
});

describe('decodeEvent names what is wrong', () => {
  it('refuses bytes that are not JSON, without echoing them', () => {
    const result = failure(decodeEvent(Topic.InboundCardTransactions, Buffer.from('{"eventId": 4111 1111 1111 1111')));
    expect(result.code).toBe('malformed-json');
    expect(result.reason).not.toContain('4111');
  });

  it('refuses an empty value or tombstone', () => {
    expect(failure(decodeEvent(Topic.InboundCardTransactions, null)).code).toBe('malformed-json');
    expect(failure(decodeEvent(Topic.InboundCardTransactions, '')).code).toBe('malformed-json');
  });

  it('refuses JSON that is not an object', () => {
    expect(failure(decodeEvent(Topic.InboundCardTransactions, '[1,2]')).code).toBe('invalid-envelope');
  });

  it('names a missing envelope field', () => {
    const { eventId: _, ...event } = inboundAuth();
    expect(failure(validateEvent(Topic.InboundCardTransactions, event))).toMatchObject({ code: 'invalid-envelope', field: 'eventId', reason: 'eventId is required' });
  });

  it('refuses an eventId that is not a UUID and an occurredAt without offset', () => {
    expect(failure(validateEvent(Topic.InboundCardTransactions, { ...inboundAuth(), eventId: 'abc' }))).toMatchObject({ code: 'invalid-envelope', field: 'eventId' });
    const r = failure(validateEvent(Topic.InboundCardTransactions, { ...inboundAuth(), occurredAt: '2025-03-14 15:09:26' }));
    expect(r).toMatchObject({ code: 'invalid-envelope', field: 'occurredAt' });
    expect(r.reason).toContain('date-time');
  });

  it('refuses unknown envelope fields (trace context belongs in headers)', () => {
    expect(failure(validateEvent(Topic.InboundCardTransactions, { ...inboundAuth(), traceparent: '00-abc' }))).toMatchObject({
      code: 'invalid-envelope',
      field: '',
      reason: '(root) has a property that is not in the schema (allowed: eventId, type, schemaVersion, occurredAt, producedAt, source, data)',
    });
  });

  it('refuses a type that does not belong on the topic', () => {
    const r = failure(validateEvent(Topic.InboundCardTransactions, exampleEnvelope(RewardEarnedV1)));
    expect(r).toMatchObject({ code: 'unknown-type', field: 'type' });
    expect(r.reason).toContain('card-transaction.authorization');
  });

  it('refuses an unknown schemaVersion of a known type', () => {
    const r = failure(validateEvent(Topic.InboundCardTransactions, { ...inboundAuth(), schemaVersion: 2 }));
    expect(r).toMatchObject({ code: 'unsupported-schema-version', field: 'schemaVersion' });
    expect(r.reason).toBe('schemaVersion is not supported for card-transaction.authorization (supported: 1)');
  });

  it('names a missing payload field', () => {
    const r = failure(validateEvent(Topic.InboundCardTransactions, withData((d) => delete d.merchant.descriptor)));
    expect(r).toEqual({ ok: false, code: 'invalid-payload', field: 'data.merchant.descriptor', reason: 'data.merchant.descriptor is required' });
  });

  it('names a field of the wrong type', () => {
    const r = failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.amount.amountMinor = 25.5))));
    expect(r).toMatchObject({ code: 'invalid-payload', field: 'data.amount.amountMinor', reason: 'data.amount.amountMinor must be integer' });
    const s = failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.amount.amountMinor = '2550'))));
    expect(s.reason).toBe('data.amount.amountMinor must be integer');
  });

  it('refuses a negative or zero amount', () => {
    const r = failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.amount.amountMinor = -100))));
    expect(r).toMatchObject({ code: 'invalid-payload', field: 'data.amount.amountMinor', reason: 'data.amount.amountMinor must be >= 1' });
    expect(failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.amount.amountMinor = 0)))).field).toBe('data.amount.amountMinor');
  });

  it('refuses an unknown or lower-case currency', () => {
    const r = failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.amount.currency = 'XYZ'))));
    expect(r).toMatchObject({ code: 'invalid-payload', field: 'data.amount.currency' });
    expect(r.reason).toContain('ISO 4217');
    expect(failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.amount.currency = 'sek')))).field).toBe('data.amount.currency');
  });

  it('names enum fields with the allowed values', () => {
    const r = failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.channel = 'atm'))));
    expect(r.reason).toBe('data.channel must be one of "online", "in-store"');
  });

  it('requires originalTransactionId on refunds', () => {
    const refund = structuredClone(exampleEnvelope(InboundCardTransactionRefundV1)) as Loose;
    delete refund.data.originalTransactionId;
    expect(failure(validateEvent(Topic.InboundCardTransactions, refund)).field).toBe('data.originalTransactionId');
  });

  it('names array elements by index', () => {
    const campaign = structuredClone(exampleEnvelope(CampaignSnapshotV1)) as Loose;
    campaign.data.merchants[0].mids[0] = 'has space';
    expect(failure(validateEvent(Topic.Campaigns, campaign)).field).toBe('data.merchants[0].mids[0]');
  });

  it('checks the reward kind against its fields', () => {
    const campaign = structuredClone(exampleEnvelope(CampaignSnapshotV1)) as Loose;
    delete campaign.data.reward.basisPoints;
    expect(failure(validateEvent(Topic.Campaigns, campaign))).toMatchObject({ field: 'data.reward.basisPoints', reason: 'data.reward.basisPoints is required' });
  });

  it('is strict about unknown payload fields at the inbound gate', () => {
    expect(failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.ammount = 1))))).toMatchObject({
      code: 'invalid-payload',
      field: 'data',
    });
  });

  it('tolerates unknown payload fields on canonical topics (additive changes keep the version)', () => {
    const event = structuredClone(exampleEnvelope(CardTransactionAuthorizedV1)) as Loose;
    event.data.addedLater = 'x';
    expect(validateEvent(Topic.CardTransactions, event).ok).toBe(true);
  });

  it('refuses a card number anywhere in an inbound event and says where', () => {
    const r = failure(validateEvent(Topic.InboundCardTransactions, withData((d) => (d.merchant.descriptor = 'CAFE 4111 1111 1111 1111'))));
    expect(r).toMatchObject({ code: 'invalid-payload', field: 'data.merchant.descriptor', pan: true });
    expect(r.reason).not.toContain('4111');
  });

  it('accepts what newEnvelope builds', () => {
    const event = newEnvelope(InboundCardTransactionAuthorizationV1, {
      source: 'bank-demo-se',
      occurredAt: new Date('2025-03-14T15:09:26Z'),
      data: InboundCardTransactionAuthorizationV1.example,
    });
    expect(event.schemaVersion).toBe(1);
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeEvent(Topic.InboundCardTransactions, Buffer.from(JSON.stringify(event))).ok).toBe(true);
  });

  it('throws on a topic name that does not exist (a programming error, not bad input)', () => {
    expect(() => validateEvent('nope' as Loose, inboundAuth())).toThrow(/not a Prestanda topic/);
  });
});
