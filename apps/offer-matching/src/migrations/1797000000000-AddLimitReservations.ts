import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Advertiser budgets and per-bank caps (limit_reservations), and on each match the limits it
 * reserved on (match_outcomes.limit_ids), so a released match gives them back too.
 */
export class AddLimitReservations1797000000000 implements MigrationInterface {
  name = 'AddLimitReservations1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "offer_matching"."limit_reservations" (
        "limit_id" text NOT NULL,
        "kind" text NOT NULL,
        "advertiser_id" text NOT NULL,
        "campaign_id" text,
        "total_minor" bigint,
        "reserved_minor" bigint NOT NULL,
        "exhausted" boolean NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_om_limit_reservations" PRIMARY KEY ("limit_id")
      )`,
    );
    await q.query(`CREATE INDEX "IDX_limit_reservations_advertiser" ON "offer_matching"."limit_reservations" ("advertiser_id")`);
    await q.query(`ALTER TABLE "offer_matching"."match_outcomes" ADD "limit_ids" text array`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "offer_matching"."match_outcomes" DROP COLUMN "limit_ids"`);
    await q.query(`DROP TABLE "offer_matching"."limit_reservations"`);
  }
}
