import { BadRequestException, Controller, ForbiddenException, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AllowIntegrations, assertAdvertiserAccess, CurrentPrincipal, isOps, type Principal } from '@prestanda/auth';
import { fieldError } from '@prestanda/service-kit';
import { IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { AffiliateEnv } from '../config';
import { dailyReport, linksOf } from './reports.repository';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ReportQuery {
  @ApiPropertyOptional({ description: 'First day (UTC, inclusive); default 30 days ago.', example: '2026-12-01' })
  @IsOptional()
  @Matches(DAY, { message: '$property must be YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day (UTC, inclusive); default today.', example: '2026-12-31' })
  @IsOptional()
  @Matches(DAY, { message: '$property must be YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ description: 'Ops only: the publisher (publisher report) or advertiser (advertiser report).' })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: '$property must be an id' })
  id?: string;
}

function range(q: ReportQuery, now = new Date()): { from: Date; to: Date } {
  const to = q.to ? new Date(`${q.to}T00:00:00Z`) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const from = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(to.getTime() - 29 * 86_400_000);
  if (from > to) throw fieldError('from', 'from must not be after to');
  if (to.getTime() - from.getTime() > 366 * 86_400_000) throw fieldError('from', 'at most 366 days per report');
  return { from, to: new Date(to.getTime() + 86_400_000) };
}

/** Reporting for the caller's own data only: a publisher's key its clicks and commissions, an advertiser's token its programs. */
@ApiTags('reports')
@Controller('v1')
export class ReportsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(AffiliateEnv) private readonly config: AffiliateEnv,
  ) {}

  @Get('reports/publisher')
  @AllowIntegrations()
  @ApiSecurity('api-key')
  @ApiBearerAuth()
  @ApiOperation({ summary: "By day and program: clicks, conversions, conversion rate, commission pending / confirmed / reversed — the publisher's own (its API key), or any publisher's for ops (id)." })
  async publisher(@Query() q: ReportQuery, @CurrentPrincipal() principal: Principal) {
    const publisherId = this.publisherOf(principal, q.id);
    const { from, to } = range(q);
    return { publisherId, from: from.toISOString().slice(0, 10), to: new Date(to.getTime() - 1).toISOString().slice(0, 10), days: await dailyReport(this.dataSource.manager, { publisherId }, from, to) };
  }

  @Get('reports/advertiser')
  @ApiBearerAuth()
  @ApiOperation({ summary: "By day, program and publisher, for an advertiser's programs: its own (advertiser token), or any for ops (id)." })
  async advertiser(@Query() q: ReportQuery, @CurrentPrincipal() principal: Principal) {
    const advertiserId = q.id ?? (principal.kind === 'user' && !isOps(principal) ? principal.advertiserId : undefined);
    if (!advertiserId) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['id: required for ops'], fields: [{ field: 'id', message: 'required for ops' }] });
    assertAdvertiserAccess(principal, advertiserId);
    const { from, to } = range(q);
    return { advertiserId, from: from.toISOString().slice(0, 10), to: new Date(to.getTime() - 1).toISOString().slice(0, 10), days: await dailyReport(this.dataSource.manager, { advertiserId }, from, to) };
  }

  @Get('links')
  @AllowIntegrations()
  @ApiSecurity('api-key')
  @ApiBearerAuth()
  @ApiOperation({ summary: "An affiliate's tracking links (its API key; ops with id): `/c/<code>` (deep links: `?url=`, sub-ids `sub1..sub5`) and the impression pixel `/i/<code>`." })
  async links(@Query() q: ReportQuery, @CurrentPrincipal() principal: Principal) {
    const publisherId = this.publisherOf(principal, q.id);
    const base = this.config.AFFILIATE_PUBLIC_BASE_URL?.replace(/\/$/, '') ?? '';
    return (await linksOf(this.dataSource.manager, publisherId)).map((l) => ({ ...l, link: `${base}/c/${l.code}`, pixel: `${base}/i/${l.code}` }));
  }

  private publisherOf(principal: Principal, id: string | undefined): string {
    if (principal.kind === 'integration') {
      if (!principal.publisherId) throw new ForbiddenException('this API key is not a publisher');
      if (id && id !== principal.publisherId) throw new ForbiddenException(`a publisher sees only its own data (${principal.publisherId})`);
      return principal.publisherId;
    }
    if (!isOps(principal)) throw new ForbiddenException('publisher reports are for the publisher (its API key) and ops');
    if (!id) throw fieldError('id', 'required for ops: the publisher id');
    return id;
  }
}
