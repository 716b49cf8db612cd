/**
 * Errors worth retrying: the database or network went away for a moment, a serialization
 * conflict or deadlock. Everything else is a fault of the message or the code.
 */
const TRANSIENT_PG_CODES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '53400']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/** Thrown by a handler to say "try again later" explicitly. */
export class TransientError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'TransientError';
  }
}

/** Thrown by a handler to say "this message can never succeed": it goes to the dead letters at once. */
export class PermanentError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

export function isTransientError(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown };
  if (e.driverError && e.driverError !== error && isTransientError(e.driverError)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (TRANSIENT_PG_CODES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(message);
}
