import { Injectable } from '@nestjs/common';
import type { TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { GateService } from './gate.service';

/**
 * The inbound topics. The consumer has already validated each message against its contract
 * (and dead-lettered the invalid ones, redacting card numbers); the gate does the rest in the
 * consumer's transaction. A GateRefusal is dead-lettered with code `rejected` and its reason.
 */
@Injectable()
export class GateConsumer implements EventHandlerSet {
  constructor(private readonly gate: GateService) {}

  handlers(): TopicHandlers {
    return {
      'inbound.card-transactions': async (event, ctx) => void (await this.gate.admit('inbound.card-transactions', event, ctx.manager, ctx.publish, 'kafka')),
      'inbound.impressions': async (event, ctx) => void (await this.gate.admit('inbound.impressions', event, ctx.manager, ctx.publish, 'kafka')),
      'inbound.clicks': async (event, ctx) => void (await this.gate.admit('inbound.clicks', event, ctx.manager, ctx.publish, 'kafka')),
      'inbound.leads': async (event, ctx) => void (await this.gate.admit('inbound.leads', event, ctx.manager, ctx.publish, 'kafka')),
    };
  }
}
