import { MigrationInterface, QueryRunner } from 'typeorm';

/** Offer content per language (campaign.snapshot content); NULL for existing campaigns: the name only. */
export class AddCampaignContent1797000000200 implements MigrationInterface {
  name = 'AddCampaignContent1797000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "campaigns"."campaigns" ADD "content" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "campaigns"."campaigns" DROP COLUMN "content"`);
  }
}
