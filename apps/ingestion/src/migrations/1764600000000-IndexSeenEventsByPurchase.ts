import { MigrationInterface, QueryRunner } from 'typeorm';

/** Refunds so far of a purchase are summed on every refund: look them up by purchase, not by scanning the source's refunds. */
export class IndexSeenEventsByPurchase1764600000000 implements MigrationInterface {
  name = 'IndexSeenEventsByPurchase1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_ingestion_seen_events_purchase" ON "ingestion"."seen_events" ("scope", "purchase_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ingestion"."IDX_ingestion_seen_events_purchase"`);
  }
}
