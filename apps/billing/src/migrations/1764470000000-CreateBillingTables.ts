import { MigrationInterface, QueryRunner } from 'typeorm';

/** The ledger, budgets, pricing state, rewards and payout batches (schema billing). */
export class CreateBillingTables1764470000000 implements MigrationInterface {
  name = 'CreateBillingTables1764470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "billing"."campaigns" (
      "campaign_id" text NOT NULL, "version" integer NOT NULL, "advertiser_id" text NOT NULL, "currency" text NOT NULL,
      "pricing_model" text NOT NULL, "price_minor" bigint, "platform_fee" jsonb NOT NULL, "publishers" jsonb NOT NULL,
      "time_zone" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_billing_campaigns" PRIMARY KEY ("campaign_id"))`);
    await q.query(`CREATE TABLE "billing"."accounts" (
      "account_id" text NOT NULL, "kind" text NOT NULL, "owner_id" text NOT NULL, "customer_id" text, "currency" text NOT NULL,
      CONSTRAINT "PK_billing_accounts" PRIMARY KEY ("account_id"))`);
    await q.query(`CREATE TABLE "billing"."ledger_transactions" (
      "id" uuid NOT NULL, "source_id" text NOT NULL, "kind" text NOT NULL, "advertiser_id" text, "campaign_id" text,
      "pricing_model" text, "reward_id" text, "currency" text NOT NULL, "units" integer NOT NULL,
      "cost_minor" bigint NOT NULL, "fee_minor" bigint NOT NULL,
      "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "uq_ledger_transactions_source" UNIQUE ("source_id", "kind"),
      CONSTRAINT "PK_billing_ledger_transactions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_ledger_transactions_advertiser" ON "billing"."ledger_transactions" ("advertiser_id", "occurred_at")`);
    await q.query(`CREATE TABLE "billing"."ledger_entries" (
      "id" BIGSERIAL NOT NULL, "transaction_id" uuid NOT NULL, "account_id" text NOT NULL, "currency" text NOT NULL,
      "amount_minor" bigint NOT NULL,
      CONSTRAINT "PK_billing_ledger_entries" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_ledger_entries_account" ON "billing"."ledger_entries" ("account_id")`);
    await q.query(`CREATE INDEX "ix_ledger_entries_transaction" ON "billing"."ledger_entries" ("transaction_id")`);
    await q.query(`CREATE TABLE "billing"."budgets" (
      "campaign_id" text NOT NULL, "advertiser_id" text NOT NULL, "currency" text NOT NULL, "total_minor" bigint NOT NULL,
      "daily_minor" bigint, "pacing" text NOT NULL, "spent_minor" bigint NOT NULL, "max_charge_minor" bigint NOT NULL,
      "threshold_sent" boolean NOT NULL, "exhausted_sent" boolean NOT NULL,
      CONSTRAINT "PK_billing_budgets" PRIMARY KEY ("campaign_id"))`);
    await q.query(`CREATE TABLE "billing"."budget_days" (
      "campaign_id" text NOT NULL, "day" date NOT NULL, "spent_minor" bigint NOT NULL,
      "threshold_sent" boolean NOT NULL, "exhausted_sent" boolean NOT NULL,
      CONSTRAINT "PK_billing_budget_days" PRIMARY KEY ("campaign_id", "day"))`);
    await q.query(`CREATE TABLE "billing"."cpm_accruals" (
      "campaign_id" text NOT NULL, "publisher_id" text NOT NULL, "remainder_micros" bigint NOT NULL, "pending_impressions" integer NOT NULL,
      CONSTRAINT "PK_billing_cpm_accruals" PRIMARY KEY ("campaign_id", "publisher_id"))`);
    await q.query(`CREATE TABLE "billing"."cpc_clicks" (
      "campaign_id" text NOT NULL, "customer_id" text NOT NULL, "last_billed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_billing_cpc_clicks" PRIMARY KEY ("campaign_id", "customer_id"))`);
    await q.query(`CREATE TABLE "billing"."rewards" (
      "reward_id" text NOT NULL, "campaign_id" text NOT NULL, "advertiser_id" text NOT NULL, "publisher_id" text NOT NULL,
      "bank_id" text NOT NULL, "customer_id" text NOT NULL, "currency" text NOT NULL, "charged" boolean NOT NULL,
      "remaining_minor" bigint NOT NULL, "fee_remaining_minor" bigint NOT NULL, "share_remaining_minor" bigint NOT NULL,
      "status" text NOT NULL, "payout_batch_id" text,
      CONSTRAINT "PK_billing_rewards" PRIMARY KEY ("reward_id"))`);
    await q.query(`CREATE INDEX "ix_rewards_bank_customer" ON "billing"."rewards" ("bank_id", "customer_id")`);
    await q.query(`CREATE TABLE "billing"."payout_batches" (
      "batch_id" text NOT NULL, "payee_kind" text NOT NULL, "payee_id" text NOT NULL, "currency" text NOT NULL,
      "total_minor" bigint NOT NULL, "status" text NOT NULL, "lines" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_billing_payout_batches" PRIMARY KEY ("batch_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['payout_batches', 'rewards', 'cpc_clicks', 'cpm_accruals', 'budget_days', 'budgets', 'ledger_entries', 'ledger_transactions', 'accounts', 'campaigns']) {
      await q.query(`DROP TABLE "billing"."${t}"`);
    }
  }
}
