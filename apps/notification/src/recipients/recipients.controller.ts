import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AllowIntegrations, CurrentPrincipal, Principal, Roles } from '@prestanda/auth';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { DataSource } from 'typeorm';
import { CustomerPreference, Locale, Recipient, RecipientKind } from '../entities';
import { NotificationEnv } from '../config';
import { NOTIFICATION_CONFIG } from '../delivery/senders';
import { allowedWebhookHosts, checkWebhookUrl } from '../delivery/webhook-guard';
import { preferenceBank } from './preference-bank';

const ID = /^[\x21-\x7e]{1,128}$/;
const KINDS: RecipientKind[] = ['bank', 'affiliate', 'advertiser'];

export class RecipientKeyParams {
  @IsIn(KINDS) kind!: RecipientKind;
  @Matches(ID) id!: string;
}

export class PutRecipientDto {
  @ApiPropertyOptional({ description: 'HTTPS (or, in development, HTTP) endpoint for signed webhooks.', example: 'https://bank.example/prestanda/webhooks' })
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2000)
  webhookUrl?: string;

  @ApiPropertyOptional({ description: 'HMAC-SHA256 secret for the Prestanda-Signature header (min 16 chars). Write-only: never returned.' })
  @IsOptional() @IsString() @MinLength(16) @MaxLength(200)
  webhookSecret?: string;

  @ApiPropertyOptional({ description: 'When webhookSecret changes: how long (minutes) webhooks are also signed with the previous secret, so the receiver can switch without a gap. Default 1440 (a day); 0: the old secret stops at once.', default: 1440 })
  @IsOptional() @IsInt() @Min(0) @Max(43_200)
  previousSecretOverlapMinutes?: number;

  @ApiPropertyOptional({ description: 'Advertisers and affiliates: where e-mails (budget, campaign, commission payout) go.', example: 'marketing@ica.example' })
  @IsOptional() @IsEmail() @MaxLength(320)
  email?: string;

  @ApiProperty({ enum: ['sv', 'en'], description: 'Locale when the customer has none.' })
  @IsIn(['sv', 'en'])
  defaultLocale!: Locale;
}

export class OptOutDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() webhook?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() email?: boolean;
}

export class PutPreferencesDto {
  @ApiPropertyOptional({ enum: ['sv', 'en'], nullable: true }) @IsOptional() @IsIn(['sv', 'en', null]) locale?: Locale | null;
  @ApiPropertyOptional({ type: OptOutDto }) @IsOptional() @ValidateNested() @Type(() => OptOutDto) optOut?: OptOutDto;
}

export class CustomerParams {
  @Matches(ID) customerId!: string;
}

/** A customer is (bank, customer id): two banks can both have a "c-1001". */
export class CustomerBankQuery {
  @ApiPropertyOptional({
    description:
      "The customer's bank: its integration source, as in purchase ids \"<bank>:<transactionId>\". Required for ops users (400 naming `bank` without it). " +
      'A bank integration (API key) always gets its own customers: it may omit this, and naming another bank is a 403.',
    example: 'bank-demo-se',
  })
  @IsOptional() @Matches(ID) bank?: string;
}

function viewRecipient(r: Recipient) {
  return { kind: r.kind, id: r.id, webhookUrl: r.webhookUrl, hasWebhookSecret: !!r.webhookSecret, previousSecretUntil: r.previousSecretUntil && r.previousSecretUntil > new Date() ? r.previousSecretUntil : null, email: r.email, defaultLocale: r.defaultLocale, updatedAt: r.updatedAt };
}
function viewPreferences(p: CustomerPreference) {
  return { bank: p.bankSource, customerId: p.customerId, locale: p.locale, optOut: { webhook: p.optOutWebhook, email: p.optOutEmail }, updatedAt: p.updatedAt };
}

/** Recipients and customer preferences: owned by notification, set by ops; a bank integration may also set its own customers' preferences. */
@ApiTags('recipients')
@Controller('v1')
export class RecipientsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(NOTIFICATION_CONFIG) private readonly config: NotificationEnv,
  ) {}

  @Put('recipients/:kind/:id')
  @Roles('ops-admin')
  @HttpCode(200)
  async putRecipient(@Param() key: RecipientKeyParams, @Body() body: PutRecipientDto) {
    const repo = this.dataSource.getRepository(Recipient);
    const existing = await repo.findOneBy({ kind: key.kind, id: key.id });
    const secret = body.webhookSecret ?? existing?.webhookSecret ?? null;
    if (body.webhookUrl && !secret) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['webhookSecret: required with webhookUrl'], fields: [{ field: 'webhookSecret', message: 'required with webhookUrl' }] });
    if (body.webhookUrl) {
      const guard = await checkWebhookUrl(body.webhookUrl, allowedWebhookHosts({ WEBHOOK_ALLOWED_HOSTS: this.config.WEBHOOK_ALLOWED_HOSTS, NODE_ENV: process.env.NODE_ENV }));
      if (!guard.ok) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`webhookUrl: ${guard.problem}`], fields: [{ field: 'webhookUrl', message: guard.problem }] });
    }
    // A new secret: the old one is still signed with for the overlap, so the receiver can switch without a gap.
    const rotated = body.webhookUrl && existing?.webhookSecret && body.webhookSecret && body.webhookSecret !== existing.webhookSecret;
    const overlapMs = (body.previousSecretOverlapMinutes ?? 1440) * 60_000;
    const previous = rotated
      ? overlapMs > 0
        ? { previousWebhookSecret: existing!.webhookSecret, previousSecretUntil: new Date(Date.now() + overlapMs) }
        : { previousWebhookSecret: null, previousSecretUntil: null }
      : body.webhookUrl
        ? { previousWebhookSecret: existing?.previousWebhookSecret ?? null, previousSecretUntil: existing?.previousSecretUntil ?? null }
        : { previousWebhookSecret: null, previousSecretUntil: null };
    await repo.upsert(
      { kind: key.kind, id: key.id, webhookUrl: body.webhookUrl ?? null, webhookSecret: body.webhookUrl ? secret : null, ...previous, email: body.email ?? null, defaultLocale: body.defaultLocale, updatedAt: new Date() },
      ['kind', 'id'],
    );
    return viewRecipient(await repo.findOneByOrFail({ kind: key.kind, id: key.id }));
  }

  @Get('recipients/:kind/:id')
  @Roles('ops-admin', 'ops-viewer')
  async getRecipient(@Param() key: RecipientKeyParams) {
    const r = await this.dataSource.getRepository(Recipient).findOneBy({ kind: key.kind, id: key.id });
    if (!r) throw new NotFoundException(`no recipient ${key.kind}/${key.id}`);
    return viewRecipient(r);
  }

  @Put('customers/:customerId/preferences')
  @Roles('ops-admin')
  @AllowIntegrations()
  @ApiSecurity('api-key')
  @ApiOperation({ summary: "Set a customer's locale and opt-outs; the customer is (bank, customerId): a bank integration's own source, else the `bank` parameter." })
  @ApiBadRequestResponse({ description: 'An ops user without `bank`, or an invalid body.' })
  @ApiForbiddenResponse({ description: 'A bank integration naming another bank, or a user without ops-admin.' })
  @HttpCode(200)
  async putPreferences(@Param() p: CustomerParams, @Query() q: CustomerBankQuery, @Body() body: PutPreferencesDto, @CurrentPrincipal() principal: Principal | undefined) {
    const bankSource = preferenceBank(principal, q.bank);
    const key = { bankSource, customerId: p.customerId };
    const repo = this.dataSource.getRepository(CustomerPreference);
    const existing = await repo.findOneBy(key);
    await repo.upsert(
      {
        ...key,
        locale: body.locale === undefined ? (existing?.locale ?? null) : body.locale,
        optOutWebhook: body.optOut?.webhook ?? existing?.optOutWebhook ?? false,
        optOutEmail: body.optOut?.email ?? existing?.optOutEmail ?? false,
        updatedAt: new Date(),
      },
      ['bankSource', 'customerId'],
    );
    return viewPreferences(await repo.findOneByOrFail(key));
  }

  @Get('customers/:customerId/preferences')
  @Roles('ops-admin', 'ops-viewer')
  @AllowIntegrations()
  @ApiSecurity('api-key')
  @ApiOperation({ summary: "A customer's locale and opt-outs; the customer is (bank, customerId): a bank integration's own source, else the `bank` parameter." })
  @ApiBadRequestResponse({ description: 'An ops user without `bank`.' })
  @ApiForbiddenResponse({ description: 'A bank integration naming another bank.' })
  async getPreferences(@Param() p: CustomerParams, @Query() q: CustomerBankQuery, @CurrentPrincipal() principal: Principal | undefined) {
    const bankSource = preferenceBank(principal, q.bank);
    const pref = await this.dataSource.getRepository(CustomerPreference).findOneBy({ bankSource, customerId: p.customerId });
    if (!pref) throw new NotFoundException(`no preferences for ${p.customerId} at ${bankSource}`);
    return viewPreferences(pref);
  }
}
