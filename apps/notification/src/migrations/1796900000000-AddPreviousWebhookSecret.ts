import { MigrationInterface, QueryRunner } from 'typeorm';

/** A rotated webhook secret stays valid (signed alongside the new one) until previous_secret_until. */
export class AddPreviousWebhookSecret1796900000000 implements MigrationInterface {
  name = 'AddPreviousWebhookSecret1796900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notification"."recipients" ADD "previous_webhook_secret" text, ADD "previous_secret_until" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notification"."recipients" DROP COLUMN "previous_secret_until", DROP COLUMN "previous_webhook_secret"`);
  }
}
