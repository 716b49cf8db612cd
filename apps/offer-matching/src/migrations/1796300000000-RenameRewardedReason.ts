import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A matched outcome's reason is "matched", not "rewarded": offer-matching decides that a purchase
 * met a campaign's rules; attribution decides whether it is rewarded (activation, touchpoints).
 */
export class RenameRewardedReason1796300000000 implements MigrationInterface {
  name = 'RenameRewardedReason1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "offer_matching"."match_outcomes" SET "reason_code" = 'matched' WHERE "reason_code" = 'rewarded'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "offer_matching"."match_outcomes" SET "reason_code" = 'rewarded' WHERE "reason_code" = 'matched'`);
  }
}
