import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCampaignsTables1764470000000 implements MigrationInterface {
  name = 'CreateCampaignsTables1764470000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "campaigns"."advertisers" (
      "id" text NOT NULL,
      "name" text NOT NULL,
      "billing_currency" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_campaigns_advertisers" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "campaigns"."merchants" (
      "id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "name" text NOT NULL,
      "mids" text array NOT NULL,
      "descriptor_patterns" text array NOT NULL,
      "mccs" text array NOT NULL,
      "country" text NOT NULL,
      "channels" text array NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_campaigns_merchants" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_merchants_advertiser" ON "campaigns"."merchants" ("advertiser_id")`);
    await queryRunner.query(`CREATE TABLE "campaigns"."publishers" (
      "id" text NOT NULL,
      "name" text NOT NULL,
      "kind" text NOT NULL,
      "website" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_campaigns_publishers" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "campaigns"."campaigns" (
      "id" text NOT NULL,
      "advertiser_id" text NOT NULL,
      "name" text NOT NULL,
      "status" text NOT NULL,
      "version" integer NOT NULL,
      "budget_exhausted" boolean NOT NULL,
      "currency" text NOT NULL,
      "pricing" jsonb NOT NULL,
      "reward" jsonb,
      "platform_fee" jsonb NOT NULL,
      "budget" jsonb NOT NULL,
      "schedule" jsonb NOT NULL,
      "audience" jsonb NOT NULL,
      "channels" text array NOT NULL,
      "activation" text NOT NULL,
      "windows" jsonb NOT NULL,
      "hold_period_days" integer NOT NULL,
      "holdout_basis_points" integer NOT NULL,
      "publishers" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_campaigns_campaigns" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_campaigns_advertiser" ON "campaigns"."campaigns" ("advertiser_id")`);
    await queryRunner.query(`CREATE TABLE "campaigns"."campaign_history" (
      "id" BIGSERIAL NOT NULL,
      "campaign_id" text NOT NULL,
      "version" integer NOT NULL,
      "change" text NOT NULL,
      "from_status" text,
      "to_status" text NOT NULL,
      "actor" text NOT NULL,
      "reason" text,
      "details" jsonb,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_campaigns_campaign_history" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_campaign_history_campaign" ON "campaigns"."campaign_history" ("campaign_id", "version")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "campaigns"."campaign_history"`);
    await queryRunner.query(`DROP TABLE "campaigns"."campaigns"`);
    await queryRunner.query(`DROP TABLE "campaigns"."publishers"`);
    await queryRunner.query(`DROP TABLE "campaigns"."merchants"`);
    await queryRunner.query(`DROP TABLE "campaigns"."advertisers"`);
  }
}
