import { MigrationInterface, QueryRunner } from 'typeorm';

/** Priced actions that were not charged, with the reason (billing.entities.ts UnbilledAction). */
export class CreateUnbilledActions1796600000000 implements MigrationInterface {
  name = 'CreateUnbilledActions1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "billing"."unbilled_actions" (
      "source_id" text NOT NULL, "kind" text NOT NULL, "campaign_id" text NOT NULL, "advertiser_id" text NOT NULL,
      "publisher_id" text NOT NULL, "reason" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_billing_unbilled_actions" PRIMARY KEY ("source_id", "kind"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "billing"."unbilled_actions"`);
  }
}
