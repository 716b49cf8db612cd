import { MigrationInterface, QueryRunner } from 'typeorm';

/** bankOfPurchase in SQL: the part of a purchase id before the first ":" (the whole id when there is none, or it starts with ":"). */
const PURCHASE_ID = `"payload" #>> '{data,purchaseId}'`;
const BANK_OF_PURCHASE = `CASE WHEN strpos(${PURCHASE_ID}, ':') > 1 THEN split_part(${PURCHASE_ID}, ':', 1) ELSE ${PURCHASE_ID} END`;

/**
 * A customer is (bank, customer id): two banks can both have a "c-1001".
 *
 * - deliveries.customer_bank: the bank of the customer a delivery is about, backfilled from the
 *   reward's purchase id in the payload ("<bank>:<txn>").
 * - preferences keyed by (bank_source, customer_id). Each existing row is copied to every bank its
 *   customer has deliveries from — before, the row applied to all of them, so an opt-out stays an
 *   opt-out wherever it was in force. A row whose bank cannot be told (no reward deliveries) gets
 *   bank_source '' and applies to no bank: ops set it again with the bank.
 */
export class KeyPreferencesByBank1796500000000 implements MigrationInterface {
  name = 'KeyPreferencesByBank1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notification"."deliveries" ADD "customer_bank" text`);
    await q.query(
      `UPDATE "notification"."deliveries" SET "customer_bank" = ${BANK_OF_PURCHASE}
       WHERE "customer_id" IS NOT NULL AND COALESCE(${PURCHASE_ID}, '') <> ''`,
    );

    await q.query(`ALTER TABLE "notification"."preferences" ADD "bank_source" text`);
    await q.query(`ALTER TABLE "notification"."preferences" DROP CONSTRAINT "PK_ae4621dc8c81bb841dddf120b37"`);
    await q.query(
      `INSERT INTO "notification"."preferences" ("bank_source", "customer_id", "locale", "opt_out_webhook", "opt_out_email", "updated_at")
       SELECT b."customer_bank", p."customer_id", p."locale", p."opt_out_webhook", p."opt_out_email", p."updated_at"
       FROM "notification"."preferences" p
       JOIN (SELECT DISTINCT "customer_id", "customer_bank" FROM "notification"."deliveries" WHERE "customer_bank" IS NOT NULL) b ON b."customer_id" = p."customer_id"
       WHERE p."bank_source" IS NULL`,
    );
    await q.query(
      `DELETE FROM "notification"."preferences" p
       WHERE p."bank_source" IS NULL
         AND EXISTS (SELECT 1 FROM "notification"."preferences" c WHERE c."customer_id" = p."customer_id" AND c."bank_source" IS NOT NULL)`,
    );
    await q.query(`UPDATE "notification"."preferences" SET "bank_source" = '' WHERE "bank_source" IS NULL`);
    await q.query(`ALTER TABLE "notification"."preferences" ALTER COLUMN "bank_source" SET NOT NULL`);
    await q.query(`ALTER TABLE "notification"."preferences" ADD CONSTRAINT "PK_c71678c57ff5ac5ee146da04d81" PRIMARY KEY ("bank_source", "customer_id")`);
  }

  /** One row per customer id again: opted out if opted out at any bank, the most recently updated row's locale. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notification"."preferences" DROP CONSTRAINT "PK_c71678c57ff5ac5ee146da04d81"`);
    await q.query(
      `UPDATE "notification"."preferences" p SET "opt_out_webhook" = a.w, "opt_out_email" = a.e
       FROM (SELECT "customer_id", bool_or("opt_out_webhook") AS w, bool_or("opt_out_email") AS e FROM "notification"."preferences" GROUP BY "customer_id") a
       WHERE a."customer_id" = p."customer_id"`,
    );
    await q.query(
      `DELETE FROM "notification"."preferences" p USING "notification"."preferences" n
       WHERE n."customer_id" = p."customer_id" AND (n."updated_at", n."bank_source") > (p."updated_at", p."bank_source")`,
    );
    await q.query(`ALTER TABLE "notification"."preferences" DROP COLUMN "bank_source"`);
    await q.query(`ALTER TABLE "notification"."preferences" ADD CONSTRAINT "PK_ae4621dc8c81bb841dddf120b37" PRIMARY KEY ("customer_id")`);
    await q.query(`ALTER TABLE "notification"."deliveries" DROP COLUMN "customer_bank"`);
  }
}
