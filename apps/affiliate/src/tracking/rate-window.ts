/**
 * Counts events per key over the last one to two windows (default one minute each), in memory:
 * the count is this window's plus the previous window's, so a burst that straddles a window
 * boundary is still counted whole. Cheap enough for the redirect's hot path; per replica, so
 * limits are per replica (documented). Keys of older windows are dropped as windows pass.
 */
export class RateWindow {
  private window = 0;
  private current = new Map<string, number>();
  private previous = new Map<string, number>();

  constructor(private readonly windowMs = 60_000) {}

  /** Counts one event for `key` at `nowMs`; returns the count over this and the previous window, this one included. */
  hit(key: string, nowMs: number): number {
    const w = Math.floor(nowMs / this.windowMs);
    if (w !== this.window) {
      this.previous = w === this.window + 1 ? this.current : new Map();
      this.current = new Map();
      this.window = w;
    }
    const n = (this.current.get(key) ?? 0) + 1;
    this.current.set(key, n);
    return n + (this.previous.get(key) ?? 0);
  }
}
