import { Controller, ForbiddenException, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AllowIntegrations, assertAdvertiserAccess, CurrentPrincipal, Roles, type Principal } from '@prestanda/auth';
import { fieldError } from '@prestanda/service-kit';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { pageOf } from './feed';
import { OffersService } from './offers.service';

const ID = /^[\x21-\x7E]+$/;

export class CustomerParams {
  @ApiProperty({ description: "The bank's pseudonymous customer id.", example: 'cust-5c1e9b2f' })
  @IsString()
  @Length(1, 128)
  @Matches(ID)
  customerId!: string;
}

export class CustomerOffersQuery {
  @ApiPropertyOptional({
    description: "The customer's bank (integration id): a customer is (bank, customer id). Required for ops; a bank's API key always means its own bank (another bank is 403).",
    example: 'bank-demo-se',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(ID)
  bank?: string;

  @ApiPropertyOptional({ enum: ['sv', 'en'], default: 'sv', description: "The customer's language: each offer's content in it (else the other language)." })
  @IsOptional()
  @IsIn(['sv', 'en'])
  locale?: 'sv' | 'en';

  @ApiPropertyOptional({ description: 'Offers per page (1–100).', default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The page after this campaign id (the nextAfter of the previous page).' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(ID)
  after?: string;
}

export class TransactionParams {
  @ApiProperty({ description: 'The bank integration id (bankSource).', example: 'bank-demo-se' })
  @IsString()
  @Length(1, 128)
  @Matches(ID)
  source!: string;

  @ApiProperty({ description: "The bank's transaction id.", example: 'txn-20250314-8f2c1a' })
  @IsString()
  @Length(1, 128)
  @Matches(ID)
  transactionId!: string;
}

export class CampaignParams {
  @ApiProperty({ example: 'cmp-01HQ4Z8K2M' })
  @IsString()
  @Length(1, 128)
  @Matches(ID)
  campaignId!: string;
}

export class RangeQuery {
  @ApiPropertyOptional({ description: 'Evaluated at or after (RFC 3339).', example: '2025-03-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Evaluated before (RFC 3339).', example: '2025-04-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

@ApiTags('offers')
@Controller('v1')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Get('customers/:customerId/offers')
  @AllowIntegrations()
  @Roles('ops-admin', 'ops-viewer')
  @ApiOperation({ summary: 'Offers this customer can earn on now (audience, schedule, caps, budget, holdout applied), with activation state. For bank apps (API key: only campaigns their publisher is approved for) and ops (all).' })
  @ApiOkResponse({ description: '{ bank, customerId, locale, offers: [{ campaignId, content: { locale, title, description, terms, imageUrl }, reward, … }], nextAfter }' })
  async customerOffers(@Param() params: CustomerParams, @Query() query: CustomerOffersQuery, @CurrentPrincipal() principal: Principal) {
    // A bank's key speaks for its own customers only; ops name the bank.
    const bank = principal.kind === 'integration' ? principal.source : query.bank;
    if (!bank) throw fieldError('bank', 'required: a customer is (bank, customer id)');
    if (principal.kind === 'integration' && query.bank !== undefined && query.bank !== principal.source) throw new ForbiddenException("an integration sees only its own bank's customers");
    // An integration sees the campaigns its publisher is approved for (an integration without a publisher sees none); ops see all.
    const publisherId = principal.kind === 'integration' ? (principal.publisherId ?? '-') : undefined;
    const locale = query.locale ?? 'sv';
    const page = pageOf(await this.offers.offersFor(bank, params.customerId, publisherId, new Date(), locale), query.limit ?? 50, query.after);
    return { bank, customerId: params.customerId, locale, offers: page.items, nextAfter: page.nextAfter };
  }

  @Get('transactions/:source/:transactionId/outcomes')
  @AllowIntegrations()
  @Roles('ops-admin', 'ops-viewer')
  @ApiOperation({
    summary: "Why each candidate campaign did or did not reward this transaction: for ops, and for the bank that sent it (its API key, its own transactions only; the platform fee is left out), so that its customer service can answer \"why no cashback?\".",
  })
  @ApiOkResponse({ description: '{ purchaseId, explanation, outcomes: [{ campaignId, outcome, reasonCode, ... }] }' })
  async outcomes(@Param() params: TransactionParams, @CurrentPrincipal() principal: Principal) {
    if (principal.kind === 'integration' && principal.source !== params.source) throw new ForbiddenException("an integration sees only its own bank's transactions");
    const result = await this.offers.outcomesOf(params.source, params.transactionId);
    if (principal.kind !== 'integration') return result;
    return { ...result, outcomes: result.outcomes.map(({ platformFee: _fee, ...rest }) => rest) };
  }

  @Get('campaigns/:campaignId/outcomes')
  @Roles('ops-admin', 'ops-viewer', 'advertiser')
  @ApiOperation({
    summary: 'For the advertiser (its own campaigns) and ops: how many purchases each reason decided on this campaign, with the reason in words (sv, en). Counts only: no customer, transaction or bank.',
  })
  @ApiOkResponse({ description: '{ campaignId, advertiserId, total, reasons: [{ outcome, reasonCode, count, text }] }' })
  async campaignOutcomes(@Param() params: CampaignParams, @Query() range: RangeQuery, @CurrentPrincipal() principal: Principal) {
    const summary = await this.offers.reasonSummary(params.campaignId, range);
    assertAdvertiserAccess(principal, summary.advertiserId);
    return summary;
  }
}
