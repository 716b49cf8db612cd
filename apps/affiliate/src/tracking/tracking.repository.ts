import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { CampaignAffiliateV1, CampaignStatus } from '@prestanda/contracts';
import { writeWithEvents, type OutboxItem } from '@prestanda/persistence';
import type { EntityManager } from 'typeorm';

/** A tracking link with what the redirect needs of its program. */
export interface LinkTarget {
  code: string;
  campaignId: string;
  advertiserId: string;
  publisherId: string;
  active: boolean;
  version: number;
  status: CampaignStatus;
  affiliate: CampaignAffiliateV1 | null;
}

export async function findLink(m: EntityManager, code: string): Promise<LinkTarget | undefined> {
  const rows: { code: string; campaign_id: string; advertiser_id: string; publisher_id: string; active: boolean; version: number; status: CampaignStatus; affiliate: CampaignAffiliateV1 | null }[] = await m.query(
    `SELECT l.code, l.campaign_id, l.advertiser_id, l.publisher_id, l.active, p.version, p.status, p.terms->'affiliate' AS affiliate
       FROM "affiliate"."tracking_links" l JOIN "affiliate"."programs" p ON p.campaign_id = l.campaign_id
      WHERE l.code = $1`,
    [code],
  );
  const r = rows[0];
  return r && { code: r.code, campaignId: r.campaign_id, advertiserId: r.advertiser_id, publisherId: r.publisher_id, active: r.active, version: r.version, status: r.status, affiliate: r.affiliate };
}

export interface ClickWrite {
  clickId: string;
  campaignId: string;
  advertiserId: string;
  publisherId: string;
  programVersion: number;
  trackingCode: string;
  subIds: Record<string, string>;
  landingUrl: string;
  referrerHost: string | null;
  ipHash: string;
  userAgentHash: string;
  fraudReason: string | null;
  at: Date;
}

/** The click rows and their events (none for a flagged click) in one statement: durable together, one round trip. */
export async function recordClicks(m: EntityManager, clicks: ClickWrite[], events: OutboxItem[]): Promise<void> {
  const params: unknown[] = [];
  const values = clicks.map((c) => {
    const at = params.length;
    params.push(c.clickId, c.campaignId, c.advertiserId, c.publisherId, c.programVersion, c.trackingCode, JSON.stringify(c.subIds), c.landingUrl, c.referrerHost, c.ipHash, c.userAgentHash, c.fraudReason, c.at.toISOString());
    return `(${Array.from({ length: 13 }, (_, i) => `$${at + i + 1}`).join(', ')})`;
  });
  await writeWithEvents(
    m,
    `INSERT INTO "affiliate"."clicks" (click_id, campaign_id, advertiser_id, publisher_id, program_version, tracking_code, sub_ids, landing_url, referrer_host, ip_hash, user_agent_hash, fraud_reason, at)
     VALUES ${values.join(', ')}`,
    params,
    events,
  );
}

interface PendingClick {
  click: ClickWrite;
  events: OutboxItem[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the redirect: clicks that arrive while earlier ones are being written go
 * together in the next statement (at most `maxBatch`, at most `maxInFlight` statements at once),
 * so a busy edge commits many clicks per round trip and WAL flush. Each click's promise settles
 * only when the statement holding it has committed: every 302 still follows its own durable row.
 * No timer: a click that finds a free slot is written at once. A failed batch is retried click by
 * click, so one bad click fails alone. Each event carries the trace context of its own request
 * (captured here; the batch is written outside any request's context).
 */
export class ClickWriter {
  private readonly queue: PendingClick[] = [];
  private inFlight = 0;

  constructor(
    private readonly manager: () => EntityManager,
    private readonly maxInFlight = 4,
    private readonly maxBatch = 200,
  ) {}

  write(click: ClickWrite, events: OutboxItem[]): Promise<void> {
    const trace: Record<string, string> = {};
    propagation.inject(context.active(), trace);
    const traced = events.map((e) => ({ ...e, headers: { ...trace, ...e.headers } }));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ click, events: traced, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void context.with(ROOT_CONTEXT, () => this.flush(batch)).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: PendingClick[]): Promise<void> {
    try {
      await recordClicks(this.manager(), batch.map((b) => b.click), batch.flatMap((b) => b.events));
      for (const b of batch) b.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const b of batch) await this.flush([b]);
    }
  }
}
