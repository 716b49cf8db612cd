import { Body, Controller, ForbiddenException, Get, HttpCode, Injectable, NotFoundException, Param, Post, ConflictException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AllowIntegrations, CurrentPrincipal, Roles, type Principal } from '@prestanda/auth';
import { MAX_PAYOUT_LINES, nameBasedUuid, newEnvelope, PayoutBatchAcknowledgedV1, PayoutBatchCreatedV1, RewardPaidV1, Topic, type PayoutLine } from '@prestanda/contracts';
import { enqueueEvents, type OutboxItem } from '@prestanda/persistence';
import { MessagingRuntime } from '@prestanda/service-kit';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { paidRewards } from '../billing/billing.repository';
import { accounts, lockPayableExclusive, post, type AccountRef } from '../billing/ledger';

export class CreatePayoutBatchesDto {
  @ApiPropertyOptional({ description: 'End (exclusive) of the period paid; default now.' })
  @IsOptional()
  @IsISO8601()
  periodEnd?: string;
}

export class AcknowledgeBatchDto {
  @ApiProperty({ enum: ['accepted', 'partially-accepted', 'rejected'] })
  @IsIn(['accepted', 'partially-accepted', 'rejected'])
  status: 'accepted' | 'partially-accepted' | 'rejected';

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PAYOUT_LINES)
  @IsString({ each: true })
  rejectedLineIds?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  payeeReference?: string;
}

interface StoredLine extends PayoutLine {
  accountId: string;
  accountKind: string;
  ownerId: string;
  accountCustomerId?: string;
}

interface Candidate {
  payeeKind: 'bank' | 'affiliate';
  payeeId: string;
  currency: string;
  lines: StoredLine[];
}

/**
 * Payout runs. Bank batches: per bank and currency, one line per customer whose confirmed
 * cashback payable is positive; a negative balance (a refund after an earlier payout) is netted
 * into the line, and a customer still negative is carried to the next run. Publisher batches:
 * per publisher and currency, one line per campaign with a positive payable — an affiliate's
 * commission (payee kind affiliate), a bank's or rewards app's revenue share (payee kind bank,
 * payee its publisher id: its statement).
 * Each line is its own ledger transaction: payable → payouts in transit (until the payee acknowledges).
 */
@Injectable()
export class PayoutService {
  constructor(
    private readonly ds: DataSource,
    private readonly messaging: MessagingRuntime,
  ) {}

  private async candidates(m: EntityManager): Promise<Candidate[]> {
    const out = new Map<string, Candidate>();
    const add = (payeeKind: 'bank' | 'affiliate', payeeId: string, currency: string, line: StoredLine) => {
      const key = `${payeeKind}:${payeeId}:${currency}`;
      let c = out.get(key);
      if (!c) out.set(key, (c = { payeeKind, payeeId, currency, lines: [] }));
      if (c.lines.length < MAX_PAYOUT_LINES) c.lines.push(line);
    };
    const customers: { account_id: string; owner_id: string; customer_id: string; currency: string; balance: string }[] = await m.query(
      `SELECT a."account_id", a."owner_id", a."customer_id", a."currency", (-SUM(e."amount_minor"))::text AS balance
         FROM "billing"."accounts" a JOIN "billing"."ledger_entries" e ON e."account_id" = a."account_id"
        WHERE a."kind" = 'customer-cashback-payable'
        GROUP BY 1, 2, 3, 4 HAVING -SUM(e."amount_minor") > 0 ORDER BY 2, 3`,
    );
    for (const c of customers) {
      const rewards: { reward_id: string; remaining_minor: string }[] = await m.query(
        `SELECT "reward_id","remaining_minor" FROM "billing"."rewards"
          WHERE "bank_id"=$1 AND "customer_id"=$2 AND "currency"=$3 AND "status"='confirmed' AND "payout_batch_id" IS NULL ORDER BY "reward_id" FOR UPDATE`,
        [c.owner_id, c.customer_id, c.currency],
      );
      const balance = Number(c.balance);
      const unpaid = rewards.reduce((s, r) => s + Number(r.remaining_minor), 0);
      const netted = Math.max(0, unpaid - balance);
      add('bank', c.owner_id, c.currency, {
        lineId: '',
        customerId: c.customer_id,
        amount: { amountMinor: balance, currency: c.currency },
        ...(netted > 0 ? { nettedNegativeBalance: { amountMinor: netted, currency: c.currency } } : {}),
        ...(rewards.length > 0 ? { rewardIds: rewards.slice(0, 1000).map((r) => r.reward_id) } : {}),
        accountId: c.account_id,
        accountKind: 'customer-cashback-payable',
        ownerId: c.owner_id,
        accountCustomerId: c.customer_id,
      });
    }
    // Publishers' payables per campaign: an affiliate's commission, and a bank's or rewards app's
    // revenue share (the publisher share of the fee on the rewards it was credited with).
    const publishers: { account_id: string; owner_id: string; currency: string; campaign_id: string; balance: string; kind: string }[] = await m.query(
      `WITH balances AS (
         SELECT a."account_id", a."owner_id", a."currency", t."campaign_id", (-SUM(e."amount_minor"))::text AS balance
           FROM "billing"."accounts" a
           JOIN "billing"."ledger_entries" e ON e."account_id" = a."account_id"
           JOIN "billing"."ledger_transactions" t ON t."id" = e."transaction_id"
          WHERE a."kind" = 'publisher-payable' AND t."campaign_id" IS NOT NULL
          GROUP BY 1, 2, 3, 4 HAVING -SUM(e."amount_minor") > 0)
       SELECT b.*, k."kind" FROM balances b
         JOIN LATERAL (SELECT p->>'kind' AS "kind" FROM "billing"."campaigns" c, jsonb_array_elements(c."publishers") p
                        WHERE p->>'publisherId' = b."owner_id" LIMIT 1) k ON true
        ORDER BY b."owner_id", b."campaign_id"`,
    );
    for (const a of publishers) {
      // A bank or rewards app is paid as a bank (its revenue-share statement: one line per campaign).
      add(a.kind === 'affiliate' ? 'affiliate' : 'bank', a.owner_id, a.currency, {
        lineId: '',
        campaignId: a.campaign_id,
        amount: { amountMinor: Number(a.balance), currency: a.currency },
        accountId: a.account_id,
        accountKind: 'publisher-payable',
        ownerId: a.owner_id,
      });
    }
    return [...out.values()];
  }

  /** One run: every payee with something to pay gets a batch; published on `payouts`. */
  async createBatches(periodEnd = new Date()): Promise<object[]> {
    const created: object[] = [];
    await this.ds.transaction(async (m) => {
      // One payout run at a time, and no cashback confirmed or reversed while it reads balances.
      await lockPayableExclusive(m);
      const [last] = await m.query(`SELECT max("created_at") AS at FROM "billing"."payout_batches"`);
      const periodStart: Date = last?.at ? new Date(last.at) : new Date(0);
      const outbox: OutboxItem[] = [];
      for (const c of await this.candidates(m)) {
        const batchId = `pob-${c.payeeId}-${c.currency}-${randomUUID().slice(0, 8)}`;
        const lines = c.lines.map((l, i) => ({ ...l, lineId: `pol-${String(i + 1).padStart(4, '0')}` }));
        const total = lines.reduce((s, l) => s + l.amount.amountMinor, 0);
        for (const l of lines) {
          const from: AccountRef = { id: l.accountId, kind: l.accountKind as AccountRef['kind'], ownerId: l.ownerId, customerId: l.accountCustomerId, currency: c.currency };
          await post(m, {
            sourceId: `${batchId}:${l.lineId}`,
            kind: 'payout',
            currency: c.currency,
            campaignId: l.campaignId,
            occurredAt: periodEnd,
            legs: [
              { account: from, amountMinor: l.amount.amountMinor },
              { account: accounts.inTransit(c.payeeId, c.currency), amountMinor: -l.amount.amountMinor },
            ],
          });
          if (l.rewardIds?.length) await m.query(`UPDATE "billing"."rewards" SET "payout_batch_id"=$1 WHERE "reward_id" = ANY($2)`, [batchId, l.rewardIds]);
        }
        const items: PayoutLine[] = lines.map((l) => {
          const { accountId: _a, accountKind: _k, ownerId: _o, accountCustomerId: _c, ...line } = l;
          return line;
        });
        await m.query(
          `INSERT INTO "billing"."payout_batches" ("batch_id","payee_kind","payee_id","currency","total_minor","status","lines","created_at","acknowledged_at")
           VALUES ($1,$2,$3,$4,$5,'created',$6,$7,NULL)`,
          [batchId, c.payeeKind, c.payeeId, c.currency, total, JSON.stringify(lines), periodEnd],
        );
        const data = {
          batchId,
          payeeKind: c.payeeKind,
          payeeId: c.payeeId,
          currency: c.currency,
          total: { amountMinor: total, currency: c.currency },
          lineCount: items.length,
          periodStart: periodStart.toISOString(),
          periodEnd: periodEnd.toISOString(),
          items,
          createdAt: periodEnd.toISOString(),
        };
        outbox.push({ topic: Topic.Payouts, key: c.payeeId, event: newEnvelope(PayoutBatchCreatedV1, { source: 'billing', occurredAt: periodEnd, data }) });
        created.push(data);
      }
      await enqueueEvents(m, outbox);
    });
    this.messaging.nudgeRelay();
    return created;
  }

  async list(): Promise<object[]> {
    const rows = await this.ds.query(
      `SELECT "batch_id","payee_kind","payee_id","currency","total_minor"::text AS total,"status","created_at","acknowledged_at" FROM "billing"."payout_batches" ORDER BY "created_at" DESC LIMIT 500`,
    );
    return rows.map((r: Record<string, unknown>) => ({
      batchId: r.batch_id,
      payeeKind: r.payee_kind,
      payeeId: r.payee_id,
      total: { amountMinor: Number(r.total), currency: r.currency },
      status: r.status,
      createdAt: r.created_at,
      acknowledgedAt: r.acknowledged_at,
    }));
  }

  /**
   * The payee's answer. Accepted lines: in transit → paid out (platform cash); the rewards in them
   * count as paid. Rejected lines go back to the payable they came from (and their rewards to the next run).
   */
  async acknowledge(batchId: string, dto: AcknowledgeBatchDto, principal: Principal): Promise<object> {
    const result = await this.ds.transaction(async (m) => {
      const [b] = await m.query(`SELECT * FROM "billing"."payout_batches" WHERE "batch_id"=$1 FOR UPDATE`, [batchId]);
      if (!b) throw new NotFoundException(`payout batch ${batchId} not found`);
      if (principal.kind === 'integration' && principal.source !== b.payee_id && principal.publisherId !== b.payee_id) throw new ForbiddenException('not the payee of this batch');
      if (b.status !== 'created') throw new ConflictException(`batch already acknowledged (${b.status})`);
      const lines = b.lines as StoredLine[];
      const rejected = new Set(dto.status === 'rejected' ? lines.map((l) => l.lineId) : dto.status === 'partially-accepted' ? (dto.rejectedLineIds ?? []) : []);
      const at = new Date();
      const inTransit = accounts.inTransit(b.payee_id, b.currency);
      const paid: Awaited<ReturnType<typeof paidRewards>> = [];
      for (const l of lines) {
        const back = rejected.has(l.lineId);
        const to: AccountRef = back
          ? { id: l.accountId, kind: l.accountKind as AccountRef['kind'], ownerId: l.ownerId, customerId: l.accountCustomerId, currency: b.currency }
          : accounts.cash(b.currency);
        await post(m, {
          sourceId: `${batchId}:${l.lineId}`,
          kind: back ? 'payout-rejected' : 'payout-acknowledged',
          currency: b.currency,
          campaignId: l.campaignId,
          occurredAt: at,
          legs: [
            { account: inTransit, amountMinor: l.amount.amountMinor },
            { account: to, amountMinor: -l.amount.amountMinor },
          ],
        });
        if (l.rewardIds?.length) {
          if (back) await m.query(`UPDATE "billing"."rewards" SET "payout_batch_id"=NULL WHERE "reward_id" = ANY($1)`, [l.rewardIds]);
          else {
            await m.query(`UPDATE "billing"."rewards" SET "status"='paid' WHERE "reward_id" = ANY($1)`, [l.rewardIds]);
            paid.push(...(await paidRewards(m, l.rewardIds)));
          }
        }
      }
      await m.query(`UPDATE "billing"."payout_batches" SET "status"=$2, "acknowledged_at"=$3 WHERE "batch_id"=$1`, [batchId, dto.status, at]);
      const data = {
        batchId,
        payeeKind: b.payee_kind,
        payeeId: b.payee_id,
        status: dto.status,
        ...(dto.status === 'partially-accepted' ? { rejectedLineIds: [...rejected] } : {}),
        ...(dto.payeeReference ? { payeeReference: dto.payeeReference } : {}),
        acknowledgedAt: at.toISOString(),
      };
      // The customer is told "paid" once the bank has taken the money: one reward.paid per reward in an accepted line.
      const paidEvents: OutboxItem[] = paid.map((r) => ({
        topic: Topic.Rewards,
        key: r.customer_id,
        event: newEnvelope(RewardPaidV1, {
          source: 'billing',
          occurredAt: at,
          eventId: nameBasedUuid(`reward.paid|${r.reward_id}|${batchId}`),
          data: {
            rewardId: r.reward_id,
            purchaseId: r.purchase_id,
            customerId: r.customer_id,
            campaignId: r.campaign_id,
            advertiserId: r.advertiser_id,
            publisherId: r.publisher_id,
            status: 'paid',
            reasonCode: 'paid-out',
            amount: { amountMinor: Number(r.remaining), currency: r.currency },
            payoutBatchId: batchId,
            paidAt: at.toISOString(),
          },
        }),
      }));
      await enqueueEvents(m, [{ topic: Topic.Payouts, key: b.payee_id, event: newEnvelope(PayoutBatchAcknowledgedV1, { source: 'billing', occurredAt: at, data }) }, ...paidEvents]);
      return data;
    });
    this.messaging.nudgeRelay();
    return result;
  }
}

@ApiTags('payouts')
@Controller('v1/payouts/batches')
export class PayoutsController {
  constructor(private readonly payouts: PayoutService) {}

  @Post()
  @Roles('ops-admin')
  async create(@Body() dto: CreatePayoutBatchesDto) {
    const batches = await this.payouts.createBatches(dto.periodEnd ? new Date(dto.periodEnd) : undefined);
    return { batches };
  }

  @Get()
  @Roles('ops-admin', 'ops-viewer')
  async list() {
    return { batches: await this.payouts.list() };
  }

  @Post(':batchId/acknowledge')
  @HttpCode(200)
  @Roles('ops-admin')
  @AllowIntegrations()
  async acknowledge(@Param('batchId') batchId: string, @Body() dto: AcknowledgeBatchDto, @CurrentPrincipal() principal: Principal) {
    return this.payouts.acknowledge(batchId, dto, principal);
  }
}
