import { Injectable } from '@nestjs/common';
import type { TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { CampaignsService } from './campaigns.service';

/** budget-events → campaign status (exhausted / back to active), each change a new snapshot. */
@Injectable()
export class BudgetEventsConsumer implements EventHandlerSet {
  constructor(private readonly campaigns: CampaignsService) {}

  handlers(): TopicHandlers {
    return {
      'budget-events': (event, ctx) => this.campaigns.onBudgetEvent(event, ctx.manager, (items) => ctx.publish(items)),
    };
  }
}
