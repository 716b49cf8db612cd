import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { assertAdvertiserAccess, isOps, type Principal } from '@prestanda/auth';
import type { AdvertiserBudgetV1, CampaignStatus, TopicEvents } from '@prestanda/contracts';
import { createLogger } from '@prestanda/observability';
import { enqueueEvents, PermanentError, type OutboxItem } from '@prestanda/persistence';
import { MessagingRuntime } from '@prestanda/service-kit';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { decideEdit, decideTransition, statusAfterBudgetEvent, type StatusAction } from './campaign-rules';
import type { ApplyDto, CreateAdvertiserDto, CreateCampaignDto, CreateMerchantDto, CreatePublisherDto, ListCampaignsQuery, UpdateAdvertiserDto, UpdateCampaignDto } from './dto';
import { withTrackingCodes, type CommissionInput } from './affiliate-terms';
import { Advertiser, Campaign, CampaignApplication, CampaignHistory, Merchant, Publisher, type CampaignPublisherEntry } from './entities';
import { snapshotData, snapshotEvent } from './snapshot';
import { changedFields, normaliseAdvertiserBudget, normaliseTerms, type CampaignTerms, type FieldError, type TermsInput } from './terms';

type Publish = (items: OutboxItem[]) => Promise<void>;

const log = createLogger('campaigns');

export function badRequest(errors: FieldError[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: errors.map((e) => `${e.field}: ${e.message}`), fields: errors });
}

function conflict(reason: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message: reason, reason, ...extra });
}

export function actorOf(p: Principal | undefined): string {
  if (!p) return 'unknown';
  return p.kind === 'user' ? p.subject : `integration:${p.source}`;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string; driverError?: { code?: string } })?.code === '23505' || (e as { driverError?: { code?: string } })?.driverError?.code === '23505';

export interface AdvertiserView {
  id: string;
  name: string;
  billingCurrency: string;
  budget: AdvertiserBudgetV1 | null;
  merchants: Merchant[];
  createdAt: Date;
  updatedAt: Date;
}

@Injectable()
export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * MessagingRuntime is looked up lazily: it depends on the consumer, which depends on this
   * service, so constructor injection would be a cycle.
   */
  private get messaging(): MessagingRuntime {
    return this.moduleRef.get(MessagingRuntime, { strict: false });
  }

  // ---------------------------------------------------------------- advertisers & merchants

  async createAdvertiser(dto: CreateAdvertiserDto): Promise<AdvertiserView> {
    const id = dto.id ?? `adv-${randomUUID()}`;
    const now = new Date();
    if (await this.dataSource.getRepository(Advertiser).existsBy({ id })) throw conflict(`advertiser ${id} already exists`);
    const budget = normaliseAdvertiserBudget(dto.budget, dto.billingCurrency);
    if (!budget.ok) throw badRequest(budget.errors);
    const merchantIds = (dto.merchants ?? []).flatMap((md) => (md.id ? [md.id] : []));
    if (merchantIds.length && (await this.dataSource.getRepository(Merchant).existsBy({ id: In(merchantIds) }))) throw conflict(`a merchant id of ${merchantIds.join(', ')} already exists`);
    try {
      await this.dataSource.transaction(async (m) => {
        await m.getRepository(Advertiser).insert({ id, name: dto.name, billingCurrency: dto.billingCurrency, budget: budget.budget, updatedAt: now });
        if (dto.merchants?.length) {
          const rows = dto.merchants.map((md) => this.merchantRow(id, md, now));
          await this.assertMidsFree(m, rows, (i) => `merchants.${i}.mids`);
          await m.getRepository(Merchant).insert(rows);
        }
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`advertiser ${id} or one of its merchant ids already exists`);
      throw e;
    }
    return this.getAdvertiser(id);
  }

  async listAdvertisers(principal: Principal | undefined): Promise<AdvertiserView[]> {
    const where = isOps(principal) ? {} : { id: this.ownAdvertiserId(principal) };
    const advertisers = await this.dataSource.getRepository(Advertiser).find({ where, order: { id: 'ASC' } });
    const merchants = advertisers.length ? await this.dataSource.getRepository(Merchant).find({ where: { advertiserId: In(advertisers.map((a) => a.id)) }, order: { id: 'ASC' } }) : [];
    return advertisers.map((a) => ({ ...a, merchants: merchants.filter((m) => m.advertiserId === a.id) }));
  }

  async getAdvertiser(id: string, principal?: Principal): Promise<AdvertiserView> {
    if (principal) assertAdvertiserAccess(principal, id);
    const advertiser = await this.dataSource.getRepository(Advertiser).findOneBy({ id });
    if (!advertiser) throw new NotFoundException(`advertiser ${id} not found`);
    const merchants = await this.dataSource.getRepository(Merchant).find({ where: { advertiserId: id }, order: { id: 'ASC' } });
    return { ...advertiser, merchants };
  }

  /**
   * Renames an advertiser or replaces its budget and per-bank caps (`budget: null` removes them);
   * its campaigns that are not ended are re-published (the snapshot carries both).
   */
  async updateAdvertiser(id: string, dto: UpdateAdvertiserDto, actor: string): Promise<AdvertiserView> {
    await this.dataSource.transaction(async (m) => {
      const advertiser = await this.lockAdvertiser(m, id);
      const changes: Partial<Pick<Advertiser, 'name' | 'budget'>> = {};
      if (dto.name !== undefined && dto.name !== advertiser.name) changes.name = dto.name;
      if (dto.budget !== undefined) {
        const budget = normaliseAdvertiserBudget(dto.budget, advertiser.billingCurrency);
        if (!budget.ok) throw badRequest(budget.errors);
        if (!isDeepStrictEqual(budget.budget, advertiser.budget)) changes.budget = budget.budget;
      }
      if (Object.keys(changes).length === 0) return;
      await m.getRepository(Advertiser).update({ id }, { ...changes, updatedAt: new Date() });
      const details = { ...(changes.name !== undefined ? { advertiserRenamed: changes.name } : {}), ...(changes.budget !== undefined ? { advertiserBudget: changes.budget } : {}) };
      await this.republishAdvertiser(m, id, actor, details, (items) => enqueueEvents(m, items), 'advertiser-changed');
    });
    this.messaging.nudgeRelay();
    return this.getAdvertiser(id);
  }

  /** Adds a merchant and re-publishes every campaign of the advertiser that is not ended. */
  async addMerchant(advertiserId: string, dto: CreateMerchantDto, actor: string): Promise<Merchant> {
    const now = new Date();
    const row = this.merchantRow(advertiserId, dto, now);
    if (await this.dataSource.getRepository(Merchant).existsBy({ id: row.id })) throw conflict(`merchant ${row.id} already exists`);
    try {
      await this.dataSource.transaction(async (m) => {
        await this.lockAdvertiser(m, advertiserId);
        await this.assertMidsFree(m, [row], () => 'mids');
        await m.getRepository(Merchant).insert(row);
        await this.republishAdvertiser(m, advertiserId, actor, { merchantAdded: row.id }, (items) => enqueueEvents(m, items));
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`merchant ${row.id} already exists`);
      throw e;
    }
    this.messaging.nudgeRelay();
    return (await this.dataSource.getRepository(Merchant).findOneBy({ id: row.id }))!;
  }

  /** Replaces a merchant's fields (the body is a whole merchant) and re-publishes the advertiser's campaigns. */
  async replaceMerchant(advertiserId: string, merchantId: string, dto: CreateMerchantDto, actor: string): Promise<Merchant> {
    const now = new Date();
    await this.dataSource.transaction(async (m) => {
      await this.lockAdvertiser(m, advertiserId);
      const existing = await m.getRepository(Merchant).findOneBy({ id: merchantId, advertiserId });
      if (!existing) throw new NotFoundException(`merchant ${merchantId} of advertiser ${advertiserId} not found`);
      const row = this.merchantRow(advertiserId, { ...dto, id: merchantId }, now);
      await this.assertMidsFree(m, [row], () => 'mids');
      const { id: _id, ...fields } = row;
      await m.getRepository(Merchant).update({ id: merchantId }, fields);
      await this.republishAdvertiser(m, advertiserId, actor, { merchantChanged: merchantId }, (items) => enqueueEvents(m, items));
    });
    this.messaging.nudgeRelay();
    return (await this.dataSource.getRepository(Merchant).findOneBy({ id: merchantId }))!;
  }

  async removeMerchant(advertiserId: string, merchantId: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.lockAdvertiser(m, advertiserId);
      const result = await m.getRepository(Merchant).delete({ id: merchantId, advertiserId });
      if (!result.affected) throw new NotFoundException(`merchant ${merchantId} of advertiser ${advertiserId} not found`);
      await this.republishAdvertiser(m, advertiserId, actor, { merchantRemoved: merchantId }, (items) => enqueueEvents(m, items));
    });
    this.messaging.nudgeRelay();
  }

  /** A MID identifies one merchant: matching goes "MID first", so one MID under two merchants would be ambiguous. */
  private async assertMidsFree(m: EntityManager, rows: { id: string; mids: string[] }[], field: (i: number) => string): Promise<void> {
    const errors: FieldError[] = [];
    const seen = new Map<string, string>();
    for (const [i, row] of rows.entries()) {
      for (const mid of row.mids) {
        const other = seen.get(mid);
        if (other && other !== row.id) errors.push({ field: field(i), message: `${field(i)}: MID ${mid} is listed under two merchants` });
        seen.set(mid, row.id);
      }
      if (row.mids.length === 0) continue;
      const taken: { id: string; advertiser_id: string; mid: string }[] = await m.query(
        `SELECT id, advertiser_id, mid FROM "campaigns"."merchants", unnest(mids) AS mid WHERE mids && $1::text[] AND mid = ANY($1::text[]) AND id <> $2`,
        [row.mids, row.id],
      );
      for (const t of taken) errors.push({ field: field(i), message: `${field(i)}: MID ${t.mid} already belongs to merchant ${t.id} of advertiser ${t.advertiser_id}` });
    }
    if (errors.length) throw conflict(errors.map((e) => e.message).join('; '), { fields: errors });
  }

  private merchantRow(advertiserId: string, dto: CreateMerchantDto, now: Date): Omit<Merchant, 'createdAt'> {
    return {
      id: dto.id ?? `mer-${randomUUID()}`,
      advertiserId,
      name: dto.name,
      mids: [...dto.mids],
      descriptorPatterns: [...dto.descriptorPatterns],
      mccs: [...(dto.mccs ?? [])],
      country: dto.country,
      channels: [...dto.channels],
      updatedAt: now,
    };
  }

  private async lockAdvertiser(m: EntityManager, advertiserId: string): Promise<Advertiser> {
    const advertiser = await m.getRepository(Advertiser).findOne({ where: { id: advertiserId }, lock: { mode: 'pessimistic_write' } });
    if (!advertiser) throw new NotFoundException(`advertiser ${advertiserId} not found`);
    return advertiser;
  }

  private async republishAdvertiser(m: EntityManager, advertiserId: string, actor: string, details: Record<string, unknown>, publish: Publish, change = 'merchants-changed'): Promise<void> {
    const campaigns = await m.getRepository(Campaign).find({ where: { advertiserId, status: Not('ended' as CampaignStatus) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    for (const c of campaigns) await this.saveVersion(m, c, { change, from: c.status, actor, details }, publish);
  }

  // ---------------------------------------------------------------- publishers

  async createPublisher(dto: CreatePublisherDto): Promise<Publisher> {
    const id = dto.id ?? `pub-${randomUUID()}`;
    if (await this.dataSource.getRepository(Publisher).existsBy({ id })) throw conflict(`publisher ${id} already exists`);
    try {
      await this.dataSource.getRepository(Publisher).insert({ id, name: dto.name, kind: dto.kind, website: dto.website ?? null });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`publisher ${id} already exists`);
      throw e;
    }
    return (await this.dataSource.getRepository(Publisher).findOneBy({ id }))!;
  }

  listPublishers(): Promise<Publisher[]> {
    return this.dataSource.getRepository(Publisher).find({ order: { id: 'ASC' } });
  }

  async getPublisher(id: string): Promise<Publisher> {
    const p = await this.dataSource.getRepository(Publisher).findOneBy({ id });
    if (!p) throw new NotFoundException(`publisher ${id} not found`);
    return p;
  }

  // ---------------------------------------------------------------- campaigns

  async createCampaign(dto: CreateCampaignDto, actor: string): Promise<Campaign> {
    const id = dto.id ?? `cmp-${randomUUID()}`;
    if (await this.dataSource.getRepository(Campaign).existsBy({ id })) throw conflict(`campaign ${id} already exists`);
    try {
      await this.dataSource.transaction(async (m) => {
        const advertiser = await m.getRepository(Advertiser).findOneBy({ id: dto.advertiserId });
        if (!advertiser) throw badRequest([{ field: 'advertiserId', message: `advertiserId: advertiser ${dto.advertiserId} does not exist` }]);
        const terms = await this.validTerms(m, dto as TermsInput, advertiser.billingCurrency);
        const now = new Date();
        const campaign = m.getRepository(Campaign).create({ id, advertiserId: advertiser.id, status: 'draft', version: 0, budgetExhausted: false, currency: advertiser.billingCurrency, ...terms, createdAt: now, updatedAt: now });
        await m.getRepository(Campaign).insert({ ...campaign, version: 1 });
        campaign.version = 1;
        await this.recordAndPublish(m, campaign, { change: 'created', from: null, actor }, (items) => enqueueEvents(m, items));
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`campaign ${id} already exists`);
      throw e;
    }
    this.messaging.nudgeRelay();
    return this.findCampaign(id);
  }

  async listCampaigns(query: ListCampaignsQuery, principal: Principal | undefined): Promise<Campaign[]> {
    let advertiserId = query.advertiserId;
    if (!isOps(principal)) {
      const own = this.ownAdvertiserId(principal);
      if (advertiserId) assertAdvertiserAccess(principal, advertiserId);
      advertiserId = own;
    }
    return this.dataSource.getRepository(Campaign).find({
      where: { ...(advertiserId ? { advertiserId } : {}), ...(query.status ? { status: query.status as CampaignStatus } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async getCampaign(id: string, principal: Principal | undefined): Promise<Campaign> {
    const c = await this.findCampaign(id);
    assertAdvertiserAccess(principal, c.advertiserId);
    return c;
  }

  async history(id: string, principal: Principal | undefined): Promise<CampaignHistory[]> {
    await this.getCampaign(id, principal);
    return this.dataSource.getRepository(CampaignHistory).find({ where: { campaignId: id }, order: { version: 'ASC', id: 'ASC' } });
  }

  private async findCampaign(id: string): Promise<Campaign> {
    const c = await this.dataSource.getRepository(Campaign).findOneBy({ id });
    if (!c) throw new NotFoundException(`campaign ${id} not found`);
    return c;
  }

  /** PATCH: objects are replaced whole; only fields whose value changes count as edited. */
  async updateCampaign(id: string, dto: UpdateCampaignDto, actor: string): Promise<Campaign> {
    const result = await this.dataSource.transaction(async (m) => {
      const campaign = await this.lockCampaign(m, id);
      if (campaign.status === 'ended') throw conflict('campaign is ended; an ended campaign cannot be edited', { status: campaign.status });
      const before = termsOf(campaign);
      const merged = { ...before, ...definedOnly(dto as Record<string, unknown>) } as TermsInput;
      const after = await this.validTerms(m, merged, campaign.currency, before.publishers);
      const changed = changedFields(before, after);
      if (changed.length === 0) return { campaign, changed };
      const decision = decideEdit(campaign.status, changed);
      if (!decision.ok) throw conflict(decision.reason, { status: campaign.status, fields: decision.fields });
      Object.assign(campaign, after);
      await this.saveVersion(m, campaign, { change: 'updated', from: campaign.status, actor, details: { fields: changed } }, (items) => enqueueEvents(m, items));
      return { campaign, changed };
    });
    if (result.changed.length) this.messaging.nudgeRelay();
    return this.findCampaign(id);
  }

  async transition(id: string, action: StatusAction, actor: string, reason?: string): Promise<Campaign> {
    await this.dataSource.transaction(async (m) => {
      const campaign = await this.lockCampaign(m, id);
      const decision = decideTransition(campaign.status, action, campaign.budgetExhausted);
      if (!decision.ok) throw conflict(decision.reason, { status: campaign.status, action });
      if (action === 'activate' || action === 'resume') {
        if (campaign.schedule.endsAt && Date.parse(campaign.schedule.endsAt) <= Date.now()) {
          throw conflict(`the schedule ended at ${campaign.schedule.endsAt}; change schedule.endsAt or end the campaign`, { status: campaign.status, action });
        }
      }
      const from = campaign.status;
      campaign.status = decision.to;
      await this.saveVersion(m, campaign, { change: action, from, actor, reason }, (items) => enqueueEvents(m, items));
    });
    this.messaging.nudgeRelay();
    return this.findCampaign(id);
  }

  /**
   * Ends every live or paused campaign whose schedule.endsAt has passed (actor `schedule`).
   * Safe with several replicas: each campaign is ended under its row lock, and a campaign
   * another replica ended meanwhile is refused by the transition rules and skipped.
   */
  async endExpired(now = new Date()): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM "campaigns"."campaigns"
        WHERE status IN ('active', 'paused', 'exhausted') AND schedule ? 'endsAt' AND (schedule->>'endsAt')::timestamptz <= $1
        ORDER BY id`,
      [now.toISOString()],
    );
    const ended: string[] = [];
    for (const { id } of rows) {
      try {
        await this.transition(id, 'end', 'schedule', `schedule ended`);
        ended.push(id);
      } catch (e) {
        if (!(e instanceof ConflictException)) throw e;
      }
    }
    return ended;
  }

  // ---------------------------------------------------------------- affiliate applications

  /**
   * An affiliate applies to promote a campaign (an integration applies as its own publisher; ops
   * may apply on an affiliate's behalf). Only affiliates apply: banks and the rewards app are
   * added directly. Re-applying after a decline opens the application again.
   */
  async apply(campaignId: string, dto: ApplyDto, principal: Principal | undefined): Promise<CampaignApplication> {
    let publisherId = dto.publisherId;
    if (principal?.kind === 'integration') {
      if (!principal.publisherId) throw new ForbiddenException('this API key is not a publisher');
      if (publisherId && publisherId !== principal.publisherId) throw new ForbiddenException(`an integration applies only as its own publisher ${principal.publisherId}`);
      publisherId = principal.publisherId;
    }
    if (!publisherId) throw badRequest([{ field: 'publisherId', message: 'publisherId is required' }]);
    const pid = publisherId;
    let autoApproved = false;
    await this.dataSource.transaction(async (m) => {
      const campaign = await this.lockCampaign(m, campaignId);
      if (campaign.status === 'ended') throw conflict('campaign is ended; it takes no applications', { status: campaign.status });
      const publisher = await m.getRepository(Publisher).findOneBy({ id: pid });
      if (!publisher) throw badRequest([{ field: 'publisherId', message: `publisherId: publisher ${pid} does not exist` }]);
      if (publisher.kind !== 'affiliate') throw conflict(`only affiliates apply; publisher ${pid} is a ${publisher.kind}: add it to the campaign's publishers instead`);
      if (campaign.publishers.some((p) => p.publisherId === pid)) throw conflict(`publisher ${pid} is already approved for campaign ${campaignId}`);
      const repo = m.getRepository(CampaignApplication);
      const existing = await repo.findOneBy({ campaignId, publisherId: pid });
      if (existing?.status === 'pending') throw conflict(`publisher ${pid} already has a pending application`);
      const now = new Date();
      const application = await repo.save(repo.create({ campaignId, publisherId: pid, status: 'pending', message: dto.message ?? null, decidedBy: null, decisionReason: null, decidedAt: null, updatedAt: now }));
      // A program with automatic approval approves at once, on the program's terms.
      autoApproved = campaign.affiliate?.approval === 'auto';
      if (autoApproved) await this.applyDecision(m, campaign, application, 'approved', 'auto-approval', { reason: 'program approves automatically' });
    });
    if (autoApproved) this.messaging.nudgeRelay();
    return this.dataSource.getRepository(CampaignApplication).findOneByOrFail({ campaignId, publisherId: pid });
  }

  async applications(campaignId: string, principal: Principal | undefined): Promise<CampaignApplication[]> {
    await this.getCampaign(campaignId, principal);
    return this.dataSource.getRepository(CampaignApplication).find({ where: { campaignId }, order: { createdAt: 'ASC', publisherId: 'ASC' } });
  }

  /**
   * Approve adds the affiliate to the campaign's publishers with its voucher codes, its own
   * commission if given (a publisher override) and a new tracking code: a new version and snapshot.
   */
  async decide(campaignId: string, publisherId: string, decision: 'approved' | 'declined', actor: string, options: DecisionOptions): Promise<CampaignApplication> {
    await this.dataSource.transaction(async (m) => {
      const campaign = await this.lockCampaign(m, campaignId);
      if (campaign.status === 'ended') throw conflict('campaign is ended; an ended campaign cannot be edited', { status: campaign.status });
      const repo = m.getRepository(CampaignApplication);
      const application = await repo.findOne({ where: { campaignId, publisherId }, lock: { mode: 'pessimistic_write' } });
      if (!application) throw new NotFoundException(`no application of ${publisherId} to campaign ${campaignId}`);
      if (application.status !== 'pending') throw conflict(`the application is already ${application.status}`, { applicationStatus: application.status });
      await this.applyDecision(m, campaign, application, decision, actor, options);
    });
    if (decision === 'approved') this.messaging.nudgeRelay();
    return this.dataSource.getRepository(CampaignApplication).findOneByOrFail({ campaignId, publisherId });
  }

  private async applyDecision(m: EntityManager, campaign: Campaign, application: CampaignApplication, decision: 'approved' | 'declined', actor: string, options: DecisionOptions): Promise<void> {
    Object.assign(application, { status: decision, decidedBy: actor, decisionReason: options.reason ?? null, decidedAt: new Date(), updatedAt: new Date() });
    await m.getRepository(CampaignApplication).save(application);
    if (decision !== 'approved') return;
    const entry = { publisherId: application.publisherId, voucherCodes: options.voucherCodes, ...(options.commission ? { commission: options.commission } : {}) };
    try {
      const after = await this.validTerms(m, { ...termsOf(campaign), publishers: [...campaign.publishers, entry] }, campaign.currency, campaign.publishers);
      campaign.publishers = after.publishers;
    } catch (e) {
      // The new entry is the last one: name its fields as the approval body does.
      throw e instanceof BadRequestException ? renameFields(e, `publishers.${campaign.publishers.length}.`, '') : e;
    }
    await this.saveVersion(m, campaign, { change: 'publisher-approved', from: campaign.status, actor, details: { publisherId: application.publisherId, ...(options.commission ? { commission: options.commission } : {}) } }, (items) => enqueueEvents(m, items));
  }

  // ---------------------------------------------------------------- budget-events

  /**
   * billing's budget events for the total budget: exhausted → status exhausted (from active),
   * replenished → active (from exhausted). A paused campaign keeps the flag, so resume lands
   * on the right status. Daily-scope events and threshold warnings change nothing here.
   */
  async onBudgetEvent(event: TopicEvents['budget-events'], manager: EntityManager, publish: Publish): Promise<void> {
    if (event.type !== 'budget.exhausted' && event.type !== 'budget.replenished') return;
    const data = event.data;
    if (data.scope !== 'total') return;
    const campaign = await manager.getRepository(Campaign).findOne({ where: { id: data.campaignId }, lock: { mode: 'pessimistic_write' } });
    if (!campaign) {
      log.warn({ campaignId: data.campaignId, type: event.type }, 'budget event for an unknown campaign ignored');
      return;
    }
    if (campaign.advertiserId !== data.advertiserId) throw new PermanentError(`campaign ${campaign.id} belongs to another advertiser`, 'data.advertiserId');
    if (campaign.status === 'ended') return;
    const kind = event.type === 'budget.exhausted' ? 'exhausted' : 'replenished';
    const flag = kind === 'exhausted';
    const to = statusAfterBudgetEvent(campaign.status, kind);
    if (!to) {
      if (campaign.budgetExhausted !== flag) await manager.getRepository(Campaign).update({ id: campaign.id }, { budgetExhausted: flag });
      return;
    }
    const from = campaign.status;
    campaign.status = to;
    campaign.budgetExhausted = flag;
    await this.saveVersion(
      manager,
      campaign,
      { change: `budget-${kind}`, from, actor: 'budget-events', details: { eventId: event.eventId, spent: data.spent, budget: data.budget, percent: data.percent } },
      publish,
    );
  }

  // ---------------------------------------------------------------- shared

  private async lockCampaign(m: EntityManager, id: string): Promise<Campaign> {
    const c = await m.getRepository(Campaign).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw new NotFoundException(`campaign ${id} not found`);
    return c;
  }

  /** Normalised terms; every publisher exists; affiliates keep their tracking code (`before`) or get one. */
  private async validTerms(m: EntityManager, input: TermsInput, currency: string, before: readonly CampaignPublisherEntry[] = []): Promise<CampaignTerms> {
    const result = normaliseTerms(input, currency);
    if (!result.ok) throw badRequest(result.errors);
    const ids = result.terms.publishers.map((p) => p.publisherId);
    if (!ids.length) return result.terms;
    const found = await m.getRepository(Publisher).findBy({ id: In(ids) });
    const kinds = new Map(found.map((p) => [p.id, p.kind]));
    const unknown = ids.map((pid, i) => ({ pid, i })).filter(({ pid }) => !kinds.has(pid));
    if (unknown.length) throw badRequest(unknown.map(({ pid, i }) => ({ field: `publishers.${i}.publisherId`, message: `publishers.${i}.publisherId: publisher ${pid} does not exist` })));
    return { ...result.terms, publishers: withTrackingCodes(result.terms.publishers, before, (pid) => kinds.get(pid) === 'affiliate') };
  }

  /** Bumps the version, saves the row, records the history and publishes the snapshot — one transaction. */
  private async saveVersion(m: EntityManager, campaign: Campaign, change: HistoryInput, publish: Publish): Promise<void> {
    campaign.version += 1;
    campaign.updatedAt = new Date();
    await m.getRepository(Campaign).save(campaign);
    await this.recordAndPublish(m, campaign, change, publish);
  }

  private async recordAndPublish(m: EntityManager, campaign: Campaign, change: HistoryInput, publish: Publish): Promise<void> {
    const history = m.getRepository(CampaignHistory);
    await history.save(history.create({
      campaignId: campaign.id,
      version: campaign.version,
      change: change.change,
      fromStatus: change.from,
      toStatus: campaign.status,
      actor: change.actor,
      reason: change.reason ?? null,
      details: change.details ?? null,
    }));
    const advertiser = await m.getRepository(Advertiser).findOneByOrFail({ id: campaign.advertiserId });
    const merchants = await m.getRepository(Merchant).find({ where: { advertiserId: campaign.advertiserId }, order: { id: 'ASC' } });
    const ids = campaign.publishers.map((p) => p.publisherId);
    const publishers = ids.length ? await m.getRepository(Publisher).findBy({ id: In(ids) }) : [];
    const data = snapshotData(campaign, advertiser, merchants, new Map(publishers.map((p) => [p.id, p.kind])));
    await publish([{ topic: 'campaigns', key: campaign.id, event: snapshotEvent(data) }]);
  }

  private ownAdvertiserId(principal: Principal | undefined): string {
    if (principal?.kind === 'user' && principal.roles.includes('advertiser') && principal.advertiserId) return principal.advertiserId;
    assertAdvertiserAccess(principal, '(none)');
    return '(none)';
  }
}

interface DecisionOptions {
  voucherCodes?: string[];
  commission?: CommissionInput;
  reason?: string;
}

/** A 400 whose field names start with `from`, renamed to start with `to`. */
function renameFields(e: BadRequestException, from: string, to: string): BadRequestException {
  const body = e.getResponse() as { fields?: FieldError[] };
  const fields = (body.fields ?? []).map((f) => ({ field: f.field.startsWith(from) ? to + f.field.slice(from.length) : f.field, message: f.message.split(from).join(to) }));
  return badRequest(fields);
}

interface HistoryInput {
  change: string;
  from: CampaignStatus | null;
  actor: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export function termsOf(c: Campaign): CampaignTerms {
  return {
    name: c.name,
    pricing: c.pricing,
    reward: c.reward,
    platformFee: c.platformFee,
    budget: c.budget,
    schedule: c.schedule,
    audience: c.audience,
    channels: c.channels,
    activation: c.activation,
    windows: c.windows,
    holdPeriodDays: c.holdPeriodDays,
    holdoutBasisPoints: c.holdoutBasisPoints,
    publishers: c.publishers,
    banks: c.banks,
    affiliate: c.affiliate,
    content: c.content ?? null,
  };
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
