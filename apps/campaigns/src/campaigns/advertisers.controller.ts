import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@prestanda/auth';
import { actorOf, CampaignsService } from './campaigns.service';
import { CreateAdvertiserDto, CreateMerchantDto, CreatePublisherDto, UpdateAdvertiserDto } from './dto';

const READERS = ['ops-admin', 'ops-viewer', 'advertiser'] as const;

@ApiTags('advertisers')
@ApiBearerAuth()
@Controller('v1/advertisers')
export class AdvertisersController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Roles('ops-admin')
  @ApiOperation({ summary: 'Create an advertiser (optionally with its merchants).' })
  @ApiCreatedResponse({ description: 'The advertiser with its merchants.' })
  @ApiConflictResponse({ description: 'The id (or a merchant id) already exists.' })
  create(@Body() dto: CreateAdvertiserDto) {
    return this.campaigns.createAdvertiser(dto);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'List advertisers (an advertiser user sees only its own).' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.campaigns.listAdvertisers(principal);
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One advertiser with its merchants.' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.getAdvertiser(id, principal);
  }

  @Patch(':id')
  @Roles('ops-admin')
  @ApiOperation({ summary: "Rename an advertiser; re-publishes its campaigns that are not ended." })
  update(@Param('id') id: string, @Body() dto: UpdateAdvertiserDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.updateAdvertiser(id, dto, actorOf(principal));
  }

  @Post(':id/merchants')
  @Roles('ops-admin')
  @ApiOperation({ summary: "Add a merchant; re-publishes the snapshots of the advertiser's campaigns that are not ended." })
  addMerchant(@Param('id') id: string, @Body() dto: CreateMerchantDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.addMerchant(id, dto, actorOf(principal));
  }

  @Put(':id/merchants/:merchantId')
  @Roles('ops-admin')
  @ApiOperation({ summary: "Replace a merchant's fields; re-publishes the advertiser's campaigns." })
  replaceMerchant(@Param('id') id: string, @Param('merchantId') merchantId: string, @Body() dto: CreateMerchantDto, @CurrentPrincipal() principal: Principal) {
    return this.campaigns.replaceMerchant(id, merchantId, dto, actorOf(principal));
  }

  @Delete(':id/merchants/:merchantId')
  @HttpCode(204)
  @Roles('ops-admin')
  @ApiOperation({ summary: "Remove a merchant; re-publishes the advertiser's campaigns." })
  async removeMerchant(@Param('id') id: string, @Param('merchantId') merchantId: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.campaigns.removeMerchant(id, merchantId, actorOf(principal));
  }
}

@ApiTags('publishers')
@ApiBearerAuth()
@Controller('v1/publishers')
export class PublishersController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Roles('ops-admin')
  @ApiOperation({ summary: 'Create a publisher (bank, rewards app or affiliate).' })
  create(@Body() dto: CreatePublisherDto) {
    return this.campaigns.createPublisher(dto);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'List publishers.' })
  list() {
    return this.campaigns.listPublishers();
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id') id: string) {
    return this.campaigns.getPublisher(id);
  }
}
