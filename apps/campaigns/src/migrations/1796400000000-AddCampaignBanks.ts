import { MigrationInterface, QueryRunner } from 'typeorm';

/** The banks a campaign targets: bank integration ids; NULL (every existing campaign) means every bank. */
export class AddCampaignBanks1796400000000 implements MigrationInterface {
  name = 'AddCampaignBanks1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns"."campaigns" ADD "banks" text array`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns"."campaigns" DROP COLUMN "banks"`);
  }
}
