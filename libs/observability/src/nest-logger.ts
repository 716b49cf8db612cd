import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Logger } from 'pino';

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's levels onto pino's. Nest's `log` is its bootstrap chatter (modules loaded, routes
 * mapped): debug, so that an info-level service logs what it did before (Nest printed only
 * warnings and errors), and LOG_LEVEL=debug shows it.
 */
const LEVELS: Record<LogLevel, PinoLevel> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'debug', debug: 'debug', verbose: 'trace' };

/**
 * Nest's own logging (its bootstrap, the exceptions handler, `new Logger(...)` in a service)
 * written through the service's pino logger: JSON lines with the same fields, redaction and
 * trace ids as everything else. Nest calls `log(message, ...params, context)`, and
 * `error(message, stack?, context?)` or `error(error)`: the last string is the context.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  private write(nestLevel: LogLevel, message: unknown, params: unknown[]): void {
    const level = LEVELS[nestLevel];
    if (!this.logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    // error(message, stack, context): a leftover string on an error line is the stack.
    if ((nestLevel === 'error' || nestLevel === 'fatal') && typeof rest[0] === 'string') fields.stack = rest.shift();
    if (rest.length > 0) fields.params = rest;
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
