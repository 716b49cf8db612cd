import { Controller, Get, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
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
@ApiExcludeController()
@Controller()
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Public()
  @Get('c/:code')
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
  async pixel(@Param('code') code: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.tracking.impression({ code, ip: req.ip ?? '', userAgent: req.headers['user-agent'], visitorId: visitorOf(req), query: {}, now: new Date() });
    res.setHeader('Cache-Control', 'no-store');
    res.type('image/gif').send(PIXEL);
  }
}
