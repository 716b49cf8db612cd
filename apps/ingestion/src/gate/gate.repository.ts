import type { EntityManager } from 'typeorm';
import type { KnownOriginal } from './checks';

/**
 * The gate's SQL: `ingestion.seen_events`, the de-duplication keys of every inbound fact and
 * the originals refunds and reversals are checked against. Called in the caller's transaction.
 */

export interface SeenKey {
  scope: string;
  kind: string;
  externalId: string;
  source: string;
  inboundEventId: string;
  purchaseId?: string;
  amountMinor?: number;
  currency?: string;
}

export const keyOf = (k: Pick<SeenKey, 'scope' | 'kind' | 'externalId'>) => `${k.scope}\u0000${k.kind}\u0000${k.externalId}`;
export const originalKey = (scope: string, externalId: string) => `${scope}\u0000${externalId}`;

/**
 * One round trip: which of the keys are already known, and for each wanted original the
 * accepted settlement (the cleared amount, preferred) or authorization of that source with
 * that transaction id, with what has been refunded of its purchase so far.
 */
export async function lookupSeen(manager: EntityManager, keys: SeenKey[], wanted: { scope: string; externalId: string }[]): Promise<{ known: Set<string>; originals: Map<string, KnownOriginal> }> {
  const rows: { what: 'key' | 'original'; scope: string; kind: string; external_id: string; purchase_id: string | null; amount_minor: string | null; currency: string | null; refunded: string | null }[] =
    await manager.query(
      `SELECT 'key' AS "what", s."scope", s."kind", s."external_id", NULL AS "purchase_id", NULL AS "amount_minor", NULL AS "currency", NULL AS "refunded"
         FROM unnest($1::text[], $2::text[], $3::text[]) AS k(scope, kind, external_id)
         JOIN "ingestion"."seen_events" s USING ("scope", "kind", "external_id")
       UNION ALL
       SELECT 'original', w.scope, o."kind", w.external_id, o."purchase_id", o."amount_minor"::text, o."currency",
              (SELECT COALESCE(SUM(r."amount_minor"), 0) FROM "ingestion"."seen_events" r
                WHERE r."scope" = w.scope AND r."kind" = 'refund' AND r."purchase_id" = o."purchase_id")::text
         FROM (SELECT DISTINCT scope, external_id FROM unnest($4::text[], $5::text[]) AS x(scope, external_id)) w
         CROSS JOIN LATERAL (
           SELECT s."kind", s."purchase_id", s."amount_minor", s."currency" FROM "ingestion"."seen_events" s
           WHERE s."scope" = w.scope AND s."kind" IN ('authorization', 'settlement') AND s."external_id" = w.external_id
           ORDER BY s."kind" DESC LIMIT 1) o`,
      [keys.map((k) => k.scope), keys.map((k) => k.kind), keys.map((k) => k.externalId), wanted.map((w) => w.scope), wanted.map((w) => w.externalId)],
    );
  const known = new Set<string>();
  const originals = new Map<string, KnownOriginal>();
  for (const r of rows) {
    if (r.what === 'key') known.add(keyOf({ scope: r.scope, kind: r.kind, externalId: r.external_id }));
    else
      originals.set(originalKey(r.scope, r.external_id), {
        purchaseId: r.purchase_id,
        amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
        currency: r.currency,
        refundedMinor: Number(r.refunded ?? 0),
      });
  }
  return { known, originals };
}

/**
 * Records the keys in one INSERT; returns those that went in. A key another transaction
 * recorded meanwhile (the HTTP path racing the consumer) serialises on the primary key and
 * comes back as not inserted: that event is a duplicate.
 */
export async function rememberSeen(manager: EntityManager, k: SeenKey[]): Promise<Set<string>> {
if (k.length === 0) return new Set();
  const rows: { scope: string; kind: string; external_id: string }[] = await manager.query(
    `INSERT INTO "ingestion"."seen_events" ("scope", "kind", "external_id", "source", "inbound_event_id", "purchase_id", "amount_minor", "currency")
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::bigint[], $8::text[])
     ON CONFLICT DO NOTHING RETURNING "scope", "kind", "external_id"`,
    [
      k.map((x) => x.scope),
      k.map((x) => x.kind),
      k.map((x) => x.externalId),
      k.map((x) => x.source),
      k.map((x) => x.inboundEventId),
      k.map((x) => x.purchaseId ?? null),
      k.map((x) => x.amountMinor ?? null),
      k.map((x) => x.currency ?? null),
    ],
  );
  return new Set(rows.map((r) => keyOf({ scope: r.scope, kind: r.kind, externalId: r.external_id })));
}
