import { MigrationInterface, QueryRunner } from 'typeorm';

/** Advertiser budgets and per-bank caps: spend booked against each, with the one-time events already sent. */
export class CreateSpendLimits1797000000000 implements MigrationInterface {
  name = 'CreateSpendLimits1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "billing"."spend_limits" (
      "limit_id" text NOT NULL, "kind" text NOT NULL, "advertiser_id" text NOT NULL, "campaign_id" text, "bank_id" text, "currency" text NOT NULL,
      "total_minor" bigint, "spent_minor" bigint NOT NULL, "threshold_sent" boolean NOT NULL, "exhausted_sent" boolean NOT NULL,
      CONSTRAINT "PK_billing_spend_limits" PRIMARY KEY ("limit_id"))`);
    await q.query(`CREATE INDEX "ix_spend_limits_advertiser" ON "billing"."spend_limits" ("advertiser_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "billing"."spend_limits"`);
  }
}
