import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AllowIntegrations, CurrentPrincipal, Roles, type Principal } from '@prestanda/auth';
import { IsString, Length, Matches } from 'class-validator';
import { OffersService } from './offers.service';

const ID = /^[\x21-\x7E]+$/;

export class CustomerParams {
  @ApiProperty({ description: "The bank's pseudonymous customer id.", example: 'cust-5c1e9b2f' })
  @IsString()
  @Length(1, 128)
  @Matches(ID)
  customerId!: string;
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

@ApiTags('offers')
@Controller('v1')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Get('customers/:customerId/offers')
  @AllowIntegrations()
  @Roles('ops-admin', 'ops-viewer')
  @ApiOperation({ summary: 'Offers this customer can earn on now (audience, schedule, caps, budget, holdout applied), with activation state. For bank apps (API key: only campaigns their publisher is approved for) and ops (all).' })
  @ApiOkResponse({ description: '{ customerId, offers: [...] }' })
  async customerOffers(@Param() params: CustomerParams, @CurrentPrincipal() principal: Principal) {
    // An integration sees the campaigns its publisher is approved for (an integration without a publisher sees none); ops see all.
    const publisherId = principal.kind === 'integration' ? (principal.publisherId ?? '-') : undefined;
    return { customerId: params.customerId, offers: await this.offers.offersFor(params.customerId, publisherId) };
  }

  @Get('transactions/:source/:transactionId/outcomes')
  @Roles('ops-admin', 'ops-viewer')
  @ApiOperation({ summary: 'Why each candidate campaign did or did not reward this transaction (ops).' })
  @ApiOkResponse({ description: '{ purchaseId, explanation, outcomes: [{ campaignId, outcome, reasonCode, ... }] }' })
  outcomes(@Param() params: TransactionParams) {
    return this.offers.outcomesOf(params.source, params.transactionId);
  }
}
