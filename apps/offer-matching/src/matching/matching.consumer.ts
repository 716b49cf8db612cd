import { Injectable } from '@nestjs/common';
import type { TopicBatchHandlers, TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { MatchingService } from './matching.service';

/** Thin: one handler per topic, each inside the inbox transaction (ctx.manager). */
@Injectable()
export class MatchingConsumer implements EventHandlerSet {
  constructor(private readonly matching: MatchingService) {}

  handlers(): TopicHandlers {
    return {
      'budget-events': (event, ctx) => this.matching.onBudget(event, ctx.manager),
      clicks: (event, ctx) => this.matching.onClick(event, ctx.manager),
    };
  }

  /** Snapshots and card transactions a chunk at a time: most of a bank's feed matches no campaign, and costs a few round trips per chunk. */
  batchHandlers(): TopicBatchHandlers {
    return {
      campaigns: (events, ctx) => this.matching.onCampaigns(events, ctx.manager),
      'card-transactions': (events, ctx) => this.matching.onTransactions(events, ctx.manager, (items) => ctx.publish(items)),
      'attribution-decisions': (events, ctx) => this.matching.onAttributionDeclines(events, ctx.manager),
    };
  }
}
