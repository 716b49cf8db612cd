import { MigrationInterface, QueryRunner } from 'typeorm';

/** campaign_names.status: the last campaign status held, so "campaign ended" is sent once, on the transition. */
export class AddCampaignStatus1764560000000 implements MigrationInterface {
  name = 'AddCampaignStatus1764560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notification"."campaign_names" ADD "status" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notification"."campaign_names" DROP COLUMN "status"`);
  }
}
