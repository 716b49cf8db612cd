import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ClickRecordedV1, ImpressionRecordedV1, newEnvelope } from '@prestanda/contracts';
import { enqueueEvents } from '@prestanda/persistence';
import { MessagingRuntime } from '@prestanda/service-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AffiliateEnv } from '../config';
import { RateWindow } from './rate-window';
import { ClickWriter, findLink, type LinkTarget } from './tracking.repository';
import { clickFraudReason, isBotUserAgent, keyedHash, landingUrl, newClickId, referrerHost, subIdsOf, truncateIp } from './tracking-rules';

export const SERVICE = 'affiliate';

/** What the edge knows of a request: nothing is stored raw. */
export interface VisitRequest {
  code: string;
  ip: string;
  userAgent?: string;
  referrer?: string;
  visitorId?: string;
  query: Record<string, unknown>;
  now: Date;
}

export type VisitAnswer =
  | { kind: 'redirect'; location: string; clickId?: string; visitorId?: string; outcome: 'recorded' | 'flagged' | 'unknown-link' | 'inactive-program' }
  | { kind: 'rate-limited'; retryAfterSeconds: number };

/**
 * The redirect edge: `/c/<code>` records the click (and its `click.recorded`, unless flagged) in
 * one statement before answering 302 to the landing URL with the click id; `/i/<code>` records an
 * impression. Unknown links and paused programs go to a fallback URL, never an error page.
 */
@Injectable()
export class TrackingService {
  private readonly links = new Map<string, { at: number; link: LinkTarget | undefined }>();
  private readonly perNetwork = new RateWindow();
  private readonly perPublisher = new RateWindow();
  /** Keyed hashes of recent networks and user agents (deterministic: the same input, the same hash). */
  private readonly hashes = new Map<string, string>();
  private readonly clicks = new ClickWriter(() => this.dataSource.manager);

  constructor(
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    @Inject(AffiliateEnv) private readonly config: AffiliateEnv,
  ) {}

  async click(req: VisitRequest): Promise<VisitAnswer> {
    const network = this.hash(`n:${truncateIp(req.ip)}`);
    const seen = this.perNetwork.hit(network, req.now.getTime());
    if (this.config.AFFILIATE_RATE_LIMIT_PER_MINUTE > 0 && seen > this.config.AFFILIATE_RATE_LIMIT_PER_MINUTE) return { kind: 'rate-limited', retryAfterSeconds: 60 - (Math.floor(req.now.getTime() / 1000) % 60) };

    const link = await this.link(req.code, req.now.getTime());
    if (!link) return { kind: 'redirect', location: this.config.AFFILIATE_FALLBACK_URL, outcome: 'unknown-link' };
    if (!link.active || link.status !== 'active' || !link.affiliate) {
      return { kind: 'redirect', location: link.affiliate?.fallbackUrl ?? this.config.AFFILIATE_FALLBACK_URL, outcome: 'inactive-program' };
    }

    // The publisher's counter counts every click of its links, flagged ones too.
    const fraudReason = clickFraudReason(req.userAgent, seen, this.perPublisher.hit(link.publisherId, req.now.getTime()), {
      floodPerNetwork: this.config.AFFILIATE_CLICK_FLOOD_PER_MINUTE,
      floodPerPublisher: this.config.AFFILIATE_PUBLISHER_FLOOD_PER_MINUTE,
    });
    const clickId = newClickId();
    const visitorId = visitorOf(req);
    const location = landingUrl(link.affiliate, typeof req.query.url === 'string' ? req.query.url : undefined, clickId);
    // A redirect click has no inbound event: it is its own origin (inboundEventId = its event id).
    const eventId = randomUUID();
    const event = newEnvelope(ClickRecordedV1, {
      source: SERVICE,
      occurredAt: req.now.toISOString(),
      eventId,
      data: { clickId, customerId: `web-${visitorId}`, campaignId: link.campaignId, publisherId: link.publisherId, kind: 'click', at: req.now.toISOString(), reportedBy: SERVICE, inboundEventId: eventId },
    });
    await this.clicks.write(
      {
        clickId,
        campaignId: link.campaignId,
        advertiserId: link.advertiserId,
        publisherId: link.publisherId,
        programVersion: link.version,
        trackingCode: link.code,
        subIds: subIdsOf(req.query),
        landingUrl: location,
        referrerHost: referrerHost(req.referrer),
        ipHash: network,
        userAgentHash: this.hash(`u:${req.userAgent ?? ''}`),
        fraudReason,
        at: req.now,
      },
      fraudReason ? [] : [{ topic: 'clicks', key: event.data.customerId, event }],
    );
    if (!fraudReason) this.messaging().nudgeRelay();
    return { kind: 'redirect', location, clickId, visitorId, outcome: fraudReason ? 'flagged' : 'recorded' };
  }

  /** The impression pixel: an impression of the program by this affiliate (CPM), unless a robot asked. */
  async impression(req: VisitRequest): Promise<'recorded' | 'ignored'> {
    const link = await this.link(req.code, req.now.getTime());
    if (!link?.active || link.status !== 'active' || isBotUserAgent(req.userAgent)) return 'ignored';
    const visitorId = visitorOf(req);
    const eventId = randomUUID();
    const event = newEnvelope(ImpressionRecordedV1, {
      source: SERVICE,
      occurredAt: req.now.toISOString(),
      eventId,
      data: { impressionId: `i_${randomBytes(16).toString('base64url')}`, customerId: `web-${visitorId}`, campaignId: link.campaignId, publisherId: link.publisherId, placement: 'affiliate-pixel', at: req.now.toISOString(), reportedBy: SERVICE, inboundEventId: eventId },
    });
    await enqueueEvents(this.dataSource.manager, [{ topic: 'impressions', key: event.data.customerId, event }]);
    this.messaging().nudgeRelay();
    return 'recorded';
  }

  private async link(code: string, nowMs: number): Promise<LinkTarget | undefined> {
    if (!/^[A-Za-z0-9_-]{6,40}$/.test(code)) return undefined;
    const cached = this.links.get(code);
    if (cached && nowMs - cached.at < this.config.AFFILIATE_LINK_CACHE_MS) return cached.link;
    const link = await findLink(this.dataSource.manager, code);
    if (this.links.size > 100_000) this.links.clear();
    this.links.set(code, { at: nowMs, link });
    return link;
  }

  /** keyedHash of the value after its two-character kind prefix, remembered for the next request from there. */
  private hash(prefixed: string): string {
    let h = this.hashes.get(prefixed);
    if (h === undefined) {
      h = keyedHash(this.config.AFFILIATE_HASH_KEY, prefixed.slice(2));
      if (this.hashes.size >= 10_000) this.hashes.clear();
      this.hashes.set(prefixed, h);
    }
    return h;
  }

  private runtime?: MessagingRuntime;
  /** Resolved once (lazily: the runtime depends on the handler set), not on every click. */
  private messaging(): MessagingRuntime {
    return (this.runtime ??= this.moduleRef.get(MessagingRuntime, { strict: false }));
  }
}

/** The visitor's id from our cookie when well-formed, else a new one (random, never derived from the person). */
function visitorOf(req: VisitRequest): string {
  return req.visitorId && /^[A-Za-z0-9_-]{16,40}$/.test(req.visitorId) ? req.visitorId : randomBytes(12).toString('base64url');
}
