import { randomUUID } from 'node:crypto';
import { TransientError } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';

/** Account kinds of the ledger. */
export type AccountKind =
  | 'advertiser-receivable'
  | 'customer-cashback-pending'
  | 'customer-cashback-payable'
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
  const legs = p.legs.filter((l) => l.amountMinor !== 0);
  const sums = new Map<string, number>();
  for (const l of legs) {
    if (!Number.isSafeInteger(l.amountMinor)) throw new UnbalancedPostingError(`non-integer amount on ${l.account.id}`);
    sums.set(l.account.currency, (sums.get(l.account.currency) ?? 0) + l.amountMinor);
  }
  for (const [currency, total] of sums) if (total !== 0) throw new UnbalancedPostingError(`posting ${p.kind}/${p.sourceId} does not balance in ${currency}: ${total}`);
  const id = randomUUID();
  const uniqueAccounts = [...new Map(legs.map((l) => [l.account.id, l.account])).values()];
  // One round trip: the transaction row (the idempotency gate), any new accounts, the entries.
  const [row]: { inserted: number }[] = await m.query(
    `WITH tx AS (
       INSERT INTO "billing"."ledger_transactions"
         ("id","source_id","kind","advertiser_id","campaign_id","pricing_model","reward_id","currency","units","cost_minor","fee_minor","occurred_at","created_at")
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12, now())
       ON CONFLICT ("source_id","kind") DO NOTHING RETURNING "id"),
     acc AS (
       INSERT INTO "billing"."accounts" ("account_id","kind","owner_id","customer_id","currency")
       SELECT a.* FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[]) AS a WHERE EXISTS (SELECT 1 FROM tx)
       ON CONFLICT DO NOTHING),
     ent AS (
       INSERT INTO "billing"."ledger_entries" ("transaction_id","account_id","currency","amount_minor")
       SELECT tx."id", l.a, l.c, l.n FROM tx, unnest($18::text[], $19::text[], $20::bigint[]) AS l(a, c, n))
     SELECT count(*)::int AS inserted FROM tx`,
    [
      id,
      p.sourceId,
      p.kind,
      p.advertiserId ?? null,
      p.campaignId ?? null,
      p.pricingModel ?? null,
      p.rewardId ?? null,
      p.currency,
      p.units ?? 0,
      p.costMinor ?? 0,
      p.feeMinor ?? 0,
      p.occurredAt,
      uniqueAccounts.map((a) => a.id),
      uniqueAccounts.map((a) => a.kind),
      uniqueAccounts.map((a) => a.ownerId),
      uniqueAccounts.map((a) => a.customerId ?? null),
      uniqueAccounts.map((a) => a.currency),
      legs.map((l) => l.account.id),
      legs.map((l) => l.account.currency),
      legs.map((l) => String(l.amountMinor)),
    ],
  );
  if (row.inserted === 0) throw new TransientError(`posting ${p.kind}/${p.sourceId} was written concurrently; retrying`);
  return id;
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
