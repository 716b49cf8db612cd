import { Injectable } from '@nestjs/common';
import type { TopicBatchHandlers, TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { EnqueueService } from './enqueue.service';

/** Thin: each event only enqueues deliveries (in the inbox transaction). */
@Injectable()
export class NotificationConsumer implements EventHandlerSet {
  constructor(private readonly enqueue: EnqueueService) {}

  handlers(): TopicHandlers {
    return {
      'budget-events': (event, ctx) => this.enqueue.onBudget(event, ctx.manager),
      payouts: (event, ctx) => this.enqueue.onPayout(event, ctx.manager),
      conversions: (event, ctx) => this.enqueue.onConversion(event, ctx.manager),
    };
  }

  /** Rewards and campaign snapshots a chunk at a time: their lookups cost the same round trips for one event as for a chunk. */
  batchHandlers(): TopicBatchHandlers {
    return {
      rewards: (events, ctx) => this.enqueue.onRewards(events, ctx.manager),
      campaigns: (events, ctx) => this.enqueue.onCampaigns(events, ctx.manager),
    };
  }
}
