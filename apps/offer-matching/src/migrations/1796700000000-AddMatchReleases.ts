import { MigrationInterface, QueryRunner } from 'typeorm';

/** A match declined by attribution gives its budget reservation back once (attribution.declined). */
export class AddMatchReleases1796700000000 implements MigrationInterface {
  name = 'AddMatchReleases1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "offer_matching"."match_outcomes" ADD "released_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "offer_matching"."match_outcomes" DROP COLUMN "released_at"`);
  }
}
