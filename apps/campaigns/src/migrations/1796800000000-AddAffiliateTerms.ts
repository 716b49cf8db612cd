import { MigrationInterface, QueryRunner } from 'typeorm';

/** Affiliate program terms of a campaign (landing URL, click id parameter, commission, voucher rule, approval mode); NULL: none. */
export class AddAffiliateTerms1796800000000 implements MigrationInterface {
  name = 'AddAffiliateTerms1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns"."campaigns" ADD "affiliate" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns"."campaigns" DROP COLUMN "affiliate"`);
  }
}
