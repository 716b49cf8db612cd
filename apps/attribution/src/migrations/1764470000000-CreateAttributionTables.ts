import { MigrationInterface, QueryRunner } from 'typeorm';

/** Attribution's tables: campaign read model, touchpoints, outcomes, rewards and their lifecycle. */
export class CreateAttributionTables1764470000000 implements MigrationInterface {
  name = 'CreateAttributionTables1764470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "attribution"."campaigns" (
      "campaign_id" text NOT NULL,
      "version" integer NOT NULL,
      "name" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "activation" text NOT NULL,
      "click_days" integer NOT NULL,
      "view_days" integer NOT NULL,
      "hold_period_days" integer NOT NULL,
      "publisher_share_basis_points" integer NOT NULL,
      "publisher_ids" jsonb NOT NULL,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_attribution_campaigns" PRIMARY KEY ("campaign_id"))`);
    await q.query(`CREATE TABLE "attribution"."touchpoints" (
      "touchpoint_id" text NOT NULL,
      "kind" text NOT NULL,
      "customer_id" text NOT NULL,
      "campaign_id" text NOT NULL,
      "publisher_id" text NOT NULL,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_attribution_touchpoints" PRIMARY KEY ("touchpoint_id"))`);
    await q.query(`CREATE INDEX "IX_attribution_touchpoints_customer_campaign_at" ON "attribution"."touchpoints" ("customer_id", "campaign_id", "at")`);
    await q.query(`CREATE TABLE "attribution"."match_outcomes" (
      "match_id" text NOT NULL,
      "purchase_id" text NOT NULL,
      "campaign_id" text NOT NULL,
      "customer_id" text NOT NULL,
      "merchant_id" text NOT NULL,
      "outcome" text NOT NULL,
      "reason_code" text NOT NULL,
      "reward_id" text,
      "purchase_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_attribution_match_outcomes" PRIMARY KEY ("match_id"))`);
    await q.query(`CREATE INDEX "IX_attribution_match_outcomes_customer" ON "attribution"."match_outcomes" ("customer_id", "decided_at")`);
    await q.query(`CREATE TABLE "attribution"."rewards" (
      "reward_id" text NOT NULL,
      "match_id" text NOT NULL,
      "purchase_id" text NOT NULL,
      "campaign_id" text NOT NULL,
      "customer_id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "merchant_id" text NOT NULL,
      "publisher_id" text NOT NULL,
      "bank_source" text NOT NULL,
      "attribution_method" text NOT NULL,
      "touchpoint_id" text,
      "status" text NOT NULL,
      "currency" text NOT NULL,
      "purchase_currency" text NOT NULL,
      "purchase_amount_minor" bigint NOT NULL,
      "earned_minor" bigint NOT NULL,
      "fee_minor" bigint NOT NULL,
      "share_minor" bigint NOT NULL,
      "kept_minor" bigint NOT NULL,
      "fee_kept_minor" bigint NOT NULL,
      "share_kept_minor" bigint NOT NULL,
      "refunded_minor" bigint NOT NULL,
      "applied_facts" jsonb NOT NULL,
      "hold_period_days" integer NOT NULL,
      "purchase_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "earned_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "settled_at" TIMESTAMP WITH TIME ZONE,
      "confirmed_at" TIMESTAMP WITH TIME ZONE,
      "reversed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "UQ_attribution_rewards_purchase_campaign" UNIQUE ("purchase_id", "campaign_id"),
      CONSTRAINT "PK_attribution_rewards" PRIMARY KEY ("reward_id"))`);
    await q.query(`CREATE INDEX "IX_attribution_rewards_customer" ON "attribution"."rewards" ("customer_id", "earned_at")`);
    await q.query(`CREATE TABLE "attribution"."reward_history" (
      "id" BIGSERIAL NOT NULL,
      "reward_id" text NOT NULL,
      "status" text NOT NULL,
      "reason_code" text NOT NULL,
      "amount_minor" bigint NOT NULL,
      "remaining_minor" bigint NOT NULL,
      "transaction_id" text,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_attribution_reward_history" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IX_attribution_reward_history_reward" ON "attribution"."reward_history" ("reward_id", "id")`);
    await q.query(`CREATE TABLE "attribution"."pending_adjustments" (
      "id" BIGSERIAL NOT NULL,
      "purchase_id" text NOT NULL,
      "kind" text NOT NULL,
      "transaction_id" text NOT NULL,
      "customer_id" text NOT NULL,
      "amount_minor" bigint NOT NULL,
      "currency" text NOT NULL,
      "transaction_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "state" text NOT NULL,
      "reason_code" text,
      "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "UQ_attribution_pending_adjustments_fact" UNIQUE ("purchase_id", "kind", "transaction_id"),
      CONSTRAINT "PK_attribution_pending_adjustments" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IX_attribution_pending_adjustments_state" ON "attribution"."pending_adjustments" ("state", "received_at")`);
    await q.query(`CREATE TABLE "attribution"."confirmation_jobs" (
      "reward_id" text NOT NULL,
      "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_attribution_confirmation_jobs" PRIMARY KEY ("reward_id"))`);
    await q.query(`CREATE INDEX "IX_attribution_confirmation_jobs_due" ON "attribution"."confirmation_jobs" ("due_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['confirmation_jobs', 'pending_adjustments', 'reward_history', 'rewards', 'match_outcomes', 'touchpoints', 'campaigns']) {
      await q.query(`DROP TABLE "attribution"."${table}"`);
    }
  }
}
