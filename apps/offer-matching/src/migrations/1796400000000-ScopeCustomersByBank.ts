import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer is (bank, customer id): purchase history and activations gain the bank. Existing
 * rows take the bank of the customer's earliest recorded purchase; where two banks already
 * shared a customer id their history was merged and stays with the first bank (it cannot be
 * split after the fact). Activations of customers with no recorded purchase get bank '' and
 * apply to no bank (the customer activates again).
 */
export class ScopeCustomersByBank1796400000000 implements MigrationInterface {
  name = 'ScopeCustomersByBank1796400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, key] of [
      ['purchase_history', 'advertiser_id'],
      ['activations', 'campaign_id'],
    ] as const) {
      await q.query(`ALTER TABLE "offer_matching"."${table}" ADD "bank_source" text`);
      await q.query(
        `UPDATE "offer_matching"."${table}" t SET "bank_source" = COALESCE(
           (SELECT p."bank_source" FROM "offer_matching"."purchases" p WHERE p."customer_id" = t."customer_id" ORDER BY p."recorded_at", p."bank_source" LIMIT 1), '')`,
      );
      await q.query(`ALTER TABLE "offer_matching"."${table}" ALTER COLUMN "bank_source" SET NOT NULL`);
      const pk = table === 'purchase_history' ? 'PK_om_purchase_history' : 'PK_om_activations';
      await q.query(`ALTER TABLE "offer_matching"."${table}" DROP CONSTRAINT "${pk}"`);
      await q.query(`ALTER TABLE "offer_matching"."${table}" ADD CONSTRAINT "${pk}" PRIMARY KEY ("bank_source", "customer_id", "${key}")`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, key, pk] of [
      ['purchase_history', 'advertiser_id', 'PK_om_purchase_history'],
      ['activations', 'campaign_id', 'PK_om_activations'],
    ] as const) {
      // Rows of the same customer id at several banks fold into one (the latest bank's).
      await q.query(`DELETE FROM "offer_matching"."${table}" a USING "offer_matching"."${table}" b
        WHERE a."customer_id" = b."customer_id" AND a."${key}" = b."${key}" AND a."bank_source" < b."bank_source"`);
      await q.query(`ALTER TABLE "offer_matching"."${table}" DROP CONSTRAINT "${pk}"`);
      await q.query(`ALTER TABLE "offer_matching"."${table}" DROP COLUMN "bank_source"`);
      await q.query(`ALTER TABLE "offer_matching"."${table}" ADD CONSTRAINT "${pk}" PRIMARY KEY ("customer_id", "${key}")`);
    }
  }
}
