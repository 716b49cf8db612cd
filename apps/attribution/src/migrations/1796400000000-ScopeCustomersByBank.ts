import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer is (bank, customer id): a touchpoint belongs to the bank that reported it, and only
 * that bank's purchases by that customer id can use it. Existing touchpoints take the bank of the
 * customer's earliest decided match (the purchase id is "<bank>:<transaction>"), else '' (they
 * then credit no purchase). Campaigns keep the banks they are offered to (NULL: every bank).
 */
export class ScopeCustomersByBank1796400000000 implements MigrationInterface {
  name = 'ScopeCustomersByBank1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "attribution"."campaigns" ADD "banks" jsonb`);
    await q.query(`ALTER TABLE "attribution"."touchpoints" ADD "bank_source" text`);
    await q.query(
      `UPDATE "attribution"."touchpoints" t SET "bank_source" = COALESCE(
         (SELECT split_part(o."purchase_id", ':', 1) FROM "attribution"."match_outcomes" o WHERE o."customer_id" = t."customer_id" ORDER BY o."decided_at", o."match_id" LIMIT 1), '')`,
    );
    await q.query(`ALTER TABLE "attribution"."touchpoints" ALTER COLUMN "bank_source" SET NOT NULL`);
    await q.query(`ALTER TABLE "attribution"."touchpoints" DROP CONSTRAINT "PK_attribution_touchpoints"`);
    await q.query(`ALTER TABLE "attribution"."touchpoints" ADD CONSTRAINT "PK_attribution_touchpoints" PRIMARY KEY ("bank_source", "touchpoint_id")`);
    await q.query(`DROP INDEX "attribution"."IX_attribution_touchpoints_customer_campaign_at"`);
    await q.query(`CREATE INDEX "IX_attribution_touchpoints_customer_campaign_at" ON "attribution"."touchpoints" ("bank_source", "customer_id", "campaign_id", "at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "attribution"."IX_attribution_touchpoints_customer_campaign_at"`);
    await q.query(`DELETE FROM "attribution"."touchpoints" a USING "attribution"."touchpoints" b WHERE a."touchpoint_id" = b."touchpoint_id" AND a."bank_source" < b."bank_source"`);
    await q.query(`ALTER TABLE "attribution"."touchpoints" DROP CONSTRAINT "PK_attribution_touchpoints"`);
    await q.query(`ALTER TABLE "attribution"."touchpoints" DROP COLUMN "bank_source"`);
    await q.query(`ALTER TABLE "attribution"."touchpoints" ADD CONSTRAINT "PK_attribution_touchpoints" PRIMARY KEY ("touchpoint_id")`);
    await q.query(`CREATE INDEX "IX_attribution_touchpoints_customer_campaign_at" ON "attribution"."touchpoints" ("customer_id", "campaign_id", "at")`);
    await q.query(`ALTER TABLE "attribution"."campaigns" DROP COLUMN "banks"`);
  }
}
