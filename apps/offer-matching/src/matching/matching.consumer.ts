import { Injectable } from '@nestjs/common';
import type { TopicHandlers } from '@prestanda/kafka';
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
      'card-transactions': (event, ctx) => this.matching.onTransaction(event, ctx.manager, (items) => ctx.publish(items)),
    };
  }
}
