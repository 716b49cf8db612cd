import { Injectable } from '@nestjs/common';
import type { TopicBatchHandlers, TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { AttributionService } from './attribution.service';

/** Thin: one handler per topic, each inside the inbox transaction. */
@Injectable()
export class AttributionConsumer implements EventHandlerSet {
  constructor(private readonly attribution: AttributionService) {}

  handlers(): TopicHandlers {
    return {
      impressions: (event, ctx) => this.attribution.onImpression(event, ctx.manager),
      clicks: (event, ctx) => this.attribution.onClick(event, ctx.manager),
    };
  }

  /** Matches, and settlements, refunds and reversals, a chunk at a time (set-based reads and writes). */
  batchHandlers(): TopicBatchHandlers {
    return {
      campaigns: (events, ctx) => this.attribution.onCampaigns(events, ctx.manager),
      // offer-match.declined is offer-matching's own outcome; nothing to attribute.
      'offer-matches': (events, ctx) =>
        this.attribution.onMatches(
          events.filter((e) => e.type === 'offer-match.matched'),
          ctx.manager,
          (items) => ctx.publish(items),
        ),
      'card-transactions': (events, ctx) => this.attribution.onFacts(events, ctx.manager, (items) => ctx.publish(items)),
    };
  }
}
