import {
  InboundCardTransactionAuthorizationV1,
  InboundCardTransactionRefundV1,
  InboundCardTransactionReversalV1,
  InboundCardTransactionSettlementV1,
  InboundClickReportedV1,
  InboundImpressionReportedV1,
  newEnvelope,
  TopicEvents,
} from '@prestanda/contracts';
import { pick, rng, World, WorldMerchant } from './world';

export type InboundTopic = 'inbound.card-transactions' | 'inbound.impressions' | 'inbound.clicks';
export interface Produced<T extends InboundTopic = InboundTopic> {
  topic: T;
  key: string;
  event: TopicEvents[T];
}

export interface TrafficOptions {
  seed: number;
  customers: number;
  bankSource: string;
  bankPublisher: string;
  /** Share of purchases at merchants no campaign covers. */
  offNetworkShare?: number;
}

export interface TrafficCounts {
  purchases: number;
  authorizations: number;
  settlements: number;
  refunds: number;
  reversals: number;
  impressions: number;
  activations: number;
}

const OFF_NETWORK = ['HEMKOP SODERMALM', 'PRESSBYRAN T-CENTRALEN', 'SL ACCESS', 'SYSTEMBOLAGET 0123', 'MAX HAMBURGARE'];

/**
 * A realistic synthetic bank feed: each purchase is an authorization then a settlement (75 %),
 * a settlement alone (offline / force-posted, 20 %) or an authorization that is reversed (5 %);
 * 5 % of settled purchases are refunded, half of them partially. Some purchases are preceded by an
 * impression (30 %) or an activation (20 %) of one of the advertiser's offers.
 */
export class TrafficGenerator {
  readonly counts: TrafficCounts = { purchases: 0, authorizations: 0, settlements: 0, refunds: 0, reversals: 0, impressions: 0, activations: 0 };
  private readonly r: () => number;
  private seq = 0;

  constructor(private readonly world: World, private readonly options: TrafficOptions) {
    this.r = rng(options.seed ^ 0x5eed);
  }

  /** The events of one purchase, in the order a bank would send them. */
  nextPurchase(now = new Date()): Produced[] {
    const r = this.r;
    const n = ++this.seq;
    const customerId = `cust-${this.options.seed}-${Math.floor(r() * this.options.customers)}`;
    const cardId = `card-${customerId.slice(5)}-1`;
    const onNetwork = this.world.merchants.length > 0 && r() >= (this.options.offNetworkShare ?? 0.2);
    const merchant: WorldMerchant = onNetwork
      ? pick(r, this.world.merchants)
      : { advertiserId: '', currency: 'SEK', descriptor: pick(r, OFF_NETWORK), channel: 'in-store', mcc: '5499', campaignIds: [] };
    const amount = { amountMinor: 2000 + Math.floor(r() * 150000), currency: merchant.currency };
    const at = now.toISOString();
    const out: Produced[] = [];
    const source = this.options.bankSource;
    const campaignId = merchant.campaignIds.length ? pick(r, merchant.campaignIds) : undefined;
    if (campaignId && r() < 0.3) {
      out.push({ topic: 'inbound.impressions', key: customerId, event: newEnvelope(InboundImpressionReportedV1, { source, occurredAt: at, data: { impressionId: `imp-${this.options.seed}-${n}`, customerId, campaignId, publisherId: this.options.bankPublisher, placement: 'offers-list', at } }) });
      this.counts.impressions++;
    }
    if (campaignId && r() < 0.2) {
      out.push({ topic: 'inbound.clicks', key: customerId, event: newEnvelope(InboundClickReportedV1, { source, occurredAt: at, data: { clickId: `clk-${this.options.seed}-${n}`, customerId, campaignId, publisherId: this.options.bankPublisher, kind: 'activation', at } }) });
      this.counts.activations++;
    }
    const txn = `txn-${this.options.seed}-${n}`;
    const base = {
      customerId,
      cardId,
      amount,
      merchant: { ...(merchant.mid ? { mid: merchant.mid } : {}), descriptor: merchant.descriptor, mcc: merchant.mcc, country: 'SE', ...(merchant.city ? { city: merchant.city } : {}) },
      channel: merchant.channel,
      transactionAt: at,
    };
    const card = (e: Produced<'inbound.card-transactions'>['event']) => out.push({ topic: 'inbound.card-transactions', key: customerId, event: e });
    this.counts.purchases++;
    const shape = r();
    if (shape < 0.05) {
      card(newEnvelope(InboundCardTransactionAuthorizationV1, { source, occurredAt: at, data: { ...base, transactionId: txn } }));
      card(newEnvelope(InboundCardTransactionReversalV1, { source, occurredAt: at, data: { ...base, transactionId: `${txn}-rev`, originalTransactionId: txn } }));
      this.counts.authorizations++;
      this.counts.reversals++;
      return out;
    }
    if (shape < 0.8) {
      card(newEnvelope(InboundCardTransactionAuthorizationV1, { source, occurredAt: at, data: { ...base, transactionId: txn } }));
      card(newEnvelope(InboundCardTransactionSettlementV1, { source, occurredAt: at, data: { ...base, transactionId: `${txn}-stl`, originalTransactionId: txn } }));
      this.counts.authorizations++;
    } else {
      card(newEnvelope(InboundCardTransactionSettlementV1, { source, occurredAt: at, data: { ...base, transactionId: txn } }));
    }
    this.counts.settlements++;
    if (r() < 0.05) {
      const partial = r() < 0.5;
      const refund = { amountMinor: partial ? Math.max(1, Math.floor(amount.amountMinor / 2)) : amount.amountMinor, currency: amount.currency };
      card(newEnvelope(InboundCardTransactionRefundV1, { source, occurredAt: at, data: { ...base, amount: refund, transactionId: `${txn}-ref`, originalTransactionId: txn } }));
      this.counts.refunds++;
    }
    return out;
  }
}
