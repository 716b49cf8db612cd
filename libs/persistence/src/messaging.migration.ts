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

/**
 * Messages a consumer had to step over because even their dead letter could not be written
 * (the dead-letter topic gone, the broker refusing it): recorded here with the dead letter they
 * should have become, so that the partition keeps moving and nothing is lost. The consumer
 * re-drives them to the dead-letter topic once it takes writes again (`redriven_at`).
 */
export class CreateStuckMessages1796200000000 implements MigrationInterface {
  name = 'CreateStuckMessages1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`CREATE TABLE "${s}"."stuck_messages" (
      "id" BIGSERIAL NOT NULL,
      "consumer_group" text NOT NULL,
      "topic" text NOT NULL,
      "partition" integer NOT NULL,
      "offset" bigint NOT NULL,
      "dead_letter_topic" text NOT NULL,
      "message_key" bytea,
      "message_value" bytea,
      "headers" jsonb NOT NULL,
      "code" text NOT NULL,
      "reason" text NOT NULL,
      "attempts" integer NOT NULL,
      "last_error" text NOT NULL,
      "stuck_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "redriven_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_${s}_stuck_messages" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_stuck_messages_position" UNIQUE ("consumer_group", "topic", "partition", "offset"))`);
    await queryRunner.query(`CREATE INDEX "IDX_stuck_messages_pending" ON "${s}"."stuck_messages" ("id") WHERE "redriven_at" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."stuck_messages"`);
  }
}
