import { MigrationInterface, QueryRunner } from 'typeorm';

/** The integration registry and its API keys, held by SHA-256 (integrations/entities.ts). */
export class CreateIntegrationRegistry1796600000000 implements MigrationInterface {
  name = 'CreateIntegrationRegistry1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "campaigns"."integrations" (
      "id" text NOT NULL, "kind" text NOT NULL, "name" text NOT NULL, "locale" text NOT NULL, "publisher_id" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_campaigns_integrations" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "campaigns"."api_keys" (
      "key_id" uuid NOT NULL, "integration_id" text NOT NULL, "digest" text NOT NULL, "hint" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_campaigns_api_keys" PRIMARY KEY ("key_id"))`);
    await q.query(`CREATE INDEX "ix_api_keys_integration" ON "campaigns"."api_keys" ("integration_id")`);
    await q.query(`CREATE UNIQUE INDEX "ux_api_keys_digest" ON "campaigns"."api_keys" ("digest")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "campaigns"."api_keys"`);
    await q.query(`DROP TABLE "campaigns"."integrations"`);
  }
}
