import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. Logs carry ids, never payloads; the redact list is a second line of
 * defence for fields that must never appear (secrets, card data).
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: {
      paths: ['password', '*.password', 'secret', '*.secret', 'authorization', '*.authorization', 'headers.authorization', 'pan', '*.pan', 'cardNumber', '*.cardNumber'],
      censor: '[REDACTED]',
    },
  });
}
