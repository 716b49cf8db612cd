import fc from 'fast-check';
import { exampleEnvelope } from './asyncapi';
import { EVENT_MAX_DEPTH, INBOUND_EVENT_MAX_BYTES } from './limits';
import { EVENT_DESCRIPTORS } from './registry';
import { isInboundTopic, Topic } from './topics';
import { decodeEvent, type DecodeResult } from './validate';

// Tests mutate events into shapes the types forbid; the validator is what checks them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const MARK = 'ZZMARK';
const INBOUND = EVENT_DESCRIPTORS.filter((d) => isInboundTopic(d.topic));

/** Every leaf of an example event with its dotted path (the way the validator names fields). */
function leaves(value: Loose, path: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [path];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, Array.isArray(value) ? [...path, `[${k}]`] : [...path, k]));
}
const dotted = (path: string[]) => path.join('.').replace(/\.\[/g, '[');

function setAt(target: Loose, path: string[], value: unknown): void {
  const keys = path.map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
  let node = target;
  for (const k of keys.slice(0, -1)) node = node[k];
  node[keys[keys.length - 1]] = value;
}

function nested(depth: number): unknown {
  let v: unknown = MARK;
  for (let i = 0; i < depth; i++) v = { [MARK]: v };
  return v;
}

const MUTATIONS: Record<string, (original: unknown) => unknown> = {
  nul: (o) => `${String(o)}\u0000${MARK}`,
  'lone high surrogate': (o) => `${String(o)}\ud800${MARK}`,
  'lone low surrogate': (o) => `${MARK}\udc00${String(o)}`,
  'huge string': () => MARK.repeat(2000),
  'shallow nesting': () => nested(3),
  'deep nesting': () => nested(EVENT_MAX_DEPTH + 5),
};

const failure = (result: DecodeResult) => {
  if (result.ok) throw new Error('expected a failure');
  return result;
};

describe('the contract refuses what PostgreSQL cannot hold, naming the field', () => {
  it('every inbound type, every field, every mutation: a validation code and a field on the path, never the payload text', () => {
    const cases = INBOUND.flatMap((d) => leaves(exampleEnvelope(d)).map((path) => ({ d, path })));
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.constantFrom(...Object.keys(MUTATIONS)), ({ d, path }, mutation) => {
        const event = structuredClone(exampleEnvelope(d)) as Loose;
        const original = path.reduce((node: Loose, k) => node[k.startsWith('[') ? Number(k.slice(1, -1)) : k], event);
        setAt(event, path, MUTATIONS[mutation](original));
        const result = failure(decodeEvent(d.topic, JSON.stringify(event)));
        expect(['invalid-envelope', 'invalid-payload', 'unknown-type', 'unsupported-schema-version']).toContain(result.code);
        expect(result.field).toBeDefined();
        expect(dotted(path).startsWith(result.field!)).toBe(true);
        expect(result.reason).not.toContain(MARK);
        // eslint-disable-next-line no-control-regex
        expect(result.reason).not.toMatch(/[\u0000\ud800-\udfff]/);
      }),
      { numRuns: 400 },
    );
  });

  it('names a NUL in free text by its schema path', () => {
    const event = structuredClone(exampleEnvelope(INBOUND.find((d) => d.type === 'card-transaction.authorization')!)) as Loose;
    event.data.merchant.descriptor = 'ICA\u0000NARA';
    expect(failure(decodeEvent(Topic.InboundCardTransactions, JSON.stringify(event)))).toEqual({
      ok: false,
      code: 'invalid-payload',
      field: 'data.merchant.descriptor',
      reason: 'data.merchant.descriptor contains a NUL character (U+0000)',
    });
  });

  it('names an unpaired surrogate in free text by its schema path', () => {
    const event = structuredClone(exampleEnvelope(INBOUND.find((d) => d.type === 'card-transaction.authorization')!)) as Loose;
    event.data.merchant.city = 'STOCK\udbffHOLM';
    expect(failure(decodeEvent(Topic.InboundCardTransactions, JSON.stringify(event)))).toMatchObject({
      code: 'invalid-payload',
      field: 'data.merchant.city',
      reason: 'data.merchant.city contains an unpaired UTF-16 surrogate (not valid Unicode text)',
    });
  });

  it('keeps a real emoji (a paired surrogate) as valid text', () => {
    const event = structuredClone(exampleEnvelope(INBOUND.find((d) => d.type === 'card-transaction.authorization')!)) as Loose;
    event.data.merchant.descriptor = 'CAFÉ 😀 LUNA';
    expect(decodeEvent(Topic.InboundCardTransactions, JSON.stringify(event)).ok).toBe(true);
  });

  it('never quotes a property name the caller chose', () => {
    const event = structuredClone(exampleEnvelope(INBOUND[0])) as Loose;
    event.data[`<script>${MARK}\u0000`] = 1;
    const result = failure(decodeEvent(INBOUND[0].topic, JSON.stringify(event)));
    expect(result).toMatchObject({ code: 'invalid-payload', field: 'data' });
    expect(result.reason).toMatch(/^data has a property that is not in the schema \(allowed: [a-zA-Z, ]+\)$/);
  });

  it('refuses a message deeper than the documented depth under the envelope field it sits in', () => {
    const event = structuredClone(exampleEnvelope(INBOUND[0])) as Loose;
    event.data.extra = 'DEEP';
    // Built as text: 20,000 levels are more than JSON.stringify itself can nest.
    const text = JSON.stringify(event).replace('"DEEP"', '['.repeat(20_000) + ']'.repeat(20_000));
    expect(failure(decodeEvent(INBOUND[0].topic, text))).toMatchObject({ code: 'invalid-payload', field: 'data', reason: `data nests deeper than ${EVENT_MAX_DEPTH} levels` });
  });

  it('refuses an inbound message over the size limit before parsing it', () => {
    const huge = Buffer.alloc(INBOUND_EVENT_MAX_BYTES + 1, 'x');
    expect(failure(decodeEvent(Topic.InboundCardTransactions, huge))).toEqual({
      ok: false,
      code: 'message-too-large',
      reason: `the message value is ${INBOUND_EVENT_MAX_BYTES + 1} bytes; an inbound event may be at most ${INBOUND_EVENT_MAX_BYTES} bytes`,
    });
  });

  it('gives every inbound string a documented maximum length', () => {
    const unbounded: string[] = [];
    const walk = (schema: Loose, path: string) => {
      if (!schema || typeof schema !== 'object') return;
      if (schema.type === 'string' && schema.maxLength === undefined && !schema.enum && schema.const === undefined) unbounded.push(path);
      for (const [k, v] of Object.entries(schema)) if (k !== 'examples') walk(v, `${path}/${k}`);
    };
    for (const d of INBOUND) walk(d.schema, d.type);
    expect(unbounded).toEqual([]);
  });
});
