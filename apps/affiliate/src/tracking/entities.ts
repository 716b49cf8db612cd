import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A click on a tracking link, recorded before the redirect answers. No raw IP or user agent: keyed hashes only. */
@Entity({ name: 'clicks' })
@Index('IX_affiliate_clicks_publisher_at', ['publisherId', 'at'])
@Index('IX_affiliate_clicks_advertiser_at', ['advertiserId', 'at'])
export class ClickRow {
  @PrimaryColumn({ name: 'click_id', type: 'text' }) clickId: string;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId: string;
  @Column({ name: 'advertiser_id', type: 'text' }) advertiserId: string;
  @Column({ name: 'publisher_id', type: 'text' }) publisherId: string;
  @Column({ name: 'program_version', type: 'integer' }) programVersion: number;
  @Column({ name: 'tracking_code', type: 'text' }) trackingCode: string;
  @Column({ name: 'sub_ids', type: 'jsonb' }) subIds: Record<string, string>;
  @Column({ name: 'landing_url', type: 'text' }) landingUrl: string;
  @Column({ name: 'referrer_host', type: 'text', nullable: true }) referrerHost: string | null;
  @Column({ name: 'ip_hash', type: 'text' }) ipHash: string;
  @Column({ name: 'user_agent_hash', type: 'text' }) userAgentHash: string;
  /** Why the click is not charged (click-flood, bot-user-agent); null: a valid click. */
  @Column({ name: 'fraud_reason', type: 'text', nullable: true }) fraudReason: string | null;
  @Column({ type: 'timestamptz' }) at: Date;
}
