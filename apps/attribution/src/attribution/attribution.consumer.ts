import { Injectable } from '@nestjs/common';
import type { TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { AttributionService } from './attribution.service';

/** Thin: one handler per topic, each inside the inbox transaction. */
@Injectable()
export class AttributionConsumer implements EventHandlerSet {
  constructor(private readonly attribution: AttributionService) {}

  handlers(): TopicHandlers {
    return {
      campaigns: (event, ctx) => this.attribution.onCampaign(event, ctx.manager),
      impressions: (event, ctx) => this.attribution.onImpression(event, ctx.manager),
      clicks: (event, ctx) => this.attribution.onClick(event, ctx.manager),
      'offer-matches': async (event, ctx) => {
        // offer-match.declined is offer-matching's own outcome; nothing to attribute.
        if (event.type === 'offer-match.matched') await this.attribution.onMatched(event, ctx.manager, (items) => ctx.publish(items));
      },
      'card-transactions': async (event, ctx) => {
        const publish = (items: Parameters<typeof ctx.publish>[0]) => ctx.publish(items);
        if (event.type === 'card-transaction.settled') await this.attribution.onSettled(event, ctx.manager, publish);
        else if (event.type === 'card-transaction.refunded') await this.attribution.onRefunded(event, ctx.manager, publish);
        else if (event.type === 'card-transaction.reversed') await this.attribution.onReversed(event, ctx.manager, publish);
        // authorizations: the match carries what attribution needs
      },
    };
  }
}
