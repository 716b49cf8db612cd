/**
 * Counts events per key in fixed windows (default one minute), in memory. Cheap enough for the
 * redirect's hot path; per replica, so limits are per replica (documented). Stale keys are
 * dropped when their window is over.
 */
export class RateWindow {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(private readonly windowMs = 60_000) {}

  /** Counts one event for `key` at `nowMs`; returns the count in the current window, this one included. */
  hit(key: string, nowMs: number): number {
    const w = Math.floor(nowMs / this.windowMs);
    if (w !== this.window) {
      this.window = w;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
}
