import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertAdvertiserAccess, CurrentPrincipal, type Principal } from '@prestanda/auth';
import { DataSource } from 'typeorm';
import { dayIn, pacedAllowance, percentOf, projectedExhaustion } from '../billing/pricing';

/**
 * Budget status for the console: spend against the total and today's cap, the even-pacing
 * allowance at this time of day, and when the budget runs out at the last 24 hours' spend rate.
 */
@ApiTags('budgets')
@Controller('v1/campaigns/:campaignId/budget')
export class BudgetsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  async get(@Param('campaignId') campaignId: string, @CurrentPrincipal() principal: Principal) {
    const [b] = await this.ds.query(
      `SELECT b.*, c."time_zone" FROM "billing"."budgets" b JOIN "billing"."campaigns" c USING ("campaign_id") WHERE b."campaign_id"=$1`,
      [campaignId],
    );
    if (!b) throw new NotFoundException(`campaign ${campaignId} not known to billing`);
    assertAdvertiserAccess(principal, b.advertiser_id);
    const now = new Date();
    const total = Number(b.total_minor);
    const spent = Number(b.spent_minor);
    const [rate] = await this.ds.query(
      `SELECT COALESCE(SUM("cost_minor" + "fee_minor"),0)::text AS spent FROM "billing"."ledger_transactions"
        WHERE "campaign_id"=$1 AND "pricing_model" IS NOT NULL AND "created_at" > now() - interval '24 hours'`,
      [campaignId],
    );
    const ratePerHour = Math.max(0, Number(rate.spent) / 24);
    const money = (amountMinor: number) => ({ amountMinor, currency: b.currency });
    let daily: object | undefined;
    if (b.daily_minor !== null) {
      const cap = Number(b.daily_minor);
      const day = dayIn(now, b.time_zone);
      const [d] = await this.ds.query(`SELECT "spent_minor"::text AS s FROM "billing"."budget_days" WHERE "campaign_id"=$1 AND "day"=$2`, [campaignId, day]);
      const daySpent = Number(d?.s ?? 0);
      const allowance = b.pacing === 'even' ? pacedAllowance(cap, now, b.time_zone) : cap;
      daily = {
        day,
        budget: money(cap),
        spent: money(daySpent),
        percent: percentOf(daySpent, cap),
        pacedAllowance: money(allowance),
        aheadOfPace: daySpent > allowance,
        projectedExhaustionAt: projectedExhaustion(cap - daySpent, ratePerHour, now)?.toISOString() ?? null,
      };
    }
    return {
      campaignId,
      advertiserId: b.advertiser_id,
      pacing: b.pacing,
      budget: money(total),
      spent: money(spent),
      remaining: money(Math.max(0, total - spent)),
      percent: percentOf(spent, total),
      thresholdReached: b.threshold_sent,
      exhausted: b.exhausted_sent,
      spendRatePerHour: money(Math.round(ratePerHour)),
      projectedExhaustionAt: projectedExhaustion(total - spent, ratePerHour, now)?.toISOString() ?? null,
      ...(daily ? { daily } : {}),
    };
  }
}
