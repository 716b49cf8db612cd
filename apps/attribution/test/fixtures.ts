import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import {
  CampaignSnapshotV1,
  CardTransactionRefundedV1,
  CardTransactionReversedV1,
  CardTransactionSettledV1,
  ClickRecordedV1,
  ImpressionRecordedV1,
  newEnvelope,
  OfferMatchMatchedV1,
  type CampaignSnapshotV1Data,
} from '@prestanda/contracts';
import { EventProducer } from '@prestanda/kafka';
import { MessagingRuntime } from '@prestanda/service-kit';
import { createServiceApp } from '@prestanda/service-kit';
import { eventually, TEST_BANK_SOURCE } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadAttributionConfig } from '../src/config';

export const BANK = TEST_BANK_SOURCE;
export const DAY_MS = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
export const uid = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;

export async function startApp(): Promise<INestApplication> {
  const config = loadAttributionConfig({
    ...process.env,
    HTTP_PORT: '0',
    HEALTH_PORT: '0',
    ATTRIBUTION_HOLD_UNIT_SECONDS: '1',
    ATTRIBUTION_CONFIRM_POLL_MS: '200',
    // 600 hold units (s): the tests' purchases (a minute old) do not expire unless a test makes one older.
    ATTRIBUTION_AUTHORIZATION_EXPIRY_DAYS: '600',
  });
  const app = await createServiceApp(AppModule.forRoot(config), { service: 'attribution', title: 't', httpPort: 0 });
  await app.listen(0);
  await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60_000 });
  return app;
}

export function campaign(over: Partial<CampaignSnapshotV1Data> = {}): CampaignSnapshotV1Data {
  return {
    ...CampaignSnapshotV1.example,
    campaignId: uid('cmp'),
    version: 1,
    activation: 'automatic',
    windows: { clickDays: 30, viewDays: 1 },
    holdPeriodDays: 2,
    holdoutBasisPoints: 0,
    publishers: [
      { publisherId: 'pub-app', kind: 'rewards-app' },
      { publisherId: 'pub-other', kind: 'rewards-app' },
      { publisherId: `pub-${BANK}`, kind: 'bank' },
    ],
    platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
    ...over,
  };
}

export interface Purchase {
  customerId: string;
  transactionId: string;
  purchaseId: string;
  at: number;
  amountMinor: number;
}

export function purchase(customerId: string, at = Date.now() - 60_000, amountMinor = 10_000): Purchase {
  const transactionId = uid('txn');
  return { customerId, transactionId, purchaseId: `${BANK}:${transactionId}`, at, amountMinor };
}

export class Driver {
  constructor(readonly producer: EventProducer) {}

  async campaign(c: CampaignSnapshotV1Data, app: INestApplication): Promise<void> {
    await this.producer.send('campaigns', [{ key: c.campaignId, event: newEnvelope(CampaignSnapshotV1, { source: 'campaigns', occurredAt: c.updatedAt, data: c }) }]);
    const ds = app.get(DataSource);
    await eventually(async () => expect(await ds.query(`SELECT 1 FROM "attribution"."campaigns" WHERE "campaign_id" = $1 AND "version" >= $2`, [c.campaignId, c.version])).toHaveLength(1));
  }

  async click(customerId: string, campaignId: string, publisherId: string, kind: 'click' | 'activation', at: number): Promise<string> {
    const clickId = uid('clk');
    await this.producer.send('clicks', [
      {
        key: customerId,
        event: newEnvelope(ClickRecordedV1, {
          source: 'ingestion',
          occurredAt: iso(at),
          data: { clickId, customerId, campaignId, publisherId, kind, at: iso(at), reportedBy: BANK, inboundEventId: randomUUID() },
        }),
      },
    ]);
    return clickId;
  }

  async impression(customerId: string, campaignId: string, publisherId: string, at: number): Promise<string> {
    const impressionId = uid('imp');
    await this.producer.send('impressions', [
      {
        key: customerId,
        event: newEnvelope(ImpressionRecordedV1, {
          source: 'ingestion',
          occurredAt: iso(at),
          data: { impressionId, customerId, campaignId, publisherId, at: iso(at), reportedBy: BANK, inboundEventId: randomUUID() },
        }),
      },
    ]);
    return impressionId;
  }

  matchEvent(p: Purchase, c: CampaignSnapshotV1Data, opts: { kind?: 'authorization' | 'settlement'; rewardMinor?: number; feeMinor?: number } = {}) {
    return newEnvelope(OfferMatchMatchedV1, {
      source: 'offer-matching',
      occurredAt: iso(p.at),
      data: {
        matchId: `om-${p.transactionId}-${c.campaignId}`,
        purchaseId: p.purchaseId,
        transaction: { bankSource: BANK, transactionId: p.transactionId, kind: opts.kind ?? 'authorization', transactionAt: iso(p.at), cardTransactionEventId: randomUUID() },
        customerId: p.customerId,
        campaignId: c.campaignId,
        campaignVersion: c.version,
        advertiserId: c.advertiserId,
        merchantId: c.merchants[0].merchantId,
        matchedBy: 'mid',
        purchaseAmount: { amountMinor: p.amountMinor, currency: 'SEK' },
        channel: 'in-store',
        audienceSegment: 'lapsed',
        rewardAmount: { amountMinor: opts.rewardMinor ?? 1_000, currency: 'SEK' },
        platformFee: { amountMinor: opts.feeMinor ?? 200, currency: 'SEK' },
        matchedAt: iso(p.at + 1000),
      },
    });
  }

  async match(p: Purchase, c: CampaignSnapshotV1Data, opts: Parameters<Driver['matchEvent']>[2] = {}) {
    const event = this.matchEvent(p, c, opts);
    await this.producer.send('offer-matches', [{ key: p.customerId, event }]);
    return event;
  }

  private tx(p: Purchase, transactionId: string, amountMinor: number, at: number, original: boolean) {
    return {
      transactionId,
      ...(original ? { originalTransactionId: p.transactionId } : {}),
      customerId: p.customerId,
      cardId: 'card-1',
      amount: { amountMinor, currency: 'SEK' },
      merchant: { descriptor: 'ICA NARA HOKARANGEN', normalisedDescriptor: 'ICA NARA HOKARANGEN', mid: '000000123456789' },
      channel: 'in-store' as const,
      transactionAt: iso(at),
      bankSource: BANK,
      purchaseId: p.purchaseId,
      inboundEventId: randomUUID(),
    };
  }

  settledEvent(p: Purchase, at = Date.now()) {
    return newEnvelope(CardTransactionSettledV1, { source: 'ingestion', occurredAt: iso(at), data: this.tx(p, `${p.transactionId}-s`, p.amountMinor, at, true) });
  }

  async settle(p: Purchase, at = Date.now()) {
    const event = this.settledEvent(p, at);
    await this.producer.send('card-transactions', [{ key: p.customerId, event }]);
    return event;
  }

  refundEvent(p: Purchase, amountMinor: number, transactionId = uid('rfd')) {
    const at = Date.now();
    return newEnvelope(CardTransactionRefundedV1, { source: 'ingestion', occurredAt: iso(at), data: { ...this.tx(p, transactionId, amountMinor, at, true), originalTransactionId: p.transactionId } });
  }

  async refund(p: Purchase, amountMinor: number, transactionId?: string) {
    const event = this.refundEvent(p, amountMinor, transactionId);
    await this.producer.send('card-transactions', [{ key: p.customerId, event }]);
    return event;
  }

  async reverse(p: Purchase) {
    const at = Date.now();
    const event = newEnvelope(CardTransactionReversedV1, { source: 'ingestion', occurredAt: iso(at), data: { ...this.tx(p, uid('rev'), p.amountMinor, at, true), originalTransactionId: p.transactionId } });
    await this.producer.send('card-transactions', [{ key: p.customerId, event }]);
    return event;
  }
}
