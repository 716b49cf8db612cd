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
      conversions: (event, ctx) => this.billing.onConversionEvent(event, ctx.manager, (items) => ctx.publish(items)),
      clicks: (event, ctx) => this.billing.onClick(event, ctx.manager, (items) => ctx.publish(items)),
      leads: (event, ctx) => this.billing.onLead(event, ctx.manager, (items) => ctx.publish(items)),
      impressions: (event, ctx) => this.billing.onImpression(event, ctx.manager, (items) => ctx.publish(items)),
    };
  }

  /** Campaign snapshots and rewards a chunk at a time (set-based reads and writes). */
  batchHandlers(): TopicBatchHandlers {
    return {
      campaigns: (events, ctx) => this.billing.onCampaigns(events, ctx.manager, (items) => ctx.publish(items)),
      rewards: (events, ctx) => this.billing.onRewards(events, ctx.manager, (items) => ctx.publish(items)),
    };
  }
}
