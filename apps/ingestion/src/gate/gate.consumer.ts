import { Injectable } from '@nestjs/common';
import type { TopicBatchHandlers, TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { GateService } from './gate.service';

/**
 * The inbound topics. The consumer has already validated each message against its contract
 * (and dead-lettered the invalid ones, redacting card numbers); the gate does the rest in the
 * consumer's transaction, a chunk at a time. A GateRefusal fails the chunk: the consumer then
 * applies its events one at a time, and dead-letters the refused one with code `rejected` and
 * its reason.
 */
@Injectable()
export class GateConsumer implements EventHandlerSet {
  constructor(private readonly gate: GateService) {}

  handlers(): TopicHandlers {
    return {};
  }

  batchHandlers(): TopicBatchHandlers {
    return {
      'inbound.card-transactions': async (events, ctx) => void (await this.gate.admitAll('inbound.card-transactions', events, ctx.manager, ctx.publish, 'kafka')),
      'inbound.impressions': async (events, ctx) => void (await this.gate.admitAll('inbound.impressions', events, ctx.manager, ctx.publish, 'kafka')),
      'inbound.clicks': async (events, ctx) => void (await this.gate.admitAll('inbound.clicks', events, ctx.manager, ctx.publish, 'kafka')),
      'inbound.leads': async (events, ctx) => void (await this.gate.admitAll('inbound.leads', events, ctx.manager, ctx.publish, 'kafka')),
    };
  }
}
