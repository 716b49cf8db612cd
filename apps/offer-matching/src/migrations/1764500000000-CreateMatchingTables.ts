import { MigrationInterface, QueryRunner } from 'typeorm';

/** offer-matching's tables: campaign read model, merchant index, history, purchases, outcomes, budgets, activations. */
export class CreateMatchingTables1764500000000 implements MigrationInterface {
  name = 'CreateMatchingTables1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "offer_matching"."campaigns" (
      "campaign_id" text NOT NULL,
      "version" integer NOT NULL,
      "advertiser_id" text NOT NULL,
      "status" text NOT NULL,
      "snapshot" jsonb NOT NULL,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_om_campaigns" PRIMARY KEY ("campaign_id"))`);
    await q.query(`CREATE INDEX "IDX_om_campaigns_status" ON "offer_matching"."campaigns" ("status")`);

    await q.query(`CREATE TABLE "offer_matching"."merchant_index" (
      "id" BIGSERIAL NOT NULL,
      "campaign_id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "merchant_id" text NOT NULL,
      "kind" text NOT NULL,
      "key" text NOT NULL,
      "like_pattern" text,
      "mccs" text array,
      CONSTRAINT "PK_om_merchant_index" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_om_merchant_index_kind_key" ON "offer_matching"."merchant_index" ("kind", "key")`);
    await q.query(`CREATE INDEX "IDX_om_merchant_index_campaign" ON "offer_matching"."merchant_index" ("campaign_id")`);

    await q.query(`CREATE TABLE "offer_matching"."purchase_history" (
      "customer_id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "first_purchase_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "last_purchase_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "purchase_count" integer NOT NULL,
      CONSTRAINT "PK_om_purchase_history" PRIMARY KEY ("customer_id", "advertiser_id"))`);

    await q.query(`CREATE TABLE "offer_matching"."purchases" (
      "bank_source" text NOT NULL,
      "transaction_id" text NOT NULL,
      "purchase_id" text NOT NULL,
      "customer_id" text NOT NULL,
      "kind" text NOT NULL,
      "amount_minor" bigint NOT NULL,
      "currency" text NOT NULL,
      "transaction_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "evaluated" boolean NOT NULL,
      "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_om_purchases" PRIMARY KEY ("bank_source", "transaction_id"))`);
    await q.query(`CREATE INDEX "IDX_om_purchases_purchase" ON "offer_matching"."purchases" ("purchase_id")`);

    await q.query(`CREATE TABLE "offer_matching"."match_outcomes" (
      "purchase_id" text NOT NULL,
      "campaign_id" text NOT NULL,
      "campaign_version" integer NOT NULL,
      "customer_id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "merchant_id" text NOT NULL,
      "matched_by" text NOT NULL,
      "bank_source" text NOT NULL,
      "transaction_id" text NOT NULL,
      "transaction_kind" text NOT NULL,
      "outcome" text NOT NULL,
      "reason_code" text NOT NULL,
      "audience_segment" text NOT NULL,
      "purchase_amount_minor" bigint NOT NULL,
      "currency" text NOT NULL,
      "reward_minor" bigint,
      "fee_minor" bigint,
      "transaction_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "evaluated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_om_match_outcomes" PRIMARY KEY ("purchase_id", "campaign_id"))`);
    await q.query(`CREATE INDEX "IDX_om_match_outcomes_campaign_customer" ON "offer_matching"."match_outcomes" ("campaign_id", "customer_id", "outcome")`);

    await q.query(`CREATE TABLE "offer_matching"."budget_reservations" (
      "campaign_id" text NOT NULL,
      "currency" text NOT NULL,
      "total_minor" bigint NOT NULL,
      "reserved_minor" bigint NOT NULL,
      "daily_minor" bigint,
      "daily_day" text,
      "daily_reserved_minor" bigint NOT NULL,
      "exhausted" boolean NOT NULL,
      "daily_exhausted_day" text,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_om_budget_reservations" PRIMARY KEY ("campaign_id"))`);

    await q.query(`CREATE TABLE "offer_matching"."activations" (
      "customer_id" text NOT NULL,
      "campaign_id" text NOT NULL,
      "click_id" text NOT NULL,
      "publisher_id" text NOT NULL,
      "activated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_om_activations" PRIMARY KEY ("customer_id", "campaign_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['activations', 'budget_reservations', 'match_outcomes', 'purchases', 'purchase_history', 'merchant_index', 'campaigns']) {
      await q.query(`DROP TABLE "offer_matching"."${t}"`);
    }
  }
}
