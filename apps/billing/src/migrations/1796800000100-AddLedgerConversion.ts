import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ledger_transactions.conversion_id: the affiliate conversion a posting belongs to (conversion-cpa,
 * conversion-reversed, conversion-confirmed), so what remains of a sale — commission, fee, charge,
 * pending or payable — is read from the ledger itself. Older rows stay null.
 */
export class AddLedgerConversion1796800000100 implements MigrationInterface {
  name = 'AddLedgerConversion1796800000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "billing"."ledger_transactions" ADD "conversion_id" text`);
    await q.query(`CREATE INDEX "ix_ledger_transactions_conversion" ON "billing"."ledger_transactions" ("conversion_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "billing"."ix_ledger_transactions_conversion"`);
    await q.query(`ALTER TABLE "billing"."ledger_transactions" DROP COLUMN "conversion_id"`);
  }
}
