const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until the assertion passes or the time is up; the last failure is rethrown, so the
 * test says what was still wrong.
 */
export async function eventually<T>(assertion: () => Promise<T> | T, { timeoutMs = 30000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await sleep(intervalMs);
  }
}
