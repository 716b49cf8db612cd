import { Injectable } from '@nestjs/common';
import type { EventHandlerSet } from '@prestanda/service-kit';
import type { TopicBatchHandlers, TopicHandlers } from '@prestanda/kafka';
import { BillingService } from './billing.service';

/** Thin: one handler per topic, each in the inbox transaction. */
@Injectable()
export class BillingConsumer implements EventHandlerSet {
  constructor(private readonly billing: BillingService) {}

  handlers(): TopicHandlers {
    return {
      rewards: async (event, ctx) => {
        const publish = (items: Parameters<typeof ctx.publish>[0]) => ctx.publish(items);
        if (event.type === 'reward.earned') return this.billing.onRewardEarned(event, ctx.manager, publish);
        if (event.type === 'reward.reversed') return this.billing.onRewardReversed(event, ctx.manager, publish);
        if (event.type === 'reward.confirmed') return this.billing.onRewardConfirmed(event, ctx.manager);
        // reward.paid: billing's own payout batches already moved the money.
      },
      conversions: (event, ctx) => this.billing.onConversion(event, ctx.manager, (items) => ctx.publish(items)),
      clicks: (event, ctx) => this.billing.onClick(event, ctx.manager, (items) => ctx.publish(items)),
      leads: (event, ctx) => this.billing.onLead(event, ctx.manager, (items) => ctx.publish(items)),
      impressions: (event, ctx) => this.billing.onImpression(event, ctx.manager, (items) => ctx.publish(items)),
    };
  }

  /** Campaign snapshots a chunk at a time (a new world of them arrives at once). */
  batchHandlers(): TopicBatchHandlers {
    return {
      campaigns: (events, ctx) => this.billing.onCampaigns(events, ctx.manager, (items) => ctx.publish(items)),
    };
  }
}
