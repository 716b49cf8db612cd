import { randomUUID } from 'node:crypto';
import { TransientError } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';

/** Account kinds of the ledger. */
export type AccountKind =
  | 'advertiser-receivable'
  | 'customer-cashback-pending'
  | 'customer-cashback-payable'
  | 'publisher-commission-pending'
  | 'publisher-payable'
  | 'platform-revenue'
  | 'platform-overspend'
  | 'payouts-in-transit'
  | 'platform-cash';

export interface AccountRef {
  id: string;
  kind: AccountKind;
  ownerId: string;
  customerId?: string;
  currency: string;
}

export const accounts = {
  receivable: (advertiserId: string, currency: string): AccountRef => ({ id: `advertiser-receivable:${advertiserId}:${currency}`, kind: 'advertiser-receivable', ownerId: advertiserId, currency }),
  cashbackPending: (bankId: string, customerId: string, currency: string): AccountRef => ({
    id: `customer-cashback-pending:${bankId}:${customerId}:${currency}`,
    kind: 'customer-cashback-pending',
    ownerId: bankId,
    customerId,
    currency,
  }),
  cashbackPayable: (bankId: string, customerId: string, currency: string): AccountRef => ({
    id: `customer-cashback-payable:${bankId}:${customerId}:${currency}`,
    kind: 'customer-cashback-payable',
    ownerId: bankId,
    customerId,
    currency,
  }),
  /** Affiliate commission inside the sale's lock (return) period; conversion.confirmed moves it to publisher-payable. */
  commissionPending: (publisherId: string, currency: string): AccountRef => ({
    id: `publisher-commission-pending:${publisherId}:${currency}`,
    kind: 'publisher-commission-pending',
    ownerId: publisherId,
    currency,
  }),
  publisherPayable: (publisherId: string, currency: string): AccountRef => ({ id: `publisher-payable:${publisherId}:${currency}`, kind: 'publisher-payable', ownerId: publisherId, currency }),
  revenue: (currency: string): AccountRef => ({ id: `platform-revenue:platform:${currency}`, kind: 'platform-revenue', ownerId: 'platform', currency }),
  overspend: (currency: string): AccountRef => ({ id: `platform-overspend:platform:${currency}`, kind: 'platform-overspend', ownerId: 'platform', currency }),
  inTransit: (payeeId: string, currency: string): AccountRef => ({ id: `payouts-in-transit:${payeeId}:${currency}`, kind: 'payouts-in-transit', ownerId: payeeId, currency }),
  cash: (currency: string): AccountRef => ({ id: `platform-cash:platform:${currency}`, kind: 'platform-cash', ownerId: 'platform', currency }),
};

/** One leg: positive = debit, negative = credit, integer minor units. */
export interface Leg {
  account: AccountRef;
  amountMinor: number;
}

export interface Posting {
  /** What caused it (event id, reward id, lead id, batch line...); unique together with kind. */
  sourceId: string;
  kind: string;
  currency: string;
  advertiserId?: string;
  campaignId?: string;
  pricingModel?: string;
  rewardId?: string;
  /** The affiliate conversion the posting belongs to. */
  conversionId?: string;
  units?: number;
  costMinor?: number;
  feeMinor?: number;
  occurredAt: Date;
  legs: Leg[];
}

export class UnbalancedPostingError extends Error {}

/** Whether a posting for (sourceId, kind) exists already. */
export async function postingExists(m: EntityManager, sourceId: string, kind: string): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM "billing"."ledger_transactions" WHERE "source_id" = $1 AND "kind" = $2`, [sourceId, kind]);
  return rows.length > 0;
}

/**
 * Writes one balanced transaction and its entries. Entries always sum to zero per currency
 * (checked here before anything is written). A second posting with the same (sourceId, kind)
 * is refused by the unique constraint: the caller checks `postingExists` first, and a
 * concurrent duplicate rolls the whole handler back (TransientError) to be retried and skipped.
 */
export async function post(m: EntityManager, p: Posting): Promise<string> {
  const [id] = await postAll(m, [p]);
  return id;
}

/** `post` for several postings (distinct sources) in one round trip; returns their ids in order. */
export async function postAll(m: EntityManager, postings: Posting[]): Promise<string[]> {
  if (postings.length === 0) return [];
  const ids: string[] = [];
  const accountsById = new Map<string, AccountRef>();
  const entries = { tx: [] as string[], account: [] as string[], currency: [] as string[], amount: [] as string[] };
  for (const p of postings) {
    const legs = p.legs.filter((l) => l.amountMinor !== 0);
    const sums = new Map<string, number>();
    for (const l of legs) {
      if (!Number.isSafeInteger(l.amountMinor)) throw new UnbalancedPostingError(`non-integer amount on ${l.account.id}`);
      sums.set(l.account.currency, (sums.get(l.account.currency) ?? 0) + l.amountMinor);
    }
    for (const [currency, total] of sums) if (total !== 0) throw new UnbalancedPostingError(`posting ${p.kind}/${p.sourceId} does not balance in ${currency}: ${total}`);
    const id = randomUUID();
    ids.push(id);
    for (const l of legs) {
      accountsById.set(l.account.id, l.account);
      entries.tx.push(id);
      entries.account.push(l.account.id);
      entries.currency.push(l.account.currency);
      entries.amount.push(String(l.amountMinor));
    }
  }
  const accs = [...accountsById.values()];
  // One round trip: the transaction rows (the idempotency gate), any new accounts, the entries of the rows that went in.
  const [row]: { inserted: number }[] = await m.query(
    `WITH tx AS (
       INSERT INTO "billing"."ledger_transactions"
         ("id","source_id","kind","advertiser_id","campaign_id","pricing_model","reward_id","currency","units","cost_minor","fee_minor","occurred_at","conversion_id","created_at")
       SELECT t.*, now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::bigint[], $11::bigint[], $12::timestamptz[], $22::text[]) AS t
       ON CONFLICT ("source_id","kind") DO NOTHING RETURNING "id"),
     acc AS (
       INSERT INTO "billing"."accounts" ("account_id","kind","owner_id","customer_id","currency")
       SELECT a.* FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[]) AS a WHERE EXISTS (SELECT 1 FROM tx)
       ON CONFLICT DO NOTHING),
     ent AS (
       INSERT INTO "billing"."ledger_entries" ("transaction_id","account_id","currency","amount_minor")
       SELECT l.t, l.a, l.c, l.n FROM unnest($18::uuid[], $19::text[], $20::text[], $21::bigint[]) AS l(t, a, c, n) WHERE l.t IN (SELECT "id" FROM tx))
     SELECT count(*)::int AS inserted FROM tx`,
    [
      ids,
      postings.map((p) => p.sourceId),
      postings.map((p) => p.kind),
      postings.map((p) => p.advertiserId ?? null),
      postings.map((p) => p.campaignId ?? null),
      postings.map((p) => p.pricingModel ?? null),
      postings.map((p) => p.rewardId ?? null),
      postings.map((p) => p.currency),
      postings.map((p) => p.units ?? 0),
      postings.map((p) => p.costMinor ?? 0),
      postings.map((p) => p.feeMinor ?? 0),
      postings.map((p) => p.occurredAt),
      accs.map((a) => a.id),
      accs.map((a) => a.kind),
      accs.map((a) => a.ownerId),
      accs.map((a) => a.customerId ?? null),
      accs.map((a) => a.currency),
      entries.tx,
      entries.account,
      entries.currency,
      entries.amount,
      postings.map((p) => p.conversionId ?? null),
    ],
  );
  if (row.inserted !== postings.length) throw new TransientError(`${postings.length - row.inserted} of ${postings.length} postings were written concurrently; retrying`);
  return ids;
}

/** Current balance of an account (debits positive). */
export async function balanceOf(m: EntityManager, accountId: string): Promise<number> {
  const [row] = await m.query(`SELECT COALESCE(SUM("amount_minor"),0)::text AS b FROM "billing"."ledger_entries" WHERE "account_id" = $1`, [accountId]);
  return Number(row.b);
}

/**
 * Payable lock: handlers that move customer cashback payable (confirm, reverse) hold it shared;
 * a payout run holds it exclusively, so a run sees every customer's balance and unpaid rewards
 * as of one moment (no reward confirmed half-way into a run).
 */
export const PAYABLE_LOCK_KEY = 0x62696c6c; // "bill"

export async function lockPayableShared(m: EntityManager): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock_shared($1)`, [PAYABLE_LOCK_KEY]);
}

export async function lockPayableExclusive(m: EntityManager): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock($1)`, [PAYABLE_LOCK_KEY]);
}
