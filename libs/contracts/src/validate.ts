import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isCurrency } from '@prestanda/money';
import type { AnyEventDescriptor } from './descriptor';
import { dateTime, id, integer, object, string, UUID_PATTERN, type JsonSchema } from './json-schema';
import { EVENT_MAX_DEPTH, INBOUND_EVENT_MAX_BYTES } from './limits';
import { findPan } from './pan';
import { descriptorsForTopic, EVENT_DESCRIPTORS, findDescriptor, knownVersions, type TopicEvents } from './registry';
import { isInboundTopic, isTopicName, type TopicName } from './topics';

export type DecodeErrorCode = 'malformed-json' | 'message-too-large' | 'invalid-envelope' | 'unknown-type' | 'unsupported-schema-version' | 'invalid-payload';

export type DecodeFailure = {
  readonly ok: false;
  readonly code: DecodeErrorCode;
  /** Human-readable and names the field: `data.amount.amountMinor must be integer`. Never echoes field values. */
  readonly reason: string;
  /** Dotted path of the offending field, e.g. `data.merchant.descriptor`, when there is one. */
  readonly field?: string;
  /** Set when the message was refused because it contains a card number: redact before storing or dead-lettering. */
  readonly pan?: true;
};

export type DecodeResult<T extends TopicName = TopicName> = { readonly ok: true; readonly event: TopicEvents[T] } | DecodeFailure;

/** The envelope schema (draft-07). `data` is checked separately against the event's own schema. */
export const ENVELOPE_SCHEMA: JsonSchema = object(
  'The envelope every Prestanda event is wrapped in.',
  {
    eventId: {
      type: 'string',
      pattern: UUID_PATTERN,
      maxLength: 36,
      description: 'Unique id of this event, a UUID (RFC 9562, canonical 8-4-4-4-12 hex form). Consumers de-duplicate on it; a producer re-sending the same event must reuse it.',
      examples: ['7c9e6679-7425-40de-944b-e07fc1f90ae7'],
    },
    type: string('The event type, "<entity>.<fact>" in lower-case kebab words, e.g. "card-transaction.authorization", "reward.earned". Selects the schema of `data` together with schemaVersion.', {
      pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$',
      maxLength: 100,
      examples: ['card-transaction.authorization'],
    }),
    schemaVersion: integer('Version of the `data` schema for this type; currently 1 for every type. An unknown version is refused (dead-lettered), not guessed at.', { minimum: 1, examples: [1] }),
    occurredAt: dateTime('When the fact happened in the real world (business time).'),
    producedAt: dateTime('When this message was produced.'),
    source: id('Who produced the event: the integration id issued to a bank or publisher (e.g. "bank-demo-se") on inbound topics, the Prestanda service name (e.g. "ingestion") on canonical topics.', 'bank-demo-se'),
    data: { type: 'object', description: 'The payload, whose schema is given by type and schemaVersion.' },
  },
  ['eventId', 'type', 'schemaVersion', 'occurredAt', 'producedAt', 'source', 'data'],
);

let ajv: Ajv | undefined;
let envelopeValidator: ValidateFunction | undefined;
const dataValidators = new WeakMap<AnyEventDescriptor, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    // verbose: errors carry their schema node (to list the allowed properties). strictTypes/strictRequired off: `then`/`else`/`not` branches hold bare `required` lists (valid draft-07).
    ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
    addFormats(ajv, ['date-time', 'date', 'uuid']);
    ajv.addFormat('iso-4217', { type: 'string', validate: (code: string) => isCurrency(code) });
  }
  return ajv;
}

/**
 * Readers on canonical topics are tolerant of unknown properties in `data` (an additive
 * change may reach a consumer before the consumer is upgraded); the inbound gate is strict
 * so that integrators learn about typos at once. The published schemas are the strict ones.
 */
function tolerant(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(tolerant);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'additionalProperties' && v === false) continue;
    out[k] = k === 'examples' || k === 'enum' || k === 'const' ? v : tolerant(v);
  }
  return out;
}

function dataValidator(d: AnyEventDescriptor): ValidateFunction {
  let v = dataValidators.get(d);
  if (!v) {
    v = getAjv().compile(isInboundTopic(d.topic) ? d.schema : (tolerant(d.schema) as JsonSchema));
    dataValidators.set(d, v);
  }
  return v;
}

/** Compiles every schema now (e.g. at service start) instead of on first use. */
export function warmUpValidators(): void {
  envelopeValidator ??= getAjv().compile(ENVELOPE_SCHEMA);
  for (const d of EVENT_DESCRIPTORS) dataValidator(d);
}

function segmentsOf(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function joinPath(base: string, segments: readonly string[]): string {
  let out = base;
  for (const s of segments) {
    if (/^[0-9]+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

const FORMAT_TEXT: Record<string, string> = {
  'date-time': 'must be an RFC 3339 date-time with an offset, e.g. 2025-03-14T15:09:26Z',
  date: 'must be a date YYYY-MM-DD',
  uuid: 'must be a UUID',
  'iso-4217': 'must be an ISO 4217 currency code Prestanda supports (upper case, e.g. SEK, EUR)',
};

function pickError(errors: readonly ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword !== 'if') ?? errors[0];
}

/** Turns an ajv error into `{ field, reason }`, the field named from the instancePath. */
export function describeAjvError(error: ErrorObject, base: string): { field: string; reason: string } {
  const segments = segmentsOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  let field = joinPath(base, segments);
  let reason: string;
  switch (error.keyword) {
    case 'required':
      field = joinPath(base, [...segments, String(params.missingProperty)]);
      reason = `${field} is required`;
      break;
    case 'additionalProperties': {
      // The caller chose the property's name: name the object it sits in and what it allows, never the name itself.
      const allowed = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}));
      reason = `${field || '(root)'} has a property that is not in the schema${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`;
      break;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      reason = `${field || '(root)'} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    }
    case 'const':
      reason = `${field || '(root)'} must be ${JSON.stringify(params.allowedValue)}`;
      break;
    case 'format':
      reason = `${field || '(root)'} ${FORMAT_TEXT[String(params.format)] ?? error.message ?? 'has the wrong format'}`;
      break;
    case 'not':
      reason = `${field || '(root)'} has a property that is not allowed with this kind`;
      break;
    default:
      reason = `${field || '(root)'} ${error.message ?? 'is invalid'}`;
  }
  return { field, reason };
}

function fail(code: DecodeErrorCode, reason: string, field?: string): DecodeFailure {
  return field === undefined ? { ok: false, code, reason } : { ok: false, code, reason, field };
}

/**
 * Validates an already-parsed event for `topic`: envelope, then known type, then known
 * schemaVersion, then `data` against that version's schema. On inbound topics a card
 * number anywhere in the event is refused too.
 */
export function validateEvent<T extends TopicName>(topic: T, value: unknown): DecodeResult<T> {
  if (!isTopicName(topic)) throw new Error(`validateEvent: ${JSON.stringify(topic)} is not a Prestanda topic`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid-envelope', 'the message must be a JSON object (the event envelope)');
  }
  const tooDeep = deeperThan(value, EVENT_MAX_DEPTH);
  if (tooDeep !== undefined) return fail('invalid-payload', `${tooDeep || '(root)'} nests deeper than ${EVENT_MAX_DEPTH} levels`, tooDeep || undefined);
  envelopeValidator ??= getAjv().compile(ENVELOPE_SCHEMA);
  if (!envelopeValidator(value)) {
    const { field, reason } = describeAjvError(pickError(envelopeValidator.errors ?? []), '');
    return fail('invalid-envelope', reason, field);
  }
  const envelope = value as { type: string; schemaVersion: number; data: unknown };
  const versions = knownVersions(topic, envelope.type);
  if (versions.length === 0) {
    const expected = [...new Set(descriptorsForTopic(topic).map((d) => d.type))].join(', ');
    return fail('unknown-type', `type is not an event of topic ${topic} (expected one of: ${expected})`, 'type');
  }
  const descriptor = findDescriptor(topic, envelope.type, envelope.schemaVersion);
  if (!descriptor) {
    return fail(
      'unsupported-schema-version',
      `schemaVersion is not supported for ${envelope.type} (supported: ${versions.join(', ')})`,
      'schemaVersion',
    );
  }
  const validate = dataValidator(descriptor);
  if (!validate(envelope.data)) {
    const { field, reason } = describeAjvError(pickError(validate.errors ?? []), 'data');
    return fail('invalid-payload', reason, field);
  }
  if (isInboundTopic(topic)) {
    const pan = findPan(value);
    if (pan) {
      return { ok: false, code: 'invalid-payload', field: pan.path, pan: true, reason: `${pan.path} contains a card number (PAN); card numbers must never be sent` };
    }
  }
  const text = unstorableText(value);
  if (text) return fail('invalid-payload', `${text.field} ${text.problem}`, text.field);
  return { ok: true, event: value as TopicEvents[T] };
}

const JSON_ERROR_POSITION = /position (\d+)/;

function byteLength(value: Buffer | string): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

const ENVELOPE_KEYS = new Set(Object.keys(ENVELOPE_SCHEMA.properties as object));

/**
 * Where a value nests deeper than `max` levels: the envelope field it happens under ('' when
 * that is not an envelope field), or undefined when it does not. Iterative, so a hostile
 * message cannot exhaust the stack; the path never includes a name the caller chose.
 */
export function deeperThan(value: unknown, max: number): string | undefined {
  const stack: { v: unknown; depth: number; top: string }[] = [{ v: value, depth: 0, top: '' }];
  while (stack.length > 0) {
    const { v, depth, top } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return top;
    for (const [k, child] of Object.entries(v)) {
      stack.push({ v: child, depth: depth + 1, top: depth === 0 ? (Array.isArray(value) || !ENVELOPE_KEYS.has(k) ? '' : k) : top });
    }
  }
  return undefined;
}

// A NUL, or half of a surrogate pair without its other half: valid in a JavaScript string,
// refused by PostgreSQL's text and jsonb types.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first string (or property name) of an already schema-checked value that PostgreSQL could
 * not store, named by its path. Runs after the schema, so every name on the path is the schema's.
 */
export function unstorableText(value: unknown): { field: string; problem: string } | undefined {
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const m = UNSTORABLE.exec(v);
      if (m) return { field: joinPath('', path) || '(root)', problem: m[0] === '\u0000' ? 'contains a NUL character (U+0000)' : 'contains an unpaired UTF-16 surrogate (not valid Unicode text)' };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    for (const [k, child] of Object.entries(v)) {
      if (UNSTORABLE.test(k)) return { field: joinPath('', path) || '(root)', problem: 'has a property name that is not valid Unicode text' };
      stack.push({ v: child, path: [...path, k] });
    }
  }
  return undefined;
}

/**
 * Decodes a Kafka message value for `topic`: UTF-8 JSON, then `validateEvent`. Never throws
 * for bad input: the failure says why (`code`), what (`reason`) and where (`field`).
 */
export function decodeEvent<T extends TopicName>(topic: T, value: Buffer | string | null | undefined): DecodeResult<T> {
  if (value === null || value === undefined || value.length === 0) {
    return fail('malformed-json', 'the message value is empty (null or a tombstone); an event envelope was expected');
  }
  if (isInboundTopic(topic) && byteLength(value) > INBOUND_EVENT_MAX_BYTES) {
    return fail('message-too-large', `the message value is ${byteLength(value)} bytes; an inbound event may be at most ${INBOUND_EVENT_MAX_BYTES} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (error) {
    // The parser's message can quote the input, which could hold a card number: keep only the position.
    const position = error instanceof Error ? JSON_ERROR_POSITION.exec(error.message)?.[1] : undefined;
    return fail('malformed-json', `the message value is not valid JSON${position ? ` (at position ${position})` : ''}`);
  }
  return validateEvent(topic, parsed);
}
