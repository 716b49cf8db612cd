import { MigrationInterface, QueryRunner } from 'typeorm';

/** Billed rewards keep their purchase, so that reward.paid can name it. Older rows stay null (no reward.paid for them). */
export class AddRewardPurchase1796700000000 implements MigrationInterface {
  name = 'AddRewardPurchase1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "billing"."rewards" ADD "purchase_id" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "billing"."rewards" DROP COLUMN "purchase_id"`);
  }
}
