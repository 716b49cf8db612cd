import { Injectable } from '@nestjs/common';
import { TopicHandlers } from '@prestanda/kafka';
import { EventHandlerSet } from '@prestanda/service-kit';
import { EnqueueService } from './enqueue.service';

/** Thin: each event only enqueues deliveries (in the inbox transaction). */
@Injectable()
export class NotificationConsumer implements EventHandlerSet {
  constructor(private readonly enqueue: EnqueueService) {}

  handlers(): TopicHandlers {
    return {
      rewards: (event, ctx) => this.enqueue.onReward(event, ctx.manager),
      'budget-events': (event, ctx) => this.enqueue.onBudget(event, ctx.manager),
      campaigns: (event, ctx) => this.enqueue.onCampaign(event, ctx.manager),
      payouts: (event, ctx) => this.enqueue.onPayout(event, ctx.manager),
    };
  }
}
