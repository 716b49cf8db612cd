import { foldDiacritics } from '@prestanda/contracts';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Descriptor patterns are now diacritics-folded like descriptors (`ÅHLÉNS*` is kept as
 * `AHLENS*`): the merchant index built from earlier snapshots is folded in place. Plain ASCII
 * rows are untouched. Not reversible (the folded form matches both spellings).
 */
export class FoldDescriptorPatterns1796600000000 implements MigrationInterface {
  name = 'FoldDescriptorPatterns1796600000000';

  async up(q: QueryRunner): Promise<void> {
    const rows: { key: string; like_pattern: string | null }[] = await q.query(
      `SELECT DISTINCT "key", "like_pattern" FROM "offer_matching"."merchant_index" WHERE "kind" = 'descriptor' AND ("key" ~ '[^ -~]' OR "like_pattern" ~ '[^ -~]')`,
    );
    const fold = (text: string) => foldDiacritics(text).toUpperCase();
    for (const r of rows) {
      await q.query(
        `UPDATE "offer_matching"."merchant_index" SET "key" = $3, "like_pattern" = $4 WHERE "kind" = 'descriptor' AND "key" = $1 AND "like_pattern" IS NOT DISTINCT FROM $2`,
        [r.key, r.like_pattern, fold(r.key), r.like_pattern === null ? null : fold(r.like_pattern)],
      );
    }
  }

  async down(): Promise<void> {
    // The folded patterns match what the unfolded ones did, and more; nothing to undo.
  }
}
