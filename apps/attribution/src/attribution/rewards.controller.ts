import { Controller, ForbiddenException, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { reasonText } from '@prestanda/contracts';
import { AllowIntegrations, CurrentPrincipal, Roles, type Principal } from '@prestanda/auth';
import { fieldError } from '@prestanda/service-kit';
import { DataSource, In } from 'typeorm';
import { CampaignRow, MatchOutcomeRow, PendingAdjustmentRow, RewardHistoryRow, RewardRow } from './entities';

class MoneyDto {
  @ApiProperty({ example: 4295 }) amountMinor: number;
  @ApiProperty({ example: 'SEK' }) currency: string;
}

class RewardHistoryDto {
  @ApiProperty({ enum: ['earned', 'confirmed', 'reversed'] }) status: string;
  @ApiProperty({ example: 'refund-netted', description: 'rewarded, hold-period-passed, refund-netted, authorization-reversed' }) reasonCode: string;
  @ApiProperty({ type: MoneyDto, description: 'Earned, confirmed or clawed back by this change.' }) amount: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'What the customer keeps after this change.' }) remainingAmount: MoneyDto;
  @ApiPropertyOptional({ description: 'The bank transaction that caused it.' }) transactionId?: string;
  @ApiProperty() at: string;
}

class RewardDto {
  @ApiProperty() rewardId: string;
  @ApiProperty() purchaseId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() campaignId: string;
  @ApiPropertyOptional() campaignName?: string;
  @ApiProperty() advertiserId: string;
  @ApiProperty() merchantId: string;
  @ApiProperty() publisherId: string;
  @ApiProperty({ example: { method: 'activation', touchpointId: 'clk-1' } }) attribution: { method: string; touchpointId?: string };
  @ApiProperty({ enum: ['earned', 'confirmed', 'reversed'] }) status: string;
  @ApiProperty({ type: MoneyDto, description: 'What the customer keeps now.' }) amount: MoneyDto;
  @ApiProperty({ type: MoneyDto }) earnedAmount: MoneyDto;
  @ApiProperty({ type: MoneyDto }) reversedAmount: MoneyDto;
  @ApiProperty({ type: MoneyDto }) purchaseAmount: MoneyDto;
  @ApiProperty({ type: MoneyDto }) refundedAmount: MoneyDto;
  @ApiProperty() holdPeriodDays: number;
  @ApiProperty() purchasedAt: string;
  @ApiProperty() earnedAt: string;
  @ApiPropertyOptional() settledAt?: string;
  @ApiPropertyOptional() confirmedAt?: string;
  @ApiPropertyOptional() reversedAt?: string;
  @ApiProperty({ type: [String], description: 'Every reason code in its history.' }) reasonCodes: string[];
  @ApiProperty({ type: [RewardHistoryDto] }) history: RewardHistoryDto[];
}

class ReasonTextDto {
  @ApiProperty({ example: 'Erbjudandet var inte aktiverat före köpet.' }) sv: string;
  @ApiProperty({ example: 'The offer was not activated before the purchase.' }) en: string;
}

class DeclinedMatchDto {
  @ApiProperty() matchId: string;
  @ApiProperty() purchaseId: string;
  @ApiProperty() campaignId: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ example: 'not-activated', description: 'not-activated, activation-outside-window, already-rewarded, zero-reward' }) reasonCode: string;
  @ApiPropertyOptional({ type: ReasonTextDto, description: 'The reason for the customer, in Swedish and English (libs/contracts README).' }) text?: ReasonTextDto;
  @ApiProperty() purchasedAt: string;
  @ApiProperty() decidedAt: string;
}

class CustomerRewardsDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ type: [RewardDto] }) rewards: RewardDto[];
  @ApiProperty({ type: [DeclinedMatchDto], description: 'Matches attribution did not reward, with the reason.' }) declined: DeclinedMatchDto[];
}

class AdjustmentDto {
  @ApiProperty({ enum: ['settlement', 'refund', 'reversal'] }) kind: string;
  @ApiProperty() transactionId: string;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty() transactionAt: string;
  @ApiProperty({ enum: ['held', 'applied', 'expired'], description: 'held: no reward of the purchase yet; applied: applied to its rewards; expired: held too long.' }) state: string;
  @ApiPropertyOptional({ example: 'unknown-purchase' }) reasonCode?: string;
  @ApiProperty() receivedAt: string;
}

class PurchaseAdjustmentsDto {
  @ApiProperty() purchaseId: string;
  @ApiProperty({ type: [AdjustmentDto] }) adjustments: AdjustmentDto[];
}

class DecisionDto {
  @ApiProperty() matchId: string;
  @ApiProperty() campaignId: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ enum: ['rewarded', 'declined'] }) outcome: string;
  @ApiProperty({ example: 'not-activated', description: 'rewarded, or why not: not-activated, activation-outside-window, already-rewarded, zero-reward' }) reasonCode: string;
  @ApiPropertyOptional({ type: ReasonTextDto, description: 'The reason for the customer, in Swedish and English.' }) text?: ReasonTextDto;
  @ApiPropertyOptional() rewardId?: string;
  @ApiProperty() decidedAt: string;
}

class PurchaseDecisionsDto {
  @ApiProperty() purchaseId: string;
  @ApiProperty({ type: [DecisionDto] }) decisions: DecisionDto[];
}

/** A bank integration sees only its own customers' rewards (purchases it reported). */
function bankScope(principal: Principal | undefined): string | undefined {
  return principal?.kind === 'integration' ? principal.source : undefined;
}

@ApiTags('rewards')
@ApiSecurity('api-key')
@Controller('v1')
export class RewardsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('customers/:customerId/rewards')
  @Roles('ops-admin', 'ops-viewer')
  @AllowIntegrations()
  @ApiOkResponse({ type: CustomerRewardsDto })
  @ApiQuery({ name: 'bank', required: false, description: "Ops: only this bank's customer (a customer is (bank, customer id)). A bank's API key always means its own bank." })
  async customerRewards(@Param('customerId') customerId: string, @Query('bank') bankQuery: string | undefined, @CurrentPrincipal() principal: Principal): Promise<CustomerRewardsDto> {
    if (bankQuery !== undefined && !/^[\x21-\x7E]{1,128}$/.test(bankQuery)) throw fieldError('bank', 'must be an integration id (1-128 printable characters)');
    if (principal.kind === 'integration' && bankQuery !== undefined && bankQuery !== principal.source) throw new ForbiddenException("an integration sees only its own bank's customers");
    const bank = bankScope(principal) ?? bankQuery;
    const rows = await this.dataSource.getRepository(RewardRow).find({ where: { customerId, ...(bank ? { bankSource: bank } : {}) }, order: { earnedAt: 'DESC' }, take: 500 });
    const declined = await this.dataSource.getRepository(MatchOutcomeRow).find({ where: { customerId, outcome: 'declined' }, order: { decidedAt: 'DESC' }, take: 500 });
    const visibleDeclined = bank ? declined.filter((o) => o.purchaseId.startsWith(`${bank}:`)) : declined;
    return {
      customerId,
      rewards: await this.present(rows),
      declined: visibleDeclined.map((o) => ({
        matchId: o.matchId,
        purchaseId: o.purchaseId,
        campaignId: o.campaignId,
        merchantId: o.merchantId,
        reasonCode: o.reasonCode,
        ...withText(o.reasonCode),
        purchasedAt: o.purchaseAt.toISOString(),
        decidedAt: o.decidedAt.toISOString(),
      })),
    };
  }

  @Get('rewards/:rewardId')
  @Roles('ops-admin', 'ops-viewer')
  @AllowIntegrations()
  @ApiOkResponse({ type: RewardDto })
  async reward(@Param('rewardId') rewardId: string, @CurrentPrincipal() principal: Principal): Promise<RewardDto> {
    const bank = bankScope(principal);
    const row = await this.dataSource.getRepository(RewardRow).findOne({ where: { rewardId } });
    if (!row || (bank && row.bankSource !== bank)) throw new NotFoundException(`reward ${rewardId} not found`);
    return (await this.present([row]))[0];
  }

  @Get('purchases/:purchaseId/decisions')
  @AllowIntegrations()
  @Roles('ops-admin', 'ops-viewer')
  @ApiOkResponse({
    type: PurchaseDecisionsDto,
    description: "Attribution's final decision on each campaign offer-matching matched the purchase to: rewarded (with the reward) or declined with the reason (e.g. not-activated).",
  })
  async decisions(@Param('purchaseId') purchaseId: string, @CurrentPrincipal() principal: Principal): Promise<PurchaseDecisionsDto> {
    // A bank reads the decisions on its own purchases ("<bank>:<transaction id>"), as its customer service needs.
    if (principal.kind === 'integration' && !purchaseId.startsWith(`${principal.source}:`)) throw new ForbiddenException("an integration sees only its own bank's purchases");
    const rows = await this.dataSource.getRepository(MatchOutcomeRow).find({ where: { purchaseId }, order: { campaignId: 'ASC' } });
    return {
      purchaseId,
      decisions: rows.map((o) => ({
        matchId: o.matchId,
        campaignId: o.campaignId,
        merchantId: o.merchantId,
        outcome: o.outcome,
        reasonCode: o.reasonCode,
        ...withText(o.reasonCode),
        ...(o.rewardId ? { rewardId: o.rewardId } : {}),
        decidedAt: o.decidedAt.toISOString(),
      })),
    };
  }

  @Get('purchases/:purchaseId/adjustments')
  @Roles('ops-admin', 'ops-viewer')
  @ApiOkResponse({ type: PurchaseAdjustmentsDto, description: 'Settlements, refunds and reversals seen for a purchase, e.g. a refund of a purchase that never earned a reward.' })
  async adjustments(@Param('purchaseId') purchaseId: string): Promise<PurchaseAdjustmentsDto> {
    const rows = await this.dataSource.getRepository(PendingAdjustmentRow).find({ where: { purchaseId }, order: { id: 'ASC' } });
    return {
      purchaseId,
      adjustments: rows.map((r) => ({
        kind: r.kind,
        transactionId: r.transactionId,
        amount: { amountMinor: r.amountMinor, currency: r.currency },
        transactionAt: r.transactionAt.toISOString(),
        state: r.state,
        reasonCode: r.reasonCode ?? undefined,
        receivedAt: r.receivedAt.toISOString(),
      })),
    };
  }

  private async present(rows: RewardRow[]): Promise<RewardDto[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.rewardId);
    const history = await this.dataSource.getRepository(RewardHistoryRow).find({ where: { rewardId: In(ids) }, order: { id: 'ASC' } });
    const campaigns = await this.dataSource.getRepository(CampaignRow).find({ where: { campaignId: In([...new Set(rows.map((r) => r.campaignId))]) } });
    const names = new Map(campaigns.map((c) => [c.campaignId, c.name]));
    return rows.map((r) => {
      const m = (amountMinor: number) => ({ amountMinor, currency: r.currency });
      const own = history.filter((h) => h.rewardId === r.rewardId);
      return {
        rewardId: r.rewardId,
        purchaseId: r.purchaseId,
        customerId: r.customerId,
        campaignId: r.campaignId,
        campaignName: names.get(r.campaignId),
        advertiserId: r.advertiserId,
        merchantId: r.merchantId,
        publisherId: r.publisherId,
        attribution: r.touchpointId ? { method: r.attributionMethod, touchpointId: r.touchpointId } : { method: r.attributionMethod },
        status: r.status,
        amount: m(r.keptMinor),
        earnedAmount: m(r.earnedMinor),
        reversedAmount: m(r.earnedMinor - r.keptMinor),
        purchaseAmount: { amountMinor: r.purchaseAmountMinor, currency: r.purchaseCurrency },
        refundedAmount: { amountMinor: r.refundedMinor, currency: r.purchaseCurrency },
        holdPeriodDays: r.holdPeriodDays,
        purchasedAt: r.purchaseAt.toISOString(),
        earnedAt: r.earnedAt.toISOString(),
        settledAt: r.settledAt?.toISOString(),
        confirmedAt: r.confirmedAt?.toISOString(),
        reversedAt: r.reversedAt?.toISOString(),
        reasonCodes: [...new Set(own.map((h) => h.reasonCode))],
        history: own.map((h) => ({
          status: h.status,
          reasonCode: h.reasonCode,
          amount: m(h.amountMinor),
          remainingAmount: m(h.remainingMinor),
          transactionId: h.transactionId ?? undefined,
          at: h.at.toISOString(),
        })),
      };
    });
  }
}

/** `text: { sv, en }` for a known reason code (libs/contracts REASON_TEXTS). */
function withText(code: string): { text?: ReasonTextDto } {
  const text = reasonText(code);
  return text ? { text: { sv: text.sv, en: text.en } } : {};
}
