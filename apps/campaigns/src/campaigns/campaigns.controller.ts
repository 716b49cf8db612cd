import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowIntegrations, CurrentPrincipal, Roles, type Principal } from '@prestanda/auth';
import type { StatusAction } from './campaign-rules';
import { actorOf, CampaignsService } from './campaigns.service';
import { ApplyDto, ApproveDto, CreateCampaignDto, ListCampaignsQuery, TransitionDto, UpdateCampaignDto } from './dto';

const READERS = ['ops-admin', 'ops-viewer', 'advertiser'] as const;

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Roles('ops-admin')
  @ApiOperation({ summary: 'Create a campaign (status draft). Publishes snapshot version 1.' })
  @ApiBadRequestResponse({ description: 'Invalid input; `fields` names each bad field (e.g. reward.basisPoints).' })
  create(@Body() dto: CreateCampaignDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.createCampaign(dto, actorOf(principal));
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'List campaigns (an advertiser user sees only its own).' })
  list(@Query() query: ListCampaignsQuery, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.listCampaigns(query, principal);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.getCampaign(id, principal);
  }

  @Get(':id/history')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every published version: who changed what, status before and after.' })
  history(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.history(id, principal);
  }

  @Patch(':id')
  @Roles('ops-admin')
  @ApiOperation({ summary: 'Edit a campaign. Objects are replaced whole. Reward terms of a live (active/exhausted) campaign are refused with 409: pause first.' })
  @ApiConflictResponse({ description: 'Ended campaign, or reward terms of a live campaign.' })
  update(@Param('id') id: string, @Body() dto: UpdateCampaignDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.updateCampaign(id, dto, actorOf(principal));
  }

  @Post(':id/activate')
  @HttpCode(200)
  @Roles('ops-admin')
  @ApiConflictResponse({ description: 'Not a draft, or its schedule already ended.' })
  activate(@Param('id') id: string, @Body() dto: TransitionDto, @CurrentPrincipal() principal: Principal) {
    return this.move(id, 'activate', dto, principal);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @Roles('ops-admin')
  @ApiConflictResponse({ description: 'Not active or exhausted.' })
  pause(@Param('id') id: string, @Body() dto: TransitionDto, @CurrentPrincipal() principal: Principal) {
    return this.move(id, 'pause', dto, principal);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles('ops-admin')
  @ApiConflictResponse({ description: 'Not paused, or its schedule already ended.' })
  resume(@Param('id') id: string, @Body() dto: TransitionDto, @CurrentPrincipal() principal: Principal) {
    return this.move(id, 'resume', dto, principal);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('ops-admin')
  @ApiConflictResponse({ description: 'Already ended.' })
  end(@Param('id') id: string, @Body() dto: TransitionDto, @CurrentPrincipal() principal: Principal) {
    return this.move(id, 'end', dto, principal);
  }

  @Post(':id/applications')
  @Roles('ops-admin')
  @AllowIntegrations()
  @ApiOperation({ summary: "An affiliate applies to promote the campaign (its integration's X-Api-Key, or ops on its behalf)." })
  @ApiConflictResponse({ description: 'Not an affiliate, already approved or pending, or the campaign is ended.' })
  apply(@Param('id') id: string, @Body() dto: ApplyDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.apply(id, dto, principal);
  }

  @Get(':id/applications')
  @Roles(...READERS)
  applications(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.applications(id, principal);
  }

  @Post(':id/applications/:publisherId/approve')
  @HttpCode(200)
  @Roles('ops-admin')
  @ApiOperation({ summary: "Approve: the affiliate joins the campaign's publishers (new version and snapshot)." })
  approve(@Param('id') id: string, @Param('publisherId') publisherId: string, @Body() dto: ApproveDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.decide(id, publisherId, 'approved', actorOf(principal), { voucherCodes: dto.voucherCodes, commission: dto.commission });
  }

  @Post(':id/applications/:publisherId/decline')
  @HttpCode(200)
  @Roles('ops-admin')
  decline(@Param('id') id: string, @Param('publisherId') publisherId: string, @Body() dto: TransitionDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.decide(id, publisherId, 'declined', actorOf(principal), { reason: dto.reason });
  }

  private move(id: string, action: StatusAction, dto: TransitionDto, principal: Principal) {
    return this.campaigns.transition(id, action, actorOf(principal), dto?.reason);
  }
}
