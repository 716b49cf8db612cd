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
      campaigns: (event, ctx) => this.matching.onCampaign(event, ctx.manager),
      'budget-events': (event, ctx) => this.matching.onBudget(event, ctx.manager),
      clicks: (event, ctx) => this.matching.onClick(event, ctx.manager),
    };
  }

  /** Card transactions a chunk at a time: most of a bank's feed matches no campaign, and costs one round trip per chunk. */
  batchHandlers(): TopicBatchHandlers {
    return {
      'card-transactions': (events, ctx) => this.matching.onTransactions(events, ctx.manager, (items) => ctx.publish(items)),
    };
  }
}
