import { redactPans, redactPansInText } from '@prestanda/contracts';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

/** Returned by the mixin when no span is active: the merge strategy below recognises it and allocates nothing. */
const NO_TRACE: Record<string, never> = Object.freeze({}) as Record<string, never>;

/**
 * The active span's ids, in the field names OpenTelemetry's log correlation uses (`trace_id`,
 * `span_id`, `trace_flags`), so a log line found in a search opens its trace and back. Cheap
 * outside a span: one context lookup and no allocation.
 */
export function traceFields(): { trace_id: string; span_id: string; trace_flags: string } | Record<string, never> {
  const span = trace.getSpan(context.active());
  if (!span) return NO_TRACE;
  const sc = span.spanContext();
  if (!isSpanContextValid(sc)) return NO_TRACE;
  return { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: sc.traceFlags.toString(16).padStart(2, '0') };
}

/**
 * Errors become plain objects (type, message, stack, cause…) before card numbers are redacted:
 * the redaction copies own enumerable properties, of which an Error has none, so an `err` field
 * used to reach the log as `{}`.
 */
function serializeErrors(object: Record<string, unknown>): Record<string, unknown> {
  for (const key in object) {
    if (object[key] instanceof Error) return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, v instanceof Error ? pino.stdSerializers.err(v) : v]));
  }
  return object;
}

/**
 * Structured JSON logs. Logs carry ids, never payloads; two lines of defence behind that: the
 * redact list for fields that must never appear (secrets, card data), and card-number-shaped
 * content redacted in any string of any log line — the message and every field, errors included.
 * A line written inside an active span carries its trace_id and span_id.
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: name },
    redact: {
      paths: ['password', '*.password', 'secret', '*.secret', 'authorization', '*.authorization', 'headers.authorization', 'pan', '*.pan', 'cardNumber', '*.cardNumber'],
      censor: '[REDACTED]',
    },
    mixin: traceFields,
    // pino's default strategy assigns the line's fields onto the mixin's object: with no span
    // there is nothing to add, and the shared empty object must stay empty.
    mixinMergeStrategy: (mergeObject, mixinObject) => (mixinObject === NO_TRACE ? mergeObject : Object.assign(mixinObject, mergeObject)),
    formatters: { log: (object) => redactPans(serializeErrors(object)) },
    // Errors are serialised above, before redaction; pino's default `err` serialiser would see
    // the plain object that results and report its type as "Object".
    serializers: { err: (e: unknown) => e },
    hooks: {
      logMethod(args, method) {
        return method.apply(this, args.map((a) => (typeof a === 'string' ? redactPansInText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
