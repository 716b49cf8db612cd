import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Public, Roles, type Principal } from '@prestanda/auth';
import { validationPipe } from '@prestanda/service-kit';
import type { Request, Response } from 'express';
import { ConversionsService, type PostbackCaller } from './conversions.service';
import { ConversionAdjustmentDto, ConversionPostbackDto, ListConversionsQuery, ReviewDto } from './dto';
import { canonicalQuery } from './signature';

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function callerOf(req: Request, payload: string): PostbackCaller {
  const h = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
  return { signature: h('x-prestanda-signature'), advertiserHeader: h('x-prestanda-advertiser'), authorization: h('authorization'), payload };
}

const rawBodyOf = (req: Request) => ((req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0)).toString('utf8');

@ApiTags('conversions')
@Controller('v1')
export class ConversionsController {
  constructor(private readonly conversions: ConversionsService) {}

  @Public()
  @Post('conversions')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiHeader({ name: 'X-Prestanda-Signature', required: false, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the postback secret>' })
  @ApiHeader({ name: 'X-Prestanda-Advertiser', required: false, description: 'The advertiser id whose secret signed the request.' })
  @ApiOperation({
    summary: "The shop reports a sale (server to server). Signed with the advertiser's postback secret, or sent with an advertiser bearer token.",
    description:
      'The sale is credited to the publisher of its click id (the terms in force at the click) or of its voucher code (the program\'s voucherRule decides when both name different publishers). 202 with the conversion: `pending` (commission recorded, payable after the lock period), `held` (a fraud rule tripped, holdReason says which), or `unattributed` (an unknown click id or code: recorded, not lost). A resent postback (same order id, click, code and amount) answers the same conversion with duplicate: true and changes nothing; the same order id with another click, code or amount is 409 duplicate-order.',
  })
  @ApiAcceptedResponse({ description: 'Recorded.' })
  @ApiBadRequestResponse({ description: 'A field is wrong (named in fields), or a card number was sent.' })
  @ApiUnauthorizedResponse({ description: 'Missing or bad signature (the problem is named), or no advertiser token.' })
  @ApiConflictResponse({ description: 'duplicate-order.' })
  async postback(@Body() dto: ConversionPostbackDto, @Req() req: Request) {
    const now = new Date();
    const advertiserId = await this.conversions.authenticate(callerOf(req, rawBodyOf(req)), now);
    return this.conversions.record(advertiserId, dto, now);
  }

  @Public()
  @Get('conversions/pixel')
  @ApiOperation({
    summary: 'The same postback as a GET (for shops that can only place a pixel): query adv, orderId, amountMinor, currency, clickId?, voucherCode?, t, sig.',
    description: 'sig = hex HMAC-SHA256 of "<t>.<canonical query>" (every parameter but sig, sorted by name, URL-encoded). Answers a 1×1 GIF when recorded.',
  })
  async pixel(@Query() query: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const now = new Date();
    const caller: PostbackCaller = { signature: query.sig !== undefined ? `t=${query.t ?? ''},v1=${query.sig}` : undefined, advertiserHeader: query.adv, payload: canonicalQuery(query) };
    if (query.sig === undefined) caller.authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
    const advertiserId = await this.conversions.authenticate(caller, now);
    const body = {
      orderId: query.orderId,
      amount: { amountMinor: query.amountMinor !== undefined && /^-?\d+$/.test(query.amountMinor) ? Number(query.amountMinor) : query.amountMinor, currency: query.currency },
      ...(query.clickId ? { clickId: query.clickId } : {}),
      ...(query.voucherCode ? { voucherCode: query.voucherCode } : {}),
    };
    const dto = (await validationPipe().transform(body, { type: 'body', metatype: ConversionPostbackDto })) as ConversionPostbackDto;
    await this.conversions.record(advertiserId, dto, now);
    res.setHeader('Cache-Control', 'no-store');
    res.status(HttpStatus.OK).type('image/gif').send(PIXEL);
  }

  @Public()
  @Post('conversions/adjustments')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'A return (part of the order) or a cancellation, inside the lock period: the commission and fee are reversed pro rata. Signed or authorised as the postback.',
    description: 'Each adjustmentId is applied once (a resend answers duplicate: true). After the lock period the commission is confirmed: 409 lock-period-over.',
  })
  @ApiOkResponse({ description: 'The conversion after the adjustment.' })
  async adjust(@Body() dto: ConversionAdjustmentDto, @Req() req: Request) {
    const now = new Date();
    const advertiserId = await this.conversions.authenticate(callerOf(req, rawBodyOf(req)), now);
    return this.conversions.adjust(advertiserId, dto, now);
  }

  @Get('conversions')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Conversions, newest first (at most 500): ops see all, an advertiser its own. Held ones carry holdReason for review." })
  list(@Query() query: ListConversionsQuery, @CurrentPrincipal() principal: Principal) {
    return this.conversions.list(query, principal);
  }

  @Post('conversions/:conversionId/review')
  @Roles('ops-admin')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Ops decide a held sale: release (paid as recorded: conversion.recorded, or lead.recorded for a lead) or reject (never paid). 409 unless held.' })
  review(@Param('conversionId') conversionId: string, @Body() dto: ReviewDto, @CurrentPrincipal() principal: Principal) {
    return this.conversions.review(conversionId, dto.decision, principal.kind === 'user' ? principal.subject : principal.source);
  }

  @Post('advertisers/:advertiserId/postback-secret')
  @Roles('ops-admin', 'advertiser')
  @ApiBearerAuth()
  @ApiOperation({ summary: "A new postback secret for the advertiser's shop (shown once; the previous one stops working at once)." })
  rotateSecret(@Param('advertiserId') advertiserId: string, @CurrentPrincipal() principal: Principal) {
    return this.conversions.rotateSecret(advertiserId, principal, new Date());
  }
}
