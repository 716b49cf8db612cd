import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { TopicEvents } from '@prestanda/contracts';
import { EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AffiliateCommission, CampaignName, Channel, CustomerPreference, Delivery, DeliveryStatus, Locale, Recipient, RecipientKind } from '../entities';
import {
  BudgetMessageInput,
  CommissionMessageInput,
  renderAffiliatePayout,
  renderBankPayout,
  renderBudgetMessage,
  renderBudgetReplenished,
  renderSpendLimit,
  renderCampaignEnded,
  renderCommissionMessage,
  RenderedEmail,
  renderRewardMessage,
  RewardMessageInput,
} from '../templates/templates';
import { bankOfPurchase, customerKey } from './customer-bank';
import { deliveriesTotal } from './metrics';

/** One id per (source event, recipient, channel): a redelivered event maps to the same delivery. */
export function deliveryId(sourceEventId: string, kind: RecipientKind, recipientId: string, channel: Channel): string {
  return 'dlv-' + createHash('sha256').update(`${sourceEventId}|${kind}|${recipientId}|${channel}`).digest('hex').slice(0, 24);
}

export { bankOfPurchase } from './customer-bank';

/**
 * A campaign snapshot that newly ends a campaign: the held snapshot is older and not "ended".
 * No held snapshot (a new consumer replaying the compacted topic, or a campaign that never ran
 * while we listened) is no transition: nobody is told about campaigns that ended long ago.
 * A row from before the status column (null) counts as "not ended".
 */
export function endsCampaign(held: { version: number; status: string | null } | undefined, next: { version: number; status: string }): boolean {
  return !!held && next.version > held.version && next.status === 'ended' && held.status !== 'ended';
}

type NewDelivery = Pick<Delivery, 'id' | 'sourceEventId' | 'sourceEventType' | 'recipientKind' | 'recipientId' | 'channel' | 'template' | 'customerId' | 'customerBank' | 'status' | 'skipReason' | 'payload'>;

/**
 * The consumer side: turns an event into delivery rows (pending, or skipped with a reason) in the
 * consumer's transaction, and nothing else. Sending is the dispatcher's job.
 */
@Injectable()
export class EnqueueService {
  /** One reward; see `onRewards`. */
  onReward(event: TopicEvents['rewards'], m: EntityManager): Promise<void> {
    return this.onRewards([event], m);
  }

  /**
   * The rewards of one chunk: one query for their recipients, one for the customers' preferences,
   * one for the campaigns' names, then one INSERT of all their deliveries. The recipient is the
   * customer's bank (the purchase's source), else the credited publisher (a bank, else an affiliate/app webhook).
   * A customer is (bank, customer id): preferences are looked up, and the delivery is marked, with both.
   */
  async onRewards(events: TopicEvents['rewards'][], m: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const inputs = events.map((e) => ({ type: e.type, data: e.data }) as RewardMessageInput);
    const banks = inputs.map((i) => bankOfPurchase(i.data.purchaseId));
    const publishers = [...new Set(inputs.map((i) => i.data.publisherId))];
    const recipients = await m.find(Recipient, {
      where: [
        { kind: 'bank', id: In([...new Set([...banks, ...publishers])]) },
        { kind: 'affiliate', id: In(publishers) },
      ],
    });
    // Every (bank, customer) of the chunk is among these; the map below picks each one's own row.
    const prefs = await m.findBy(CustomerPreference, { bankSource: In([...new Set(banks)]), customerId: In([...new Set(inputs.map((i) => i.data.customerId))]) });
    const campaigns = await m.findBy(CampaignName, { campaignId: In([...new Set(inputs.map((i) => i.data.campaignId))]) });
    const recipientByKey = new Map(recipients.map((r) => [`${r.kind}:${r.id}`, r]));
    const prefOf = new Map(prefs.map((p) => [customerKey(p.bankSource, p.customerId), p]));
    const namesOf = new Map(campaigns.map((c) => [c.campaignId, c]));
    const rows = events.map((event, i): NewDelivery => {
      const d = inputs[i].data;
      const bank = banks[i];
      const recipient = recipientByKey.get(`bank:${bank}`) ?? recipientByKey.get(`bank:${d.publisherId}`) ?? recipientByKey.get(`affiliate:${d.publisherId}`);
      const pref = prefOf.get(customerKey(bank, d.customerId));
      const names = namesOf.get(d.campaignId);
      const locale: Locale = pref?.locale ?? recipient?.defaultLocale ?? 'sv';
      const message = renderRewardMessage(inputs[i], locale, names?.merchantName ?? names?.advertiserName ?? d.advertiserId);
      const kind: RecipientKind = recipient?.kind ?? 'bank';
      const recipientId = recipient?.id ?? bank;
      const id = deliveryId(event.eventId, kind, recipientId, 'webhook');
      let status: DeliveryStatus = 'pending';
      let skipReason: string | null = null;
      if (pref?.optOutWebhook) [status, skipReason] = ['skipped', 'customer-opted-out'];
      else if (!recipient?.webhookUrl) [status, skipReason] = ['skipped', 'no-webhook-configured'];
      return {
        id,
        sourceEventId: event.eventId,
        sourceEventType: event.type,
        recipientKind: kind,
        recipientId,
        channel: 'webhook',
        template: message.template,
        customerId: d.customerId,
        customerBank: bank,
        status,
        skipReason,
        payload: {
          deliveryId: id,
          eventId: event.eventId,
          type: event.type,
          occurredAt: event.occurredAt,
          customerId: d.customerId,
          locale,
          template: message.template,
          message: { title: message.title, text: message.text },
          merchantName: names?.merchantName ?? null,
          data: d,
        },
      };
    });
    await insertDeliveries(m, rows);
  }

  async onBudget(event: TopicEvents['budget-events'], m: EntityManager): Promise<void> {
    if (event.type === 'spend-limit.threshold-reached' || event.type === 'spend-limit.exhausted' || event.type === 'spend-limit.replenished') {
      // An advertiser budget or a per-bank cap: the advertiser is told, as for a campaign's budget.
      const d = event.data;
      const recipient = await m.findOne(Recipient, { where: { kind: 'advertiser', id: d.advertiserId } });
      const names = d.campaignId ? await m.findOne(CampaignName, { where: { campaignId: d.campaignId } }) : null;
      const locale: Locale = recipient?.defaultLocale ?? 'sv';
      const mail = renderSpendLimit(event.type, d, locale, { advertiser: names?.advertiserName ?? d.advertiserId, campaign: names?.campaignName });
      await insertDeliveries(m, contactDeliveries(event, 'advertiser', d.advertiserId, recipient, mail, d, true));
      return;
    }
    if (event.type !== 'budget.threshold-reached' && event.type !== 'budget.exhausted' && event.type !== 'budget.replenished') return;
    const d = event.data;
    const recipient = await m.findOne(Recipient, { where: { kind: 'advertiser', id: d.advertiserId } });
    const names = await m.findOne(CampaignName, { where: { campaignId: d.campaignId } });
    const locale: Locale = recipient?.defaultLocale ?? 'sv';
    const who = { advertiser: names?.advertiserName ?? d.advertiserId, campaign: names?.campaignName ?? d.campaignId };
    let mail: RenderedEmail;
    if (event.type === 'budget.replenished') {
      // Nothing to resume for a campaign that has ended since it ran out.
      if (names?.status === 'ended') return;
      mail = renderBudgetReplenished(event.data, locale, who);
    } else {
      mail = renderBudgetMessage({ type: event.type, data: event.data } as BudgetMessageInput, locale, who);
    }
    await insertDeliveries(m, contactDeliveries(event, 'advertiser', d.advertiserId, recipient, mail, d, true));
  }

  /**
   * payout.batch-created: a bank gets the batch (summary message + the whole batch as data) by webhook;
   * an affiliate gets "your commission payout is on its way" by e-mail and/or webhook.
   * payout.batch-acknowledged: nothing (the payee sent it; customers hear through reward.paid).
   */
  async onPayout(event: TopicEvents['payouts'], m: EntityManager): Promise<void> {
    if (event.type !== 'payout.batch-created') return;
    const b = event.data;
    const recipient = await m.findOne(Recipient, { where: { kind: b.payeeKind, id: b.payeeId } });
    const locale: Locale = recipient?.defaultLocale ?? 'sv';
    if (b.payeeKind === 'affiliate') {
      const mail = renderAffiliatePayout(b, locale);
      await insertDeliveries(m, contactDeliveries(event, 'affiliate', b.payeeId, recipient, mail, b, false));
      return;
    }
    const message = renderBankPayout(b, locale);
    const id = deliveryId(event.eventId, 'bank', b.payeeId, 'webhook');
    await insertDeliveries(m, [
      {
        id,
        sourceEventId: event.eventId,
        sourceEventType: event.type,
        recipientKind: 'bank',
        recipientId: b.payeeId,
        channel: 'webhook',
        template: message.template,
        customerId: null,
        customerBank: null,
        status: recipient?.webhookUrl ? 'pending' : 'skipped',
        skipReason: recipient?.webhookUrl ? null : 'no-webhook-configured',
        payload: { deliveryId: id, eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, locale, template: message.template, message: { title: message.title, text: message.text }, data: b },
      },
    ]);
  }

  /**
   * `conversions`, affiliate sales only (conversion.recorded CPA without rewardId, conversion.reversed,
   * conversion.confirmed): the credited publisher, as an affiliate recipient, is told each change of
   * its commission — e-mail and/or webhook as its record says, like its payout batches. Card-linked
   * conversions (rewardId) are told to the customer through `rewards`; CPC/CPL/CPM ones are not news.
   * The recorded commission is kept (affiliate_commissions) so a reversal can say what remains; a
   * reversal id already seen (the shop's amendment reported again under a new event id) tells nobody.
   */
  async onConversion(event: TopicEvents['conversions'], m: EntityManager): Promise<void> {
    let input: CommissionMessageInput;
    if (event.type === 'conversion.recorded') {
      const d = event.data;
      if (d.pricingModel !== 'CPA' || d.rewardId) return;
      await m.query(
        `INSERT INTO "notification"."affiliate_commissions" ("conversion_id","publisher_id","currency","recorded_minor") VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING`,
        [d.conversionId, d.publisherId, d.publisherCommission.currency, d.publisherCommission.amountMinor],
      );
      input = { type: event.type, data: d };
    } else if (event.type === 'conversion.reversed') {
      const d = event.data;
      const fresh: unknown[] = await m.query(
        `INSERT INTO "notification"."affiliate_commission_reversals" ("reversal_id","conversion_id","reversed_minor") VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING 1`,
        [d.reversalId, d.conversionId, d.publisherCommissionReversed.amountMinor],
      );
      if (fresh.length === 0) return;
      input = { type: event.type, data: d, remaining: await commissionRemaining(m, d.conversionId) };
    } else {
      input = { type: event.type, data: event.data };
    }
    const d = input.data;
    const recipient = await m.findOne(Recipient, { where: { kind: 'affiliate', id: d.publisherId } });
    const names = await m.findOne(CampaignName, { where: { campaignId: d.campaignId } });
    const mail = renderCommissionMessage(input, recipient?.defaultLocale ?? 'sv', names?.merchantName ?? names?.advertiserName ?? d.advertiserId);
    await insertDeliveries(m, contactDeliveries(event, 'affiliate', d.publisherId, recipient, mail, d, false));
  }

  /** See `onCampaigns`. */
  onCampaign(event: TopicEvents['campaigns'], m: EntityManager): Promise<void> {
    return this.onCampaigns([event], m);
  }

  /**
   * Keeps names and the last status of each campaign (one read and one upsert for a chunk); a
   * snapshot that newly ends a campaign → "campaign ended" to the advertiser.
   */
  async onCampaigns(events: TopicEvents['campaigns'][], m: EntityManager): Promise<void> {
    // Per-key order (campaign id) within the partition: no concurrent writer for these rows.
    const ids = [...new Set(events.map((e) => e.data.campaignId))];
    const held = new Map((await m.findBy(CampaignName, { campaignId: In(ids) })).map((h) => [h.campaignId, { version: h.version, status: h.status }]));
    const ended: TopicEvents['campaigns'][] = [];
    const newest = new Map<string, TopicEvents['campaigns']['data']>();
    for (const event of events) {
      const c = event.data;
      const before = held.get(c.campaignId);
      if (endsCampaign(before, c)) ended.push(event);
      if (!before || before.version < c.version) held.set(c.campaignId, { version: c.version, status: c.status });
      if ((newest.get(c.campaignId)?.version ?? -1) < c.version) newest.set(c.campaignId, c);
    }
    const list = [...newest.values()];
    await m.query(
      `INSERT INTO "notification"."campaign_names" (campaign_id, version, campaign_name, advertiser_name, merchant_name, status)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (campaign_id) DO UPDATE SET version = EXCLUDED.version, campaign_name = EXCLUDED.campaign_name,
         advertiser_name = EXCLUDED.advertiser_name, merchant_name = EXCLUDED.merchant_name, status = EXCLUDED.status
       WHERE "notification"."campaign_names".version < EXCLUDED.version`,
      [
        list.map((c) => c.campaignId),
        list.map((c) => c.version),
        list.map((c) => c.name),
        list.map((c) => c.advertiserName),
        list.map((c) => c.merchants[0]?.name ?? c.advertiserName),
        list.map((c) => c.status),
      ],
    );
    for (const event of ended) {
      const c = event.data;
      const recipient = await m.findOne(Recipient, { where: { kind: 'advertiser', id: c.advertiserId } });
      const mail = renderCampaignEnded(c, recipient?.defaultLocale ?? 'sv');
      const data = { campaignId: c.campaignId, version: c.version, name: c.name, advertiserId: c.advertiserId, advertiserName: c.advertiserName, status: c.status, schedule: c.schedule, updatedAt: c.updatedAt };
      await insertDeliveries(m, contactDeliveries(event, 'advertiser', c.advertiserId, recipient, mail, data, true));
    }
  }
}

/**
 * E-mail (+ webhook when configured) to an advertiser or affiliate. `emailAlways`: an e-mail row even
 * without an address (skipped, `no-email-configured`) — advertisers. Otherwise the e-mail row is written
 * only when there is an address or no webhook either (then skipped), so a webhook-only affiliate gets just the webhook.
 */
function contactDeliveries(
  event: { eventId: string; type: string; occurredAt: string },
  kind: RecipientKind,
  recipientId: string,
  recipient: Recipient | null,
  mail: RenderedEmail,
  data: unknown,
  emailAlways: boolean,
): NewDelivery[] {
  const base = { sourceEventId: event.eventId, sourceEventType: event.type, recipientKind: kind, recipientId, template: mail.template, customerId: null, customerBank: null };
  const rows: NewDelivery[] = [];
  if (recipient?.email || emailAlways || !recipient?.webhookUrl) {
    rows.push({
      ...base,
      id: deliveryId(event.eventId, kind, recipientId, 'email'),
      channel: 'email',
      status: recipient?.email ? 'pending' : 'skipped',
      skipReason: recipient?.email ? null : 'no-email-configured',
      payload: { subject: mail.subject, text: mail.text, locale: mail.locale },
    });
  }
  if (recipient?.webhookUrl) {
    const id = deliveryId(event.eventId, kind, recipientId, 'webhook');
    rows.push({
      ...base,
      id,
      channel: 'webhook',
      status: 'pending',
      skipReason: null,
      payload: { deliveryId: id, eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, locale: mail.locale, template: mail.template, message: { title: mail.subject, text: mail.text }, data },
    });
  }
  return rows;
}

/** What remains of a sale's commission after its reversals, or null when its conversion.recorded was never seen here. */
async function commissionRemaining(m: EntityManager, conversionId: string): Promise<{ amountMinor: number; currency: string } | null> {
  const sale = await m.findOne(AffiliateCommission, { where: { conversionId } });
  if (!sale) return null;
  const [{ reversed }] = await m.query(`SELECT COALESCE(SUM("reversed_minor"),0)::text AS reversed FROM "notification"."affiliate_commission_reversals" WHERE "conversion_id"=$1`, [conversionId]);
  return { amountMinor: Math.max(0, sale.recordedMinor - Number(reversed)), currency: sale.currency };
}

/** ON CONFLICT DO NOTHING on (source event, recipient, channel): the exactly-once gate. Counts the skipped rows it wrote. */
async function insertDeliveries(m: EntityManager, rows: NewDelivery[]): Promise<void> {
  const result = await m.createQueryBuilder().insert().into(Delivery).values(rows as QueryDeepPartialEntity<Delivery>[]).orIgnore().returning(['id', 'channel', 'status']).execute();
  for (const row of (result.raw ?? []) as { channel: Channel; status: DeliveryStatus }[]) {
    if (row.status === 'skipped') deliveriesTotal.inc({ channel: row.channel, outcome: 'skipped' });
  }
}
