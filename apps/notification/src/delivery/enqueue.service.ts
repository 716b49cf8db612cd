import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { TopicEvents } from '@prestanda/contracts';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CampaignName, Channel, CustomerPreference, Delivery, DeliveryStatus, Locale, Recipient, RecipientKind } from '../entities';
import { BudgetMessageInput, renderBudgetMessage, renderRewardMessage, RewardMessageInput } from '../templates/templates';

/** One id per (source event, recipient, channel): a redelivered event maps to the same delivery. */
export function deliveryId(sourceEventId: string, kind: RecipientKind, recipientId: string, channel: Channel): string {
  return 'dlv-' + createHash('sha256').update(`${sourceEventId}|${kind}|${recipientId}|${channel}`).digest('hex').slice(0, 24);
}

/** The bank a purchase came from: purchaseId is "<bankSource>:<transactionId>". */
export function bankOfPurchase(purchaseId: string): string {
  const i = purchaseId.indexOf(':');
  return i > 0 ? purchaseId.slice(0, i) : purchaseId;
}

type NewDelivery = Pick<Delivery, 'id' | 'sourceEventId' | 'sourceEventType' | 'recipientKind' | 'recipientId' | 'channel' | 'template' | 'customerId' | 'status' | 'skipReason' | 'payload'>;

/**
 * The consumer side: turns an event into delivery rows (pending, or skipped with a reason) in the
 * consumer's transaction, and nothing else. Sending is the dispatcher's job.
 */
@Injectable()
export class EnqueueService {
  async onReward(event: TopicEvents['rewards'], m: EntityManager): Promise<void> {
    const input = { type: event.type, data: event.data } as RewardMessageInput;
    const d = input.data;
    const bank = bankOfPurchase(d.purchaseId);
    // The customer's bank first (the purchase's source), else the credited publisher (an affiliate/app webhook).
    const recipient =
      (await m.findOne(Recipient, { where: { kind: 'bank', id: bank } })) ??
      (await m.findOne(Recipient, { where: [{ kind: 'bank', id: d.publisherId }, { kind: 'affiliate', id: d.publisherId }] }));
    const pref = await m.findOne(CustomerPreference, { where: { customerId: d.customerId } });
    const names = await m.findOne(CampaignName, { where: { campaignId: d.campaignId } });
    const locale: Locale = pref?.locale ?? recipient?.defaultLocale ?? 'sv';
    const message = renderRewardMessage(input, locale, names?.merchantName ?? names?.advertiserName ?? d.advertiserId);
    const kind: RecipientKind = recipient?.kind ?? 'bank';
    const recipientId = recipient?.id ?? bank;
    const id = deliveryId(event.eventId, kind, recipientId, 'webhook');
    let status: DeliveryStatus = 'pending';
    let skipReason: string | null = null;
    if (pref?.optOutWebhook) [status, skipReason] = ['skipped', 'customer-opted-out'];
    else if (!recipient?.webhookUrl) [status, skipReason] = ['skipped', 'no-webhook-configured'];
    await insertDeliveries(m, [
      {
        id,
        sourceEventId: event.eventId,
        sourceEventType: event.type,
        recipientKind: kind,
        recipientId,
        channel: 'webhook',
        template: message.template,
        customerId: d.customerId,
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
      },
    ]);
  }

  async onBudget(event: TopicEvents['budget-events'], m: EntityManager): Promise<void> {
    if (event.type !== 'budget.threshold-reached' && event.type !== 'budget.exhausted') return; // replenished: no message
    const input = { type: event.type, data: event.data } as BudgetMessageInput;
    const d = input.data;
    const recipient = await m.findOne(Recipient, { where: { kind: 'advertiser', id: d.advertiserId } });
    const names = await m.findOne(CampaignName, { where: { campaignId: d.campaignId } });
    const locale: Locale = recipient?.defaultLocale ?? 'sv';
    const mail = renderBudgetMessage(input, locale, { advertiser: names?.advertiserName ?? d.advertiserId, campaign: names?.campaignName ?? d.campaignId });
    const base = { sourceEventId: event.eventId, sourceEventType: event.type, recipientKind: 'advertiser' as const, recipientId: d.advertiserId, template: mail.template, customerId: null };
    const emailId = deliveryId(event.eventId, 'advertiser', d.advertiserId, 'email');
    const rows: NewDelivery[] = [
      {
        ...base,
        id: emailId,
        channel: 'email',
        status: recipient?.email ? 'pending' : 'skipped',
        skipReason: recipient?.email ? null : 'no-email-configured',
        payload: { subject: mail.subject, text: mail.text, locale },
      },
    ];
    if (recipient?.webhookUrl) {
      const id = deliveryId(event.eventId, 'advertiser', d.advertiserId, 'webhook');
      rows.push({
        ...base,
        id,
        channel: 'webhook',
        status: 'pending',
        skipReason: null,
        payload: { deliveryId: id, eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, locale, template: mail.template, message: { title: mail.subject, text: mail.text }, data: d },
      });
    }
    await insertDeliveries(m, rows);
  }

  async onCampaign(event: TopicEvents['campaigns'], m: EntityManager): Promise<void> {
    const c = event.data;
    await m.query(
      `INSERT INTO "notification"."campaign_names" (campaign_id, version, campaign_name, advertiser_name, merchant_name) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (campaign_id) DO UPDATE SET version = EXCLUDED.version, campaign_name = EXCLUDED.campaign_name,
         advertiser_name = EXCLUDED.advertiser_name, merchant_name = EXCLUDED.merchant_name
       WHERE "notification"."campaign_names".version < EXCLUDED.version`,
      [c.campaignId, c.version, c.name, c.advertiserName, c.merchants[0]?.name ?? c.advertiserName],
    );
  }
}

/** ON CONFLICT DO NOTHING on (source event, recipient, channel): the exactly-once gate. */
async function insertDeliveries(m: EntityManager, rows: NewDelivery[]): Promise<void> {
  await m.createQueryBuilder().insert().into(Delivery).values(rows as QueryDeepPartialEntity<Delivery>[]).orIgnore().execute();
}
