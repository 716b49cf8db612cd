import { MigrationInterface, QueryRunner } from 'typeorm';

/** recipients, preferences, campaign_names (read model), deliveries, delivery_attempts. */
export class CreateNotificationTables1764460100000 implements MigrationInterface {
  name = 'CreateNotificationTables1764460100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "notification"."recipients" ("kind" text NOT NULL, "id" text NOT NULL, "webhook_url" text, "webhook_secret" text, "email" text, "default_locale" text NOT NULL DEFAULT 'sv', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_56104900f74d1db45daff21c000" PRIMARY KEY ("kind", "id"))`);
    await q.query(`CREATE TABLE "notification"."preferences" ("customer_id" text NOT NULL, "locale" text, "opt_out_webhook" boolean NOT NULL DEFAULT false, "opt_out_email" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ae4621dc8c81bb841dddf120b37" PRIMARY KEY ("customer_id"))`);
    await q.query(`CREATE TABLE "notification"."campaign_names" ("campaign_id" text NOT NULL, "version" integer NOT NULL, "campaign_name" text NOT NULL, "advertiser_name" text NOT NULL, "merchant_name" text NOT NULL, CONSTRAINT "PK_88e97c101454b8e90ccfea740eb" PRIMARY KEY ("campaign_id"))`);
    await q.query(`CREATE TABLE "notification"."deliveries" ("id" text NOT NULL, "source_event_id" uuid NOT NULL, "source_event_type" text NOT NULL, "recipient_kind" text NOT NULL, "recipient_id" text NOT NULL, "channel" text NOT NULL, "template" text NOT NULL, "customer_id" text, "status" text NOT NULL, "skip_reason" text, "payload" jsonb NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "run_attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lease_until" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" text, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_deliveries_event_recipient_channel" UNIQUE ("source_event_id", "recipient_kind", "recipient_id", "channel"), CONSTRAINT "PK_a6ef225c5c5f0974e503bfb731f" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_deliveries_customer" ON "notification"."deliveries" ("customer_id")`);
    await q.query(`CREATE INDEX "IDX_deliveries_recipient" ON "notification"."deliveries" ("recipient_id", "created_at")`);
    await q.query(`CREATE INDEX "IDX_deliveries_due" ON "notification"."deliveries" ("status", "next_attempt_at")`);
    await q.query(`CREATE TABLE "notification"."delivery_attempts" ("id" BIGSERIAL NOT NULL, "delivery_id" text NOT NULL, "attempt" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "latency_ms" integer NOT NULL, "status_code" integer, "error" text, "outcome" text NOT NULL, CONSTRAINT "PK_41eba4eb5401d72860f7cd9a7ac" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_delivery_attempts_delivery" ON "notification"."delivery_attempts" ("delivery_id", "attempt")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "notification"."delivery_attempts"`);
    await q.query(`DROP TABLE "notification"."deliveries"`);
    await q.query(`DROP TABLE "notification"."campaign_names"`);
    await q.query(`DROP TABLE "notification"."preferences"`);
    await q.query(`DROP TABLE "notification"."recipients"`);
  }
}
