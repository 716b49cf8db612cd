import { Controller, Get, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@prestanda/auth';
import type { Request, Response } from 'express';
import { TrackingService } from './tracking.service';

const VISITOR_COOKIE = 'prv';
const VISITOR_COOKIE_SECONDS = 365 * 86_400;
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function visitorOf(req: Request): string | undefined {
  const m = /(?:^|;\s*)prv=([^;]+)/.exec(req.headers.cookie ?? '');
  return m?.[1];
}

/**
 * The visitor cookie as Express's `res.cookie(name, id, { maxAge: 1 year, httpOnly, sameSite: 'lax', secure })`
 * writes it, without its option handling: the id is base64url (ours, or a cookie of that form), nothing to encode.
 */
function visitorCookie(visitorId: string, secure: boolean, now: Date): string {
  const expires = new Date(now.getTime() + VISITOR_COOKIE_SECONDS * 1000).toUTCString();
  return `${VISITOR_COOKIE}=${visitorId}; Max-Age=${VISITOR_COOKIE_SECONDS}; Path=/; Expires=${expires}; HttpOnly${secure ? '; Secure' : ''}; SameSite=Lax`;
}

/** Public, browser-followed routes: tracking links and the impression pixel. No API key; rate-limited per IP network. */
@ApiTags('tracking')
@SkipThrottle()
@Controller()
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Public()
  @Get('c/:code')
  @ApiOperation({
    summary: 'A tracking link: 302 to the landing URL (or an allowed deep link) with a Prestanda click id appended, after the click is recorded.',
    description:
      'No API key. The click (publisher, program and its terms version, sub ids, referrer host, keyed hashes of the visitor network and user agent — never the raw IP) is committed with its click.recorded in one statement before the answer. Robots (by user agent) and floods (per visitor network, per publisher) are recorded with a reason and not charged. Unknown links and paused programs go to a fallback URL. Above the per-network rate limit: 429.',
  })
  @ApiParam({ name: 'code', description: "The affiliate's tracking code." })
  @ApiQuery({ name: 'url', required: false, description: "A deep link; used only when its host is one of the program's deepLinkHosts." })
  @ApiQuery({ name: 'sub1', required: false, description: 'Publisher sub ids sub1..sub5 (its own reporting keys, ≤ 100 characters each).' })
  @ApiResponse({ status: 302, description: 'To the landing URL with the click id (parameter affiliate.clickIdParam, default prclid), or to the fallback URL.' })
  @ApiResponse({ status: 429, description: 'Too many clicks from this network; Retry-After says when.' })
  async follow(@Param('code') code: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const now = new Date();
    const answer = await this.tracking.click({ code, ip: req.ip ?? '', userAgent: req.headers['user-agent'], referrer: req.headers.referer, visitorId: visitorOf(req), query, now });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer-when-downgrade');
    if (answer.kind === 'rate-limited') {
      res.setHeader('Retry-After', String(answer.retryAfterSeconds));
      res.status(HttpStatus.TOO_MANY_REQUESTS).json({ statusCode: 429, error: 'Too Many Requests', message: 'too many clicks from this network; try again later' });
      return;
    }
    if (answer.visitorId) res.setHeader('Set-Cookie', visitorCookie(answer.visitorId, req.secure, now));
    // A bare 302 (Location encoded as res.redirect does), without res.redirect's content
    // negotiation for a "Found. Redirecting to …" body no browser shows: this is the hot path.
    res.location(answer.location);
    res.statusCode = HttpStatus.FOUND;
    res.setHeader('Content-Length', '0');
    res.end();
  }

  @Public()
  @Get('i/:code')
  @ApiOperation({ summary: 'The impression pixel (1×1 GIF) for CPM: records impression.recorded for the link\'s program and affiliate, unless a robot asked.' })
  @ApiResponse({ status: 200, description: 'image/gif' })
  async pixel(@Param('code') code: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.tracking.impression({ code, ip: req.ip ?? '', userAgent: req.headers['user-agent'], visitorId: visitorOf(req), query: {}, now: new Date() });
    res.setHeader('Cache-Control', 'no-store');
    res.type('image/gif').send(PIXEL);
  }
}
