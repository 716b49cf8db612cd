import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createLogger } from '@prestanda/observability';
import { AffiliateEnv } from '../config';
import { ConversionsService } from './conversions.service';

const log = createLogger('affiliate');

/** Confirms commissions past their lock period, every AFFILIATE_CONFIRM_INTERVAL_MS (replicas share the work: SKIP LOCKED). */
@Injectable()
export class ConfirmSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly conversions: ConversionsService,
    @Inject(AffiliateEnv) private readonly config: AffiliateEnv,
  ) {}

  onApplicationBootstrap(): void {
    const ms = this.config.AFFILIATE_CONFIRM_INTERVAL_MS;
    if (!ms) return;
    this.timer = setInterval(() => void this.sweep(), ms);
    this.timer.unref();
  }

  async sweep(now = new Date()): Promise<void> {
    if (this.running) return;
    this.running = this.conversions
      .confirmDue(now)
      .then((n) => n && log.info({ confirmed: n }, 'commissions past their lock period confirmed'))
      .catch((error: unknown) => log.warn({ err: error }, 'confirmation sweep failed; retried next round'))
      .finally(() => (this.running = undefined));
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
