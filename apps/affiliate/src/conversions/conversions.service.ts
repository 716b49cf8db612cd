import { ConflictException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { assertAdvertiserAccess, isOps, TokenVerifier, type Principal } from '@prestanda/auth';
import { ConversionConfirmedV1, ConversionRecordedV1, ConversionReversedV1, findPan, LeadRecordedV1, nameBasedUuid, newEnvelope } from '@prestanda/contracts';
import { enqueueEvents, type OutboxItem } from '@prestanda/persistence';
import { fieldError, MessagingRuntime } from '@prestanda/service-kit';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AffiliateEnv } from '../config';
import { commissionOf } from '../programs/program-terms';
import { SERVICE } from '../tracking/tracking.service';
import { creditFor, holdReasonFor, networkFeeFor, reversalFor, saleCommissionFor, type Credit } from './commission';
import type { ProgramTerms } from '../programs/entities';
import { currentProgram, findClick, findVoucherCode, lockConversionByOrder, lockDueConversions, postbackSecret, programVersionTerms, savePostbackSecret } from './conversions.repository';
import type { ConversionAdjustmentDto, ConversionPostbackDto, ListConversionsQuery } from './dto';
import { ConversionAdjustmentRow, ConversionRow } from './entities';
import { verifySignature } from './signature';

/** How the caller of a postback proved who it is. */
export interface PostbackCaller {
  signature?: string;
  advertiserHeader?: string;
  authorization?: string;
  /** The signed payload: the raw body (POST) or the canonical query (GET pixel). */
  payload: string;
}

export interface ConversionAnswer {
  conversionId: string;
  orderId: string;
  status: ConversionRow['status'];
  duplicate: boolean;
  publisherId?: string;
  attributedBy?: string;
  holdReason?: string;
  commission?: { amountMinor: number; currency: string };
}

const conversionIdOf = (advertiserId: string, orderId: string) => `cnv-${nameBasedUuid(`affiliate|${advertiserId}|${orderId}`)}`;

/**
 * Conversion postbacks and the commission lifecycle: a sale is credited (click, voucher code, the
 * program's rule), priced by the terms in force at its click, held for review when a fraud rule
 * trips, and published as conversion.recorded; returns reverse it pro rata inside the lock period;
 * after the lock it is confirmed. Every change and its event commit in one transaction.
 */
@Injectable()
export class ConversionsService {
  private readonly verifier = new TokenVerifier();

  constructor(
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    @Inject(AffiliateEnv) private readonly config: AffiliateEnv,
  ) {}

  // ------------------------------------------------------------------ who is calling

  /** The advertiser a postback is for: proven by its HMAC signature, or by an advertiser's (or ops') bearer token. */
  async authenticate(caller: PostbackCaller, now: Date): Promise<string> {
    if (caller.signature !== undefined) {
      const advertiserId = caller.advertiserHeader;
      if (!advertiserId) throw new UnauthorizedException('X-Prestanda-Advertiser is required with X-Prestanda-Signature: it names the advertiser whose secret signed the request');
      const secret = await postbackSecret(this.dataSource.manager, advertiserId);
      if (!secret) throw new UnauthorizedException(`advertiser ${advertiserId} has no postback secret; create one with POST /v1/advertisers/${advertiserId}/postback-secret`);
      const check = verifySignature(caller.signature, secret, caller.payload, Math.floor(now.getTime() / 1000), this.config.AFFILIATE_SIGNATURE_TOLERANCE_SECONDS);
      if (!check.ok) throw new UnauthorizedException(check.problem);
      return advertiserId;
    }
    if (caller.authorization?.startsWith('Bearer ')) {
      let principal: Principal;
      try {
        principal = await this.verifier.verifyBearer(caller.authorization.slice(7));
      } catch {
        throw new UnauthorizedException('invalid or expired token');
      }
      const advertiserId = principal.kind === 'user' && principal.roles.includes('advertiser') ? principal.advertiserId : isOps(principal) ? caller.advertiserHeader : undefined;
      if (!advertiserId) throw new UnauthorizedException('the token names no advertiser (an advertiser user, or ops with X-Prestanda-Advertiser)');
      assertAdvertiserAccess(principal, advertiserId);
      return advertiserId;
    }
    throw new UnauthorizedException('sign the postback (X-Prestanda-Signature and X-Prestanda-Advertiser) or send an advertiser bearer token');
  }

  // ------------------------------------------------------------------ a sale

  async record(advertiserId: string, dto: ConversionPostbackDto, now: Date): Promise<ConversionAnswer> {
    refuseCardNumbers(dto);
    if (dto.basket?.length && dto.amount) {
      const sum = dto.basket.reduce((s, l) => s + l.amountMinor, 0);
      if (sum !== dto.amount.amountMinor) throw fieldError('basket', `basket lines sum to ${sum}, but amount.amountMinor is ${dto.amount.amountMinor}: they must agree`);
    }
    const convertedAt = dto.convertedAt ? new Date(dto.convertedAt) : now;
    const conversionId = conversionIdOf(advertiserId, dto.orderId);
    const answer = await this.dataSource.transaction(async (m) => {
      const existing = await lockConversionByOrder(m, advertiserId, dto.orderId);
      if (existing) return this.resent(existing, dto);

      const click = dto.clickId ? await findClick(m, advertiserId, dto.clickId) : undefined;
      const code = dto.voucherCode ? await findVoucherCode(m, advertiserId, dto.voucherCode, click?.campaignId) : undefined;
      const ruleOf = click ?? code;
      const ruleProgram = ruleOf ? await currentProgram(m, ruleOf.campaignId) : undefined;
      const credit = creditFor(click, code, ruleProgram?.terms.affiliate?.voucherRule ?? 'code-wins');

      // A lead may come without an amount: XXX is ISO 4217's "no currency".
      const amount = dto.amount ?? { amountMinor: 0, currency: 'XXX' };
      const base = { conversionId, advertiserId, orderId: dto.orderId, kind: dto.kind ?? 'sale', currency: amount.currency, orderAmountMinor: amount.amountMinor, currentAmountMinor: amount.amountMinor, convertedAt, createdAt: now };
      if (credit.by === 'none') {
        // Not lost: kept as unattributed (an unknown or foreign click id, an unknown code), visible to the advertiser.
        const reason = dto.clickId ? 'unknown-click-id' : dto.voucherCode ? 'unknown-voucher-code' : 'no-click-or-code';
        await this.insert(m, { ...base, status: 'unattributed', holdReason: reason, clickId: dto.clickId ?? null, voucherCode: dto.voucherCode?.toUpperCase() ?? null });
        return answerOf({ ...base, status: 'unattributed', holdReason: reason }, false);
      }

      // The terms in force: at the click for a click's sale, else the program's current ones (read once already when it is the rule's program).
      const program =
        credit.by === 'click'
          ? { version: credit.click.programVersion, terms: await programVersionTerms(m, credit.campaignId, credit.click.programVersion) }
          : credit.campaignId === ruleOf?.campaignId
            ? ruleProgram
            : await currentProgram(m, credit.campaignId);
      const terms = program?.terms;
      const version = program?.version;
      if (!terms) throw new ConflictException(`program ${credit.campaignId} is not known yet; retry shortly`);
      if (dto.amount && dto.amount.currency !== terms.currency) throw fieldError('amount.currency', `amount.currency must be the program's currency ${terms.currency}`);
      const kind = base.kind;
      const expected = kind === 'lead' ? 'CPL' : 'CPA';
      if (terms.pricing.model !== expected) throw fieldError('kind', `program ${credit.campaignId} pays per ${terms.pricing.model === 'CPL' ? 'lead (kind: lead)' : terms.pricing.model === 'CPA' ? 'sale (kind: sale)' : `${terms.pricing.model}, not per conversion`}`);
      if (kind === 'lead') return this.recordLead(m, { ...base, currency: terms.currency }, credit, terms, version!, convertedAt);

      const commission = commissionOf(terms, credit.publisherId);
      const holdReason = commission ? holdReasonFor(credit, convertedAt, terms.clickDays, this.config.AFFILIATE_MIN_SECONDS_TO_CONVERT, terms.affiliate?.deepLinkHosts) : 'publisher-not-approved';
      const commissionMinor = commission ? saleCommissionFor(commission, terms.affiliate?.commissionGroups, amount.amountMinor, dto.basket, terms.currency) : 0;
      const feeMinor = networkFeeFor(terms.platformFee, commissionMinor, terms.currency);
      const row: Partial<ConversionRow> = {
        ...base,
        status: holdReason ? 'held' : 'pending',
        holdReason,
        campaignId: credit.campaignId,
        publisherId: credit.publisherId,
        clickId: credit.by === 'click' ? credit.click.clickId : (credit.click?.clickId ?? null),
        voucherCode: credit.by === 'voucher-code' ? credit.code.code : (dto.voucherCode?.toUpperCase() ?? null),
        attributedBy: credit.by,
        programVersion: version!,
        commissionMinor,
        feeMinor,
        lockedUntil: new Date(convertedAt.getTime() + terms.holdPeriodDays * this.config.AFFILIATE_LOCK_UNIT_SECONDS * 1000),
      };
      await this.insert(m, row);
      if (!holdReason) await enqueueEvents(m, [recordedEvent(row as ConversionRow)]);
      return answerOf(row, false);
    });
    this.messaging().nudgeRelay();
    return answer;
  }

  /**
   * A lead (CPL program) credited to the click's (or code's) publisher — the publisher the shop's
   * click id names, not one the caller picks. billing prices it at the program's CPL price.
   */
  private async recordLead(m: EntityManager, base: Partial<ConversionRow>, credit: Exclude<Credit, { by: 'none' }>, terms: ProgramTerms, version: number, convertedAt: Date): Promise<ConversionAnswer> {
    const approved = terms.publishers.some((p) => p.publisherId === credit.publisherId);
    const holdReason = approved ? holdReasonFor(credit, convertedAt, terms.clickDays, this.config.AFFILIATE_MIN_SECONDS_TO_CONVERT, terms.affiliate?.deepLinkHosts) : 'publisher-not-approved';
    const clickId = credit.by === 'click' ? credit.click.clickId : (credit.click?.clickId ?? null);
    const row: Partial<ConversionRow> = {
      ...base,
      status: holdReason ? 'held' : 'lead-recorded',
      holdReason,
      campaignId: credit.campaignId,
      publisherId: credit.publisherId,
      clickId,
      voucherCode: credit.by === 'voucher-code' ? credit.code.code : null,
      attributedBy: credit.by,
      programVersion: version,
    };
    await this.insert(m, row);
    if (!holdReason) await enqueueEvents(m, [leadEvent(row as ConversionRow)]);
    return answerOf(row, false);
  }

  /** A resent postback changes nothing; the same order id claimed for another publisher is refused (duplicate-order). */
  private resent(existing: ConversionRow, dto: ConversionPostbackDto): ConversionAnswer {
    const sameClaim = (dto.clickId ?? null) === (existing.clickId ?? null) && (dto.voucherCode?.toUpperCase() ?? null) === existing.voucherCode;
    if (!sameClaim || (dto.amount?.amountMinor ?? 0) !== existing.orderAmountMinor) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', reason: 'duplicate-order', message: `order ${existing.orderId} was already reported with another click, code or amount; report returns as adjustments`, field: 'orderId' });
    }
    return answerOf(existing, true);
  }

  // ------------------------------------------------------------------ returns and cancellations

  async adjust(advertiserId: string, dto: ConversionAdjustmentDto, now: Date): Promise<ConversionAnswer> {
    refuseCardNumbers(dto);
    if (dto.kind === 'return' && !dto.amount) throw fieldError('amount', 'amount is required for a return: the value returned');
    const answer = await this.dataSource.transaction(async (m) => {
      const c = await lockConversionByOrder(m, advertiserId, dto.orderId);
      if (!c) throw new NotFoundException(`no conversion for order ${dto.orderId}`);
      if (await m.getRepository(ConversionAdjustmentRow).existsBy({ conversionId: c.conversionId, adjustmentId: dto.adjustmentId })) return answerOf(c, true);
      if (c.kind === 'lead') throw new ConflictException({ statusCode: 409, error: 'Conflict', reason: 'lead', message: `order ${c.orderId} is a lead: leads have no returns` });
      if (c.status === 'confirmed') throw new ConflictException({ statusCode: 409, error: 'Conflict', reason: 'lock-period-over', message: `the lock period of order ${c.orderId} ended at ${c.lockedUntil?.toISOString()}; the commission is confirmed` });
      if (dto.amount && dto.amount.currency !== c.currency) throw fieldError('amount.currency', `amount.currency must be the order's currency ${c.currency}`);
      const removed = dto.kind === 'cancel' ? c.currentAmountMinor : dto.amount!.amountMinor;
      if (removed > c.currentAmountMinor) throw fieldError('amount.amountMinor', `amount.amountMinor ${removed} is more than what stands of the order (${c.currentAmountMinor})`);

      const r = reversalFor(c, removed, c.currency);
      await m.getRepository(ConversionAdjustmentRow).insert({ conversionId: c.conversionId, adjustmentId: dto.adjustmentId, kind: dto.kind, amountRemovedMinor: removed, commissionReversedMinor: r.commissionReversedMinor, feeReversedMinor: r.feeReversedMinor, at: now });
      const billed = c.status === 'pending';
      Object.assign(c, {
        currentAmountMinor: r.amountAfterMinor,
        commissionReversedMinor: c.commissionReversedMinor + r.commissionReversedMinor,
        feeReversedMinor: c.feeReversedMinor + r.feeReversedMinor,
        ...(billed && r.amountAfterMinor === 0 ? { status: 'reversed' } : {}),
      });
      await m.getRepository(ConversionRow).save(c);
      // Held and unattributed sales were never billed: only the numbers change.
      if (billed && r.commissionReversedMinor + r.feeReversedMinor > 0) await enqueueEvents(m, [reversedEvent(c, dto, r, now)]);
      return answerOf(c, false);
    });
    this.messaging().nudgeRelay();
    return answer;
  }

  // ------------------------------------------------------------------ after the lock period

  /** Confirms every pending commission whose lock period ended by `now`; returns how many. */
  async confirmDue(now: Date = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (m) => {
        const due = await lockDueConversions(m, now, 500);
        if (!due.length) return 0;
        await m.getRepository(ConversionRow).update(due.map((c) => c.conversionId), { status: 'confirmed', confirmedAt: now });
        await enqueueEvents(m, due.map((c) => confirmedEvent(c, now)));
        return due.length;
      });
      total += n;
      if (n < 500) break;
    }
    if (total) this.messaging().nudgeRelay();
    return total;
  }

  // ------------------------------------------------------------------ review of held sales

  /**
   * Ops decide a held sale: release pays it as recorded (its commission and lock period as computed
   * when it arrived; a lead is sent as lead.recorded), reject closes it unpaid. Once only.
   */
  async review(conversionId: string, decision: 'release' | 'reject', actor: string): Promise<ConversionAnswer> {
    const answer = await this.dataSource.transaction(async (m) => {
      const c = await m.getRepository(ConversionRow).findOne({ where: { conversionId }, lock: { mode: 'pessimistic_write' } });
      if (!c) throw new NotFoundException(`conversion ${conversionId} not found`);
      if (c.status !== 'held') throw new ConflictException({ statusCode: 409, error: 'Conflict', reason: 'not-held', message: `conversion ${conversionId} is ${c.status}, not held` });
      if (decision === 'release' && c.holdReason === 'publisher-not-approved') throw new ConflictException({ statusCode: 409, error: 'Conflict', reason: 'publisher-not-approved', message: 'the publisher is not approved for the program: there is no commission to pay' });
      const isLead = c.kind === 'lead';
      c.status = decision === 'reject' ? 'rejected' : isLead ? 'lead-recorded' : 'pending';
      c.holdReason = `${c.holdReason}; ${decision === 'reject' ? 'rejected' : 'released'} by ${actor}`.slice(0, 500);
      await m.getRepository(ConversionRow).save(c);
      if (decision === 'release') await enqueueEvents(m, [isLead ? leadEvent(c) : recordedEvent(c)]);
      return answerOf(c, false);
    });
    if (decision === 'release') this.messaging().nudgeRelay();
    return answer;
  }

  // ------------------------------------------------------------------ reading and secrets

  async list(query: ListConversionsQuery, principal: Principal | undefined): Promise<ConversionRow[]> {
    const advertiserId = principal?.kind === 'user' && !isOps(principal) ? principal.advertiserId : query.advertiserId;
    if (!advertiserId && !isOps(principal)) throw new UnauthorizedException('an advertiser token or ops');
    if (advertiserId) assertAdvertiserAccess(principal, advertiserId);
    return this.dataSource.getRepository(ConversionRow).find({
      where: { ...(advertiserId ? { advertiserId } : {}), ...(query.status ? { status: query.status as ConversionRow['status'] } : {}), ...(query.orderId ? { orderId: query.orderId } : {}) },
      order: { createdAt: 'DESC' },
      take: 500,
    });
  }

  /** A new postback secret (the old one stops working): shown once. */
  async rotateSecret(advertiserId: string, principal: Principal | undefined, now: Date): Promise<{ advertiserId: string; secret: string }> {
    assertAdvertiserAccess(principal, advertiserId);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    await savePostbackSecret(this.dataSource.manager, advertiserId, secret, now);
    return { advertiserId, secret };
  }

  private async insert(m: EntityManager, row: Partial<ConversionRow>): Promise<void> {
    await m.getRepository(ConversionRow).insert({
      holdReason: null,
      campaignId: null,
      publisherId: null,
      clickId: null,
      voucherCode: null,
      attributedBy: null,
      programVersion: null,
      commissionMinor: 0,
      commissionReversedMinor: 0,
      feeMinor: 0,
      feeReversedMinor: 0,
      lockedUntil: null,
      confirmedAt: null,
      ...row,
    });
  }

  private messaging(): MessagingRuntime {
    return this.moduleRef.get(MessagingRuntime, { strict: false });
  }
}

/** A card number anywhere in a postback is refused (400 naming the field) before anything is stored. */
function refuseCardNumbers(body: unknown): void {
  const pan = findPan(body);
  if (pan) throw fieldError(pan.path || '(root)', 'contains a card number (PAN); card numbers must never be sent');
}

function answerOf(c: Partial<ConversionRow>, duplicate: boolean): ConversionAnswer {
  return {
    conversionId: c.conversionId!,
    orderId: c.orderId!,
    status: c.status!,
    duplicate,
    ...(c.publisherId ? { publisherId: c.publisherId } : {}),
    ...(c.attributedBy ? { attributedBy: c.attributedBy } : {}),
    ...(c.holdReason ? { holdReason: c.holdReason } : {}),
    ...(c.publisherId ? { commission: { amountMinor: (c.commissionMinor ?? 0) - (c.commissionReversedMinor ?? 0), currency: c.currency! } } : {}),
  };
}

const amt = (amountMinor: number, currency: string) => ({ amountMinor, currency });

function recordedEvent(c: ConversionRow): OutboxItem {
  const event = newEnvelope(ConversionRecordedV1, {
    source: SERVICE,
    occurredAt: c.convertedAt.toISOString(),
    eventId: nameBasedUuid(`conversion.recorded|${c.conversionId}`),
    data: {
      conversionId: c.conversionId,
      campaignId: c.campaignId!,
      advertiserId: c.advertiserId,
      publisherId: c.publisherId!,
      pricingModel: 'CPA',
      units: 1,
      ...(c.clickId ? { touchpointId: c.clickId } : {}),
      platformFee: amt(c.feeMinor, c.currency),
      publisherCommission: amt(c.commissionMinor, c.currency),
      advertiserCharge: amt(c.commissionMinor + c.feeMinor, c.currency),
      convertedAt: c.convertedAt.toISOString(),
      orderId: c.orderId,
      orderAmount: amt(c.orderAmountMinor, c.currency),
      lockedUntil: c.lockedUntil!.toISOString(),
    },
  });
  return { topic: 'conversions', key: c.campaignId!, event };
}

function leadEvent(c: ConversionRow): OutboxItem {
  // Lead ids are de-duplicated platform-wide by billing: scope the shop's id by its advertiser.
  const leadId = `${c.advertiserId}:${c.orderId}`;
  const eventId = nameBasedUuid(`lead.recorded|${c.conversionId}`);
  const event = newEnvelope(LeadRecordedV1, {
    source: SERVICE,
    occurredAt: c.convertedAt.toISOString(),
    eventId,
    data: { leadId, campaignId: c.campaignId!, publisherId: c.publisherId!, ...(c.clickId ? { clickId: c.clickId } : {}), at: c.convertedAt.toISOString(), reportedBy: SERVICE, inboundEventId: eventId },
  });
  return { topic: 'leads', key: leadId, event };
}

function reversedEvent(c: ConversionRow, dto: ConversionAdjustmentDto, r: { amountAfterMinor: number; commissionReversedMinor: number; feeReversedMinor: number }, now: Date): OutboxItem {
  const reversalId = `rev-${nameBasedUuid(`affiliate|${c.conversionId}|${dto.adjustmentId}`)}`;
  const event = newEnvelope(ConversionReversedV1, {
    source: SERVICE,
    occurredAt: now.toISOString(),
    eventId: nameBasedUuid(`conversion.reversed|${reversalId}`),
    data: {
      conversionId: c.conversionId,
      reversalId,
      campaignId: c.campaignId!,
      advertiserId: c.advertiserId,
      publisherId: c.publisherId!,
      reason: dto.kind === 'cancel' ? 'order-cancelled' : 'order-returned',
      orderId: c.orderId,
      orderAmountAfter: amt(r.amountAfterMinor, c.currency),
      publisherCommissionReversed: amt(r.commissionReversedMinor, c.currency),
      platformFeeReversed: amt(r.feeReversedMinor, c.currency),
      advertiserCredit: amt(r.commissionReversedMinor + r.feeReversedMinor, c.currency),
      reversedAt: now.toISOString(),
    },
  });
  return { topic: 'conversions', key: c.campaignId!, event };
}

function confirmedEvent(c: ConversionRow, now: Date): OutboxItem {
  const event = newEnvelope(ConversionConfirmedV1, {
    source: SERVICE,
    occurredAt: now.toISOString(),
    eventId: nameBasedUuid(`conversion.confirmed|${c.conversionId}`),
    data: {
      conversionId: c.conversionId,
      campaignId: c.campaignId!,
      advertiserId: c.advertiserId,
      publisherId: c.publisherId!,
      orderId: c.orderId,
      publisherCommission: amt(c.commissionMinor - c.commissionReversedMinor, c.currency),
      confirmedAt: now.toISOString(),
    },
  });
  return { topic: 'conversions', key: c.campaignId!, event };
}

