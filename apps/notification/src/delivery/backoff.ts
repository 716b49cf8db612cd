/** Retry classification and backoff: pure, unit-tested. */

export interface SendResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  /** false: never retry (a 4xx other than 408/429, a permanent SMTP 5xx, a missing endpoint). */
  retryable: boolean;
}

/** 2xx delivered; 408, 429 and 5xx retried; any other status (3xx, 4xx) is final. */
export function classifyHttpStatus(status: number): SendResult {
  if (status >= 200 && status < 300) return { ok: true, statusCode: status, retryable: false };
  const retryable = status >= 500 || status === 408 || status === 429;
  return { ok: false, statusCode: status, error: `HTTP ${status}`, retryable };
}

/**
 * Delay before the next attempt after `attempt` failed ones (1-based): base·2^(attempt−1), capped,
 * with "equal jitter" (half fixed, half random) so receivers coming back are not hit in lockstep.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'dead';

/** What a send result means for the delivery, given the attempts made in this run (this one included). */
export function outcomeOf(result: SendResult, runAttempts: number, maxAttempts: number): AttemptOutcome {
  if (result.ok) return 'delivered';
  if (!result.retryable) return 'failed';
  return runAttempts >= maxAttempts ? 'dead' : 'retry';
}
