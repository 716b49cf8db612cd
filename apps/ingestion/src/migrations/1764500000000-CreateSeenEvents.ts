import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSeenEvents1764500000000 implements MigrationInterface {
  name = 'CreateSeenEvents1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "ingestion"."seen_events" (
      "scope" text NOT NULL,
      "kind" text NOT NULL,
      "external_id" text NOT NULL,
      "source" text NOT NULL,
      "inbound_event_id" uuid NOT NULL,
      "purchase_id" text,
      "amount_minor" bigint,
      "currency" text,
      "accepted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_ingestion_seen_events" PRIMARY KEY ("scope", "kind", "external_id"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ingestion"."seen_events"`);
  }
}
