import { redactPans, redactPansInText } from '@prestanda/contracts';
import pino, { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. Logs carry ids, never payloads; two lines of defence behind that: the
 * redact list for fields that must never appear (secrets, card data), and card-number-shaped
 * content redacted in any string of any log line — the message and every field, errors included.
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
    formatters: { log: (object) => redactPans(object) },
    hooks: {
      logMethod(args, method) {
        return method.apply(this, args.map((a) => (typeof a === 'string' ? redactPansInText(a) : a)) as Parameters<typeof method>);
      },
    },
    serializers: { err: (e: unknown) => redactPans(pino.stdSerializers.err(e as Error)) },
  };
  return destination ? pino(options, destination) : pino(options);
}
