import { MigrationInterface, QueryRunner } from 'typeorm';

/** The schema this migration runs in: the data source's default schema. */
function schemaOf(queryRunner: QueryRunner): string {
  const options = queryRunner.connection.options as { schema?: string };
  if (!options.schema) throw new Error('Every Prestanda data source must set its own schema');
  return options.schema;
}

/**
 * Inbox and outbox tables, shared by every service. Each service lists this migration
 * first in its own migrations; it creates the tables in that service's schema.
 */
export class CreateMessagingTables1764460000000 implements MigrationInterface {
  name = 'CreateMessagingTables1764460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`CREATE TABLE "${s}"."inbox" (
      "consumer_group" text NOT NULL,
      "event_id" uuid NOT NULL,
      "topic" text NOT NULL,
      "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_${s}_inbox" PRIMARY KEY ("consumer_group", "event_id"))`);
    await queryRunner.query(`CREATE TABLE "${s}"."outbox" (
      "id" BIGSERIAL NOT NULL,
      "topic" text NOT NULL,
      "message_key" text,
      "payload" jsonb NOT NULL,
      "headers" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_${s}_outbox" PRIMARY KEY ("id"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}"."outbox"`);
    await queryRunner.query(`DROP TABLE "${s}"."inbox"`);
  }
}
