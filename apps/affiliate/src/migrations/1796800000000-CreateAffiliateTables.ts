import { MigrationInterface, QueryRunner } from 'typeorm';

/** The affiliate network: program read model (every version), tracking links, voucher codes, clicks, conversions and their adjustments, postback secrets. */
export class CreateAffiliateTables1796800000000 implements MigrationInterface {
  name = 'CreateAffiliateTables1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "affiliate"."programs" (
      "campaign_id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "version" integer NOT NULL,
      "status" text NOT NULL,
      "terms" jsonb NOT NULL,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_affiliate_programs" PRIMARY KEY ("campaign_id"))`);
    await q.query(`CREATE INDEX "IX_affiliate_programs_advertiser" ON "affiliate"."programs" ("advertiser_id")`);
    await q.query(`CREATE TABLE "affiliate"."program_versions" (
      "campaign_id" text NOT NULL,
      "version" integer NOT NULL,
      "terms" jsonb NOT NULL,
      CONSTRAINT "PK_affiliate_program_versions" PRIMARY KEY ("campaign_id", "version"))`);
    await q.query(`CREATE TABLE "affiliate"."tracking_links" (
      "code" text NOT NULL,
      "campaign_id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "publisher_id" text NOT NULL,
      "active" boolean NOT NULL,
      CONSTRAINT "PK_affiliate_tracking_links" PRIMARY KEY ("code"))`);
    await q.query(`CREATE INDEX "IX_affiliate_tracking_links_campaign" ON "affiliate"."tracking_links" ("campaign_id")`);
    await q.query(`CREATE TABLE "affiliate"."voucher_codes" (
      "advertiser_id" text NOT NULL,
      "code" text NOT NULL,
      "campaign_id" text NOT NULL,
      "publisher_id" text NOT NULL,
      "active" boolean NOT NULL,
      CONSTRAINT "PK_affiliate_voucher_codes" PRIMARY KEY ("advertiser_id", "code", "campaign_id"))`);
    await q.query(`CREATE INDEX "IX_affiliate_voucher_codes_campaign" ON "affiliate"."voucher_codes" ("campaign_id")`);
    await q.query(`CREATE TABLE "affiliate"."clicks" (
      "click_id" text NOT NULL,
      "campaign_id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "publisher_id" text NOT NULL,
      "program_version" integer NOT NULL,
      "tracking_code" text NOT NULL,
      "sub_ids" jsonb NOT NULL,
      "landing_url" text NOT NULL,
      "referrer_host" text,
      "ip_hash" text NOT NULL,
      "user_agent_hash" text NOT NULL,
      "fraud_reason" text,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_affiliate_clicks" PRIMARY KEY ("click_id"))`);
    await q.query(`CREATE INDEX "IX_affiliate_clicks_publisher_at" ON "affiliate"."clicks" ("publisher_id", "at")`);
    await q.query(`CREATE INDEX "IX_affiliate_clicks_advertiser_at" ON "affiliate"."clicks" ("advertiser_id", "at")`);
    await q.query(`CREATE TABLE "affiliate"."conversions" (
      "conversion_id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "order_id" text NOT NULL,
      "kind" text NOT NULL,
      "status" text NOT NULL,
      "hold_reason" text,
      "campaign_id" text,
      "publisher_id" text,
      "click_id" text,
      "voucher_code" text,
      "attributed_by" text,
      "program_version" integer,
      "currency" text NOT NULL,
      "order_amount_minor" bigint NOT NULL,
      "current_amount_minor" bigint NOT NULL,
      "commission_minor" bigint NOT NULL,
      "commission_reversed_minor" bigint NOT NULL,
      "fee_minor" bigint NOT NULL,
      "fee_reversed_minor" bigint NOT NULL,
      "converted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "locked_until" TIMESTAMP WITH TIME ZONE,
      "confirmed_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_affiliate_conversions" PRIMARY KEY ("conversion_id"),
      CONSTRAINT "UQ_affiliate_conversions_order" UNIQUE ("advertiser_id", "order_id"))`);
    await q.query(`CREATE INDEX "IX_affiliate_conversions_publisher_at" ON "affiliate"."conversions" ("publisher_id", "converted_at")`);
    await q.query(`CREATE INDEX "IX_affiliate_conversions_due" ON "affiliate"."conversions" ("status", "locked_until")`);
    await q.query(`CREATE TABLE "affiliate"."conversion_adjustments" (
      "conversion_id" text NOT NULL,
      "adjustment_id" text NOT NULL,
      "kind" text NOT NULL,
      "amount_removed_minor" bigint NOT NULL,
      "commission_reversed_minor" bigint NOT NULL,
      "fee_reversed_minor" bigint NOT NULL,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_affiliate_conversion_adjustments" PRIMARY KEY ("conversion_id", "adjustment_id"))`);
    await q.query(`CREATE TABLE "affiliate"."postback_secrets" (
      "advertiser_id" text NOT NULL,
      "secret" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_affiliate_postback_secrets" PRIMARY KEY ("advertiser_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['postback_secrets', 'conversion_adjustments', 'conversions', 'clicks', 'voucher_codes', 'tracking_links', 'program_versions', 'programs']) {
      await q.query(`DROP TABLE "affiliate"."${t}"`);
    }
  }
}
