import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { assertAdvertiserAccess, CurrentPrincipal, type Principal } from '@prestanda/auth';
import { fieldError } from '@prestanda/service-kit';
import { DataSource } from 'typeorm';

/** Posting kinds of priced actions, by the path's kind. */
const KINDS = ['cpc', 'cpl', 'cpm', 'conversion-cpa'] as const;

/**
 * "Was this click (lead, impression, sale) billed, and if not, why?" — for ops and the
 * campaign's advertiser. Charged actions are ledger transactions; the others were recorded with
 * their reason (publisher-not-approved, budget-spent, advertiser-budget-spent, repeat-click). An impression that only
 * accrued towards the next billed minor unit has neither (404).
 */
@ApiTags('actions')
@Controller('v1/actions/:kind/:sourceId')
export class ActionsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'How billing decided one priced action' })
  @ApiParam({ name: 'kind', enum: KINDS })
  @ApiParam({ name: 'sourceId', description: 'The click id, lead id, impression id or conversion id.' })
  @ApiResponse({ status: 200, description: '`{ charged: true, chargeMinor, commissionMinor, feeMinor, … }` or `{ charged: false, reason, … }`' })
  @ApiResponse({ status: 404, description: 'Billing has no decision recorded for it.' })
  async get(@Param('kind') kind: string, @Param('sourceId') sourceId: string, @CurrentPrincipal() principal: Principal) {
    if (!(KINDS as readonly string[]).includes(kind)) throw fieldError('kind', `must be one of ${KINDS.join(', ')}`);
    const [posted] = await this.ds.query(
      `SELECT "campaign_id", "advertiser_id", "currency", "cost_minor"::text AS cost, "fee_minor"::text AS fee, "units", "occurred_at"
         FROM "billing"."ledger_transactions" WHERE "source_id" = $1 AND "kind" = $2`,
      [sourceId, kind],
    );
    if (posted) {
      assertAdvertiserAccess(principal, posted.advertiser_id);
      const commission = Number(posted.cost);
      const fee = Number(posted.fee);
      return {
        kind,
        sourceId,
        campaignId: posted.campaign_id,
        charged: true,
        chargeMinor: commission + fee,
        commissionMinor: commission,
        feeMinor: fee,
        currency: posted.currency,
        units: posted.units,
        occurredAt: new Date(posted.occurred_at).toISOString(),
      };
    }
    const [refused] = await this.ds.query(
      `SELECT "campaign_id", "advertiser_id", "publisher_id", "reason", "occurred_at" FROM "billing"."unbilled_actions" WHERE "source_id" = $1 AND "kind" = $2`,
      [sourceId, kind],
    );
    if (!refused) throw new NotFoundException(`no billing decision for ${kind} ${sourceId}`);
    assertAdvertiserAccess(principal, refused.advertiser_id);
    return {
      kind,
      sourceId,
      campaignId: refused.campaign_id,
      publisherId: refused.publisher_id,
      charged: false,
      reason: refused.reason,
      occurredAt: new Date(refused.occurred_at).toISOString(),
    };
  }
}
