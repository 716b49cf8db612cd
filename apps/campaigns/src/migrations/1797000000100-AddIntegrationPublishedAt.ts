import { MigrationInterface, QueryRunner } from 'typeorm';

/** When an integration's snapshot was published on the integrations topic; existing rows (NULL) are published once at the next start. */
export class AddIntegrationPublishedAt1797000000100 implements MigrationInterface {
  name = 'AddIntegrationPublishedAt1797000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "campaigns"."integrations" ADD "published_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "campaigns"."integrations" DROP COLUMN "published_at"`);
  }
}
