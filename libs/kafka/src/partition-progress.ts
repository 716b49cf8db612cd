/**
 * Which partitions a consumer holds messages for without getting them committed, and since
 * when. Readiness reads it: a partition that has messages in hand (lag) and has made no
 * progress for longer than `stallAfterMs` turns the service unready, whatever else is fine.
 * It also counts the attempts at one stubborn message across fetches (a partition that backs
 * off is paused and its messages fetched again), so that every retry loop has an end.
 */
export class PartitionProgress {
  private readonly inHand = new Map<string, number>();
  private readonly attempts = new Map<string, { offset: string; count: number }>();

  constructor(
    private readonly stallAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private static key(topic: string, partition: number): string {
    return `${topic}[${partition}]`;
  }

  /** Messages of the partition are in hand; the clock starts unless it runs already. */
  working(topic: string, partition: number): void {
    const key = PartitionProgress.key(topic, partition);
    if (!this.inHand.has(key)) this.inHand.set(key, this.now());
  }

  /** What was in hand is committed: no longer stalled, attempts forgotten. */
  progressed(topic: string, partition: number): void {
    const key = PartitionProgress.key(topic, partition);
    this.inHand.delete(key);
    this.attempts.delete(key);
  }

  /** One more failed attempt at the message at `offset`; returns how many there have been. */
  failedAttempt(topic: string, partition: number, offset: string): number {
    const key = PartitionProgress.key(topic, partition);
    const seen = this.attempts.get(key);
    const count = seen && seen.offset === offset ? seen.count + 1 : 1;
    this.attempts.set(key, { offset, count });
    return count;
  }

  /** After a rebalance: what this member holds is new. */
  reset(): void {
    this.inHand.clear();
    this.attempts.clear();
  }

  /** Partitions with messages in hand and no progress for longer than stallAfterMs, with how long. */
  stalled(): { partition: string; forMs: number }[] {
    const now = this.now();
    return [...this.inHand]
      .map(([partition, since]) => ({ partition, forMs: now - since }))
      .filter((s) => s.forMs > this.stallAfterMs);
  }
}
