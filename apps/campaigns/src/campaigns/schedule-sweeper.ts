import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createLogger } from '@prestanda/observability';
import { CAMPAIGNS_CONFIG, type CampaignsEnv } from '../config';
import { CampaignsService } from './campaigns.service';

const log = createLogger('campaigns');

/** Ends campaigns whose schedule is over, every CAMPAIGNS_SCHEDULE_SWEEP_SECONDS. */
@Injectable()
export class ScheduleSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly campaigns: CampaignsService,
    @Inject(CAMPAIGNS_CONFIG) private readonly config: CampaignsEnv,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.CAMPAIGNS_SCHEDULE_SWEEP_SECONDS;
    if (!seconds) return;
    this.timer = setInterval(() => void this.sweep(), seconds * 1000);
    this.timer.unref();
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = this.campaigns
      .endExpired()
      .then((ended) => ended.length && log.info({ ended }, 'campaigns past their schedule ended'))
      .catch((error: unknown) => log.warn({ err: error }, 'schedule sweep failed; retried next round'))
      .finally(() => (this.running = undefined));
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
