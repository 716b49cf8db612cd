import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { fieldError } from '@prestanda/service-kit';
import { ApiTags } from '@nestjs/swagger';
import { assertAdvertiserAccess, CurrentPrincipal, type Principal } from '@prestanda/auth';
import { DataSource } from 'typeorm';
import { monthRange } from '../billing/pricing';

export interface InvoiceLine {
  campaignId: string;
  pricingModel: string;
  currency: string;
  /** Actions charged (rewards, clicks, leads, impressions). */
  units: number;
  /** Cashback (CPA) or publisher commission (CPC, CPL, CPM) charged. */
  costMinor: number;
  feesMinor: number;
  /** Reversals credited back (cost + fee). */
  creditsMinor: number;
  totalMinor: number;
}

export interface Invoice {
  advertiserId: string;
  month: string;
  currency: string;
  lines: InvoiceLine[];
  totalMinor: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Invoices are computed from the ledger on request: per advertiser, calendar month (UTC, by
 * the action's time), one line per campaign and pricing model. The total of a line is the sum
 * of the advertiser-receivable entries of its transactions.
 */
export async function computeInvoices(ds: DataSource, advertiserId: string, month?: string): Promise<Invoice[]> {
  const range = month ? monthRange(month) : undefined;
  const rows: { month: string; campaign_id: string; pricing_model: string; currency: string; units: string; cost: string; fees: string; credits: string; total: string }[] = await ds.query(
    `SELECT to_char(t."occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM') AS month, t."campaign_id", t."pricing_model", t."currency",
            SUM(t."units")::text AS units,
            SUM(GREATEST(t."cost_minor",0))::text AS cost, SUM(GREATEST(t."fee_minor",0))::text AS fees,
            (-SUM(LEAST(t."cost_minor",0) + LEAST(t."fee_minor",0)))::text AS credits,
            COALESCE(SUM(e."amount_minor"),0)::text AS total
       FROM "billing"."ledger_transactions" t
       LEFT JOIN "billing"."ledger_entries" e ON e."transaction_id" = t."id" AND e."account_id" = 'advertiser-receivable:' || t."advertiser_id" || ':' || t."currency"
      WHERE t."advertiser_id" = $1 AND t."pricing_model" IS NOT NULL
        AND ($2::timestamptz IS NULL OR t."occurred_at" >= $2) AND ($3::timestamptz IS NULL OR t."occurred_at" < $3)
      GROUP BY 1, 2, 3, 4
     HAVING SUM(t."units") > 0 OR COALESCE(SUM(e."amount_minor"),0) <> 0
      ORDER BY 1, 2, 3, 4`,
    [advertiserId, range?.start ?? null, range?.end ?? null],
  );
  const byKey = new Map<string, Invoice>();
  for (const r of rows) {
    const key = `${r.month}:${r.currency}`;
    let inv = byKey.get(key);
    if (!inv) byKey.set(key, (inv = { advertiserId, month: r.month, currency: r.currency, lines: [], totalMinor: 0 }));
    const line: InvoiceLine = {
      campaignId: r.campaign_id,
      pricingModel: r.pricing_model,
      currency: r.currency,
      units: Number(r.units),
      costMinor: Number(r.cost),
      feesMinor: Number(r.fees),
      creditsMinor: Number(r.credits),
      totalMinor: Number(r.total),
    };
    inv.lines.push(line);
    inv.totalMinor += line.totalMinor;
  }
  return [...byKey.values()];
}

export function invoiceCsv(invoices: Invoice[]): string {
  const header = 'advertiserId,month,currency,campaignId,pricingModel,units,costMinor,feesMinor,creditsMinor,totalMinor';
  const esc = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const lines = invoices.flatMap((inv) =>
    inv.lines.map((l) => [inv.advertiserId, inv.month, l.currency, l.campaignId, l.pricingModel, l.units, l.costMinor, l.feesMinor, l.creditsMinor, l.totalMinor].map(esc).join(',')),
  );
  return [header, ...lines].join('\n') + '\n';
}

@ApiTags('invoices')
@Controller('v1/advertisers/:advertiserId/invoices')
export class InvoicesController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  async list(@Param('advertiserId') advertiserId: string, @CurrentPrincipal() principal: Principal) {
    assertAdvertiserAccess(principal, advertiserId);
    const invoices = await computeInvoices(this.ds, advertiserId);
    return { advertiserId, invoices: invoices.map((i) => ({ month: i.month, currency: i.currency, lineCount: i.lines.length, totalMinor: i.totalMinor })) };
  }

  @Get(':month')
  async get(
    @Param('advertiserId') advertiserId: string,
    @Param('month') month: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: { setHeader(name: string, value: string): void },
  ) {
    assertAdvertiserAccess(principal, advertiserId);
    if (!MONTH.test(month)) throw fieldError('month', 'must be YYYY-MM');
    const invoices = await computeInvoices(this.ds, advertiserId, month);
    if (format === 'csv' || (format === undefined && accept?.includes('text/csv'))) {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="invoice-${advertiserId}-${month}.csv"`);
      return invoiceCsv(invoices);
    }
    return { advertiserId, month, invoices };
  }
}
