import { Controller, Get, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@prestanda/auth';
import { metricsRegistry } from '@prestanda/observability';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

export interface LedgerCheck {
  name: string;
  ok: boolean;
  failures: object[];
}

const GAUGE = 'prestanda_billing_ledger_check_ok';
/** The app instances of this process; the gauge reports the last one started. */
const instances: LedgerChecks[] = [];

/**
 * Ledger invariants, served at GET /v1/ledger/checks and as a Prometheus gauge
 * (prestanda_billing_ledger_check_ok{check} = 1 when it holds, computed on scrape).
 */
@Injectable()
export class LedgerChecks implements OnModuleInit, OnModuleDestroy {
  constructor(private readonly ds: DataSource) {}

  onModuleInit(): void {
    instances.push(this);
    if (metricsRegistry.getSingleMetric(GAUGE)) return;
    new Gauge({
      name: GAUGE,
      help: 'Billing ledger invariant holds (1) or not (0), by check',
      labelNames: ['check'],
      registers: [metricsRegistry],
      async collect() {
        const current = instances[instances.length - 1];
        if (!current) return;
        try {
          for (const c of await current.run()) this.set({ check: c.name }, c.ok ? 1 : 0);
        } catch {
          // database away: leave the last values
        }
      },
    });
  }

  onModuleDestroy(): void {
    const i = instances.indexOf(this);
    if (i >= 0) instances.splice(i, 1);
  }

  async run(): Promise<LedgerCheck[]> {
    const zero = await this.ds.query(
      `SELECT "currency", SUM("amount_minor")::text AS total FROM "billing"."ledger_entries" GROUP BY 1 HAVING SUM("amount_minor") <> 0`,
    );
    const perTransaction = await this.ds.query(
      `SELECT "transaction_id", "currency", SUM("amount_minor")::text AS total FROM "billing"."ledger_entries" GROUP BY 1, 2 HAVING SUM("amount_minor") <> 0 LIMIT 20`,
    );
    // Receivable entries of each advertiser = its charged rewards/commissions and fees minus reversals.
    const advertisers = await this.ds.query(
      `WITH t AS (SELECT "advertiser_id", "currency", SUM("cost_minor" + "fee_minor") AS expected FROM "billing"."ledger_transactions" WHERE "advertiser_id" IS NOT NULL GROUP BY 1, 2),
            e AS (SELECT a."owner_id" AS advertiser_id, a."currency", SUM(le."amount_minor") AS charged
                    FROM "billing"."accounts" a JOIN "billing"."ledger_entries" le ON le."account_id" = a."account_id"
                   WHERE a."kind" = 'advertiser-receivable' GROUP BY 1, 2)
       SELECT COALESCE(t."advertiser_id", e."advertiser_id") AS "advertiserId", COALESCE(t."currency", e."currency") AS currency,
              COALESCE(t.expected,0)::text AS expected, COALESCE(e.charged,0)::text AS charged
         FROM t FULL JOIN e ON e."advertiser_id" = t."advertiser_id" AND e."currency" = t."currency"
        WHERE COALESCE(t.expected,0) <> COALESCE(e.charged,0)`,
    );
    // Spend (from the ledger) never exceeds a budget by more than one action.
    const budgets = await this.ds.query(
      `SELECT b."campaign_id" AS "campaignId", b."total_minor"::text AS budget, COALESCE(s.spent,0)::text AS spent, COALESCE(s.largest,0)::text AS "largestAction"
         FROM "billing"."budgets" b
         LEFT JOIN (SELECT "campaign_id", SUM("cost_minor" + "fee_minor") AS spent, MAX("cost_minor" + "fee_minor") AS largest
                      FROM "billing"."ledger_transactions" WHERE "campaign_id" IS NOT NULL AND "pricing_model" IS NOT NULL GROUP BY 1) s
           ON s."campaign_id" = b."campaign_id"
        WHERE COALESCE(s.spent,0) - b."total_minor" > GREATEST(COALESCE(s.largest,0), 0) AND COALESCE(s.spent,0) > b."total_minor"`,
    );
    return [
      { name: 'entries-sum-to-zero', ok: zero.length === 0 && perTransaction.length === 0, failures: [...zero, ...perTransaction] },
      { name: 'advertiser-charges-match', ok: advertisers.length === 0, failures: advertisers },
      { name: 'budget-overspend-within-one-action', ok: budgets.length === 0, failures: budgets },
    ];
  }
}

@ApiTags('ledger')
@Controller('v1/ledger')
export class LedgerChecksController {
  constructor(private readonly checks: LedgerChecks) {}

  @Get('checks')
  @Roles('ops-admin', 'ops-viewer')
  async get() {
    const checks = await this.checks.run();
    return { ok: checks.every((c) => c.ok), checkedAt: new Date().toISOString(), checks };
  }
}
