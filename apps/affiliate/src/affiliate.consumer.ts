import { Injectable } from '@nestjs/common';
import type { TopicBatchHandlers, TopicHandlers } from '@prestanda/kafka';
import type { EventHandlerSet } from '@prestanda/service-kit';
import { ProgramsService } from './programs/programs.service';

/** Thin: campaign snapshots a chunk at a time keep the program read model. */
@Injectable()
export class AffiliateConsumer implements EventHandlerSet {
  constructor(private readonly programs: ProgramsService) {}

  handlers(): TopicHandlers {
    return {};
  }

  batchHandlers(): TopicBatchHandlers {
    return {
      campaigns: (events, ctx) => this.programs.onCampaigns(events, ctx.manager),
    };
  }
}
