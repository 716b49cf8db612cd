import { MigrationInterface, QueryRunner } from 'typeorm';

/** affiliate_commissions and affiliate_commission_reversals: what remains of an affiliate's commission, for its messages. */
export class CreateAffiliateCommissions1796800000200 implements MigrationInterface {
  name = 'CreateAffiliateCommissions1796800000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "notification"."affiliate_commissions" ("conversion_id" text NOT NULL, "publisher_id" text NOT NULL, "currency" text NOT NULL, "recorded_minor" bigint NOT NULL, CONSTRAINT "PK_affiliate_commissions" PRIMARY KEY ("conversion_id"))`,
    );
    await q.query(
      `CREATE TABLE "notification"."affiliate_commission_reversals" ("reversal_id" text NOT NULL, "conversion_id" text NOT NULL, "reversed_minor" bigint NOT NULL, CONSTRAINT "PK_affiliate_commission_reversals" PRIMARY KEY ("reversal_id"))`,
    );
    await q.query(`CREATE INDEX "IDX_affiliate_commission_reversals_conversion" ON "notification"."affiliate_commission_reversals" ("conversion_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "notification"."affiliate_commission_reversals"`);
    await q.query(`DROP TABLE "notification"."affiliate_commissions"`);
  }
}
