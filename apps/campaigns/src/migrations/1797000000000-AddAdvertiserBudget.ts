import { MigrationInterface, QueryRunner } from 'typeorm';

/** An advertiser's budget and per-bank caps (jsonb, as published in campaign.snapshot's advertiserBudget); NULL: none. */
export class AddAdvertiserBudget1797000000000 implements MigrationInterface {
  name = 'AddAdvertiserBudget1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns"."advertisers" ADD "budget" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaigns"."advertisers" DROP COLUMN "budget"`);
  }
}
