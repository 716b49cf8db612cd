import { MigrationInterface, QueryRunner } from 'typeorm';

/** The registry's integrations as ingestion knows them (integrations topic): own topics to read, and the publisher their traffic is bound to. */
export class CreateIntegrations1797000000000 implements MigrationInterface {
  name = 'CreateIntegrations1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "ingestion"."integrations" (
      "integration_id" text NOT NULL, "kind" text NOT NULL, "publisher_id" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_ingestion_integrations" PRIMARY KEY ("integration_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "ingestion"."integrations"`);
  }
}
