import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCampaignApplications1764480000000 implements MigrationInterface {
  name = 'CreateCampaignApplications1764480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "campaigns"."campaign_applications" (
      "campaign_id" text NOT NULL,
      "publisher_id" text NOT NULL,
      "status" text NOT NULL,
      "message" text,
      "decided_by" text,
      "decision_reason" text,
      "decided_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_campaigns_campaign_applications" PRIMARY KEY ("campaign_id", "publisher_id"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "campaigns"."campaign_applications"`);
  }
}
