import type {
  BudgetExhaustedV1Data,
  BudgetReplenishedV1Data,
  BudgetThresholdReachedV1Data,
  CampaignSnapshotV1Data,
  ConversionConfirmedV1Data,
  ConversionRecordedV1Data,
  ConversionReversedV1Data,
  PayoutBatchCreatedV1Data,
  RewardConfirmedV1Data,
  RewardEarnedV1Data,
  RewardPaidV1Data,
  RewardReinstatedV1Data,
  RewardReversedV1Data,
} from '@prestanda/contracts';
import { formatMoney, type Money } from '@prestanda/money';
import type { Locale } from '../entities';

export const LOCALES: readonly Locale[] = ['sv', 'en'];

export interface RenderedMessage {
  /** "<name>.<locale>", as on notification events. */
  template: string;
  locale: Locale;
  title: string;
  text: string;
}

export type RewardMessageInput =
  | { type: 'reward.earned'; data: RewardEarnedV1Data }
  | { type: 'reward.confirmed'; data: RewardConfirmedV1Data }
  | { type: 'reward.paid'; data: RewardPaidV1Data }
  | { type: 'reward.reversed'; data: RewardReversedV1Data }
  | { type: 'reward.reinstated'; data: RewardReinstatedV1Data };

export type BudgetMessageInput =
  | { type: 'budget.threshold-reached'; data: BudgetThresholdReachedV1Data }
  | { type: 'budget.exhausted'; data: BudgetExhaustedV1Data };

/** Reversal reasons in plain words, completing "… because <reason>." */
export const REVERSAL_REASONS: Record<Locale, Record<RewardReversedV1Data['reasonCode'], string>> = {
  sv: {
    'refund-netted': 'köpet har återbetalats helt eller delvis',
    'authorization-reversed': 'köpet avbröts och drogs aldrig från ditt konto',
    'authorization-expired': 'köpet drogs aldrig från ditt konto inom bankens tidsgräns',
    'ops-adjustment': 'vår kundtjänst har gjort en justering',
  },
  en: {
    'refund-netted': 'the purchase was refunded in full or in part',
    'authorization-reversed': 'the purchase was cancelled and never charged',
    'authorization-expired': 'the purchase was not charged to your account within the bank\'s time limit',
    'ops-adjustment': 'our support team made an adjustment',
  },
};

interface RewardVars {
  merchant: string;
  amount: string;
  days: number;
  reversed: string;
  remaining: string;
  reason: string;
  afterPayout: boolean;
  full: boolean;
}

type RewardTemplate = { title: (v: RewardVars) => string; text: (v: RewardVars) => string };

/** Customer messages, shown by the bank in its app. One map per locale. */
export const REWARD_TEMPLATES: Record<Locale, Record<RewardMessageInput['type'], RewardTemplate>> = {
  sv: {
    'reward.earned': {
      title: (v) => `Cashback hos ${v.merchant}`,
      text: (v) =>
        `Du har fått ${v.amount} i cashback hos ${v.merchant}. Den betalas ut när köpet har bekräftats` +
        (v.days === 0 ? '.' : `, ${v.days} ${v.days === 1 ? 'dag' : 'dagar'} efter att det dragits.`),
    },
    'reward.confirmed': {
      title: () => `Cashback bekräftad`,
      text: (v) => `Din cashback på ${v.amount} hos ${v.merchant} är bekräftad och betalas ut med nästa utbetalning.`,
    },
    'reward.paid': {
      title: () => `Cashback utbetald`,
      text: (v) => `${v.amount} i cashback från ${v.merchant} har betalats ut till ditt konto.`,
    },
    'reward.reinstated': {
      title: (v) => `Cashback hos ${v.merchant} igen`,
      text: (v) => `Köpet hos ${v.merchant} har nu dragits från ditt konto, så du får din cashback på ${v.amount} ändå. Den betalas ut när köpet har bekräftats.`,
    },
    'reward.reversed': {
      title: (v) => (v.full ? `Cashback återtagen` : `Cashback minskad`),
      text: (v) =>
        (v.full
          ? `Din cashback på ${v.reversed} hos ${v.merchant} har dragits tillbaka eftersom ${v.reason}.`
          : `Din cashback hos ${v.merchant} har minskats med ${v.reversed} till ${v.remaining} eftersom ${v.reason}.`) +
        (v.afterPayout ? ` Beloppet dras av från din nästa utbetalning.` : ''),
    },
  },
  en: {
    'reward.earned': {
      title: (v) => `Cashback at ${v.merchant}`,
      text: (v) =>
        `You earned ${v.amount} cashback at ${v.merchant}. It will be paid once the purchase is confirmed` +
        (v.days === 0 ? '.' : `, ${v.days} ${v.days === 1 ? 'day' : 'days'} after it was charged.`),
    },
    'reward.confirmed': {
      title: () => `Cashback confirmed`,
      text: (v) => `Your ${v.amount} cashback at ${v.merchant} is confirmed and will be paid with the next payout.`,
    },
    'reward.paid': {
      title: () => `Cashback paid`,
      text: (v) => `${v.amount} cashback from ${v.merchant} has been paid to your account.`,
    },
    'reward.reinstated': {
      title: (v) => `Cashback at ${v.merchant} again`,
      text: (v) => `Your purchase at ${v.merchant} has now been charged, so you get your ${v.amount} cashback after all. It will be paid once the purchase is confirmed.`,
    },
    'reward.reversed': {
      title: (v) => (v.full ? `Cashback withdrawn` : `Cashback reduced`),
      text: (v) =>
        (v.full
          ? `Your ${v.reversed} cashback at ${v.merchant} was withdrawn because ${v.reason}.`
          : `Your cashback at ${v.merchant} was reduced by ${v.reversed} to ${v.remaining} because ${v.reason}.`) +
        (v.afterPayout ? ` The amount will be deducted from your next payout.` : ''),
    },
  },
};

const TEMPLATE_NAMES: Record<RewardMessageInput['type'] | BudgetMessageInput['type'], string> = {
  'reward.earned': 'reward-earned',
  'reward.confirmed': 'reward-confirmed',
  'reward.paid': 'reward-paid',
  'reward.reversed': 'reward-reversed',
  'reward.reinstated': 'reward-reinstated',
  'budget.threshold-reached': 'budget-threshold',
  'budget.exhausted': 'budget-exhausted',
};

export function renderRewardMessage(input: RewardMessageInput, locale: Locale, merchant: string): RenderedMessage {
  const fmt = (m: Money) => formatMoney(m, locale);
  const d = input.data;
  const vars: RewardVars = {
    merchant,
    amount: 'amount' in d ? fmt(d.amount) : '',
    days: input.type === 'reward.earned' ? input.data.holdPeriodDays : 0,
    reversed: input.type === 'reward.reversed' ? fmt(input.data.reversedAmount) : '',
    remaining: input.type === 'reward.reversed' ? fmt(input.data.remainingAmount) : '',
    reason: input.type === 'reward.reversed' ? REVERSAL_REASONS[locale][input.data.reasonCode] : '',
    afterPayout: input.type === 'reward.reversed' && input.data.afterPayout,
    full: input.type === 'reward.reversed' && input.data.remainingAmount.amountMinor === 0,
  };
  const t = REWARD_TEMPLATES[locale][input.type];
  return { template: `${TEMPLATE_NAMES[input.type]}.${locale}`, locale, title: t.title(vars), text: t.text(vars) };
}

interface BudgetVars {
  advertiser: string;
  campaign: string;
  campaignId: string;
  percent: number;
  spent: string;
  budget: string;
  scope: string;
}

type BudgetTemplate = { subject: (v: BudgetVars) => string; text: (v: BudgetVars) => string };

const SCOPE_WORDS: Record<Locale, (d: BudgetMessageInput['data']) => string> = {
  sv: (d) => (d.scope === 'daily' ? `dagsbudget för ${d.day ?? 'dagen'}` : 'totala budget'),
  en: (d) => (d.scope === 'daily' ? `daily budget for ${d.day ?? 'the day'}` : 'total budget'),
};

/** Advertiser e-mails (and webhook messages). One map per locale. */
export const BUDGET_TEMPLATES: Record<Locale, Record<BudgetMessageInput['type'], BudgetTemplate>> = {
  sv: {
    'budget.threshold-reached': {
      subject: (v) => `${v.campaign}: ${v.percent} % av budgeten förbrukad`,
      text: (v) =>
        `Hej ${v.advertiser},\n\nKampanjen ${v.campaign} (${v.campaignId}) har förbrukat ${v.percent} % av sin ${v.scope}: ${v.spent} av ${v.budget}.\n` +
        `Kampanjen fortsätter att löpa. Höj budgeten i Prestanda om den ska räcka längre.\n\nVänliga hälsningar,\nPrestanda`,
    },
    'budget.exhausted': {
      subject: (v) => `${v.campaign}: budgeten är slut`,
      text: (v) =>
        `Hej ${v.advertiser},\n\nKampanjen ${v.campaign} (${v.campaignId}) har förbrukat ${v.percent} % av sin ${v.scope}: ${v.spent} av ${v.budget}.\n` +
        `Kampanjen har pausats och ger ingen cashback förrän budgeten höjs.\n\nVänliga hälsningar,\nPrestanda`,
    },
  },
  en: {
    'budget.threshold-reached': {
      subject: (v) => `${v.campaign}: ${v.percent}% of the budget spent`,
      text: (v) =>
        `Hello ${v.advertiser},\n\nYour campaign ${v.campaign} (${v.campaignId}) has spent ${v.percent}% of its ${v.scope}: ${v.spent} of ${v.budget}.\n` +
        `The campaign keeps running. Raise the budget in Prestanda if it should last longer.\n\nKind regards,\nPrestanda`,
    },
    'budget.exhausted': {
      subject: (v) => `${v.campaign}: budget exhausted`,
      text: (v) =>
        `Hello ${v.advertiser},\n\nYour campaign ${v.campaign} (${v.campaignId}) has spent ${v.percent}% of its ${v.scope}: ${v.spent} of ${v.budget}.\n` +
        `The campaign is paused and earns no cashback until the budget is raised.\n\nKind regards,\nPrestanda`,
    },
  },
};

export interface RenderedEmail {
  template: string;
  locale: Locale;
  subject: string;
  text: string;
}

export function renderBudgetMessage(input: BudgetMessageInput, locale: Locale, names: { advertiser: string; campaign: string }): RenderedEmail {
  const d = input.data;
  const percent = input.type === 'budget.threshold-reached' ? input.data.thresholdPercent : d.percent;
  const vars: BudgetVars = {
    advertiser: names.advertiser,
    campaign: names.campaign,
    campaignId: d.campaignId,
    percent,
    spent: formatMoney(d.spent, locale),
    budget: formatMoney(d.budget, locale),
    scope: SCOPE_WORDS[locale](d),
  };
  const t = BUDGET_TEMPLATES[locale][input.type];
  return { template: `${TEMPLATE_NAMES[input.type]}.${locale}`, locale, subject: t.subject(vars), text: t.text(vars) };
}

const SIGN_OFF: Record<Locale, string> = { sv: '\n\nVänliga hälsningar,\nPrestanda', en: '\n\nKind regards,\nPrestanda' };

/** Why a budget has room again, completing "… because <reason>." / "… eftersom <reason>." */
export const REPLENISH_REASONS: Record<Locale, Record<BudgetReplenishedV1Data['reason'], string>> = {
  sv: {
    'budget-raised': 'budgeten har höjts',
    'daily-reset': 'en ny dag har börjat för dagsbudgeten',
    'reversal-credited': 'återtagna belöningar har krediterats budgeten',
  },
  en: {
    'budget-raised': 'the budget was raised',
    'daily-reset': 'a new day started for the daily budget',
    'reversal-credited': 'reversed rewards were credited back to the budget',
  },
};

/** budget.replenished → "campaign resumed" to the advertiser. */
export function renderBudgetReplenished(data: BudgetReplenishedV1Data, locale: Locale, names: { advertiser: string; campaign: string }): RenderedEmail {
  const spent = formatMoney(data.spent, locale);
  const budget = formatMoney(data.budget, locale);
  const scope = SCOPE_WORDS[locale](data);
  const reason = REPLENISH_REASONS[locale][data.reason];
  const [subject, text] =
    locale === 'sv'
      ? [
          `${names.campaign}: kampanjen är igång igen`,
          `Hej ${names.advertiser},\n\nKampanjen ${names.campaign} (${data.campaignId}) har utrymme i sin ${scope} igen eftersom ${reason}: ${spent} av ${budget} förbrukat (${data.percent} %).\n` +
            `Kampanjen ger cashback igen så länge dess schema tillåter.`,
        ]
      : [
          `${names.campaign}: campaign resumed`,
          `Hello ${names.advertiser},\n\nYour campaign ${names.campaign} (${data.campaignId}) has room in its ${scope} again because ${reason}: ${spent} of ${budget} spent (${data.percent}%).\n` +
            `The campaign earns cashback again as long as its schedule allows.`,
        ];
  return { template: `budget-replenished.${locale}`, locale, subject, text: text + SIGN_OFF[locale] };
}

/** A campaign.snapshot that moved a campaign to "ended" → "campaign ended" to the advertiser. */
export function renderCampaignEnded(c: Pick<CampaignSnapshotV1Data, 'campaignId' | 'name' | 'advertiserName'>, locale: Locale): RenderedEmail {
  const [subject, text] =
    locale === 'sv'
      ? [`${c.name}: kampanjen har avslutats`, `Hej ${c.advertiserName},\n\nKampanjen ${c.name} (${c.campaignId}) har avslutats och ger ingen ny cashback. Belöningar som redan tjänats in bekräftas och betalas ut som vanligt.`]
      : [`${c.name}: campaign ended`, `Hello ${c.advertiserName},\n\nYour campaign ${c.name} (${c.campaignId}) has ended and earns no new cashback. Rewards already earned are confirmed and paid as usual.`];
  return { template: `campaign-ended.${locale}`, locale, subject, text: text + SIGN_OFF[locale] };
}

/** The day a period covers, as YYYY-MM-DD; `exclusiveEnd` shows the last day of a period ending (exclusive) at that instant. */
function day(iso: string, exclusiveEnd = false): string {
  const t = Date.parse(iso) - (exclusiveEnd ? 1 : 0);
  return new Date(t).toISOString().slice(0, 10);
}

/** payout.batch-created to an affiliate: "your commission payout of X is on its way" (e-mail, and the webhook's message). */
export function renderAffiliatePayout(b: PayoutBatchCreatedV1Data, locale: Locale): RenderedEmail {
  const total = formatMoney(b.total, locale);
  const period = `${day(b.periodStart)} – ${day(b.periodEnd, true)}`;
  const [subject, text] =
    locale === 'sv'
      ? [
          `Din provisionsutbetalning på ${total} är på väg`,
          `Hej,\n\nDin provisionsutbetalning på ${total} för perioden ${period} är på väg (${b.lineCount} ${b.lineCount === 1 ? 'rad' : 'rader'}, referens ${b.batchId}).`,
        ]
      : [
          `Your commission payout of ${total} is on its way`,
          `Hello,\n\nYour commission payout of ${total} for the period ${period} is on its way (${b.lineCount} ${b.lineCount === 1 ? 'line' : 'lines'}, reference ${b.batchId}).`,
        ];
  return { template: `payout-affiliate.${locale}`, locale, subject, text: text + SIGN_OFF[locale] };
}

/** payout.batch-created to a bank: the summary message next to the structured batch in the webhook. */
export function renderBankPayout(b: PayoutBatchCreatedV1Data, locale: Locale): RenderedMessage {
  const total = formatMoney(b.total, locale);
  const period = `${day(b.periodStart)} – ${day(b.periodEnd, true)}`;
  const [title, text] =
    locale === 'sv'
      ? [`Cashbackutbetalning ${b.batchId}`, `${total} i cashback till ${b.lineCount} ${b.lineCount === 1 ? 'kund' : 'kunder'} för perioden ${period}. Kreditera varje rad och bekräfta batchen ${b.batchId}.`]
      : [`Cashback payout ${b.batchId}`, `${total} cashback for ${b.lineCount} ${b.lineCount === 1 ? 'customer' : 'customers'} for the period ${period}. Credit each line and acknowledge batch ${b.batchId}.`];
  return { template: `payout-bank.${locale}`, locale, title, text };
}

export type CommissionMessageInput =
  | { type: 'conversion.recorded'; data: ConversionRecordedV1Data }
  | { type: 'conversion.reversed'; data: ConversionReversedV1Data; remaining: Money | null }
  | { type: 'conversion.confirmed'; data: ConversionConfirmedV1Data };

/** Why an affiliate commission was reversed, completing "… because <reason>." / "… eftersom <reason>." */
export const COMMISSION_REVERSAL_REASONS: Record<Locale, Record<ConversionReversedV1Data['reason'], string>> = {
  sv: {
    'order-returned': 'ordern har returnerats helt eller delvis',
    'order-cancelled': 'butiken har makulerat ordern',
    fraud: 'ordern underkändes vid granskning',
  },
  en: {
    'order-returned': 'the order was returned in full or in part',
    'order-cancelled': 'the shop cancelled the order',
    fraud: 'the order was rejected on review',
  },
};

const COMMISSION_TEMPLATE_NAMES: Record<CommissionMessageInput['type'], string> = {
  'conversion.recorded': 'commission-pending',
  'conversion.reversed': 'commission-reversed',
  'conversion.confirmed': 'commission-confirmed',
};

/**
 * An affiliate's commission on one sale (e-mail, and the webhook's message): pending with the
 * amount, order and end of the return period; reversed with the amount taken back and what
 * remains (when the sale is known here); confirmed with the amount to be paid.
 */
export function renderCommissionMessage(input: CommissionMessageInput, locale: Locale, merchant: string): RenderedEmail {
  const fmt = (m: Money) => formatMoney(m, locale);
  const order = input.data.orderId ?? input.data.conversionId;
  const sv = locale === 'sv';
  let subject: string;
  let text: string;
  if (input.type === 'conversion.recorded') {
    const d = input.data;
    const amount = fmt(d.publisherCommission);
    const until = d.lockedUntil ? day(d.lockedUntil) : undefined;
    [subject, text] = sv
      ? [
          `Provision på ${amount} för order ${order}`,
          `Hej,\n\nDu har fått ${amount} i provision för order ${order} hos ${merchant}. Provisionen är preliminär ` +
            (until ? `till returperioden går ut ${until}` : 'tills returperioden har gått ut') +
            ` och betalas sedan ut med nästa utbetalning.`,
        ]
      : [
          `Commission of ${amount} on order ${order}`,
          `Hello,\n\nYou earned ${amount} commission on order ${order} at ${merchant}. The commission is pending ` +
            (until ? `until the return period ends on ${until}` : 'until the return period has passed') +
            ` and is then paid with the next payout.`,
        ];
  } else if (input.type === 'conversion.reversed') {
    const d = input.data;
    const reversed = fmt(d.publisherCommissionReversed);
    const reason = COMMISSION_REVERSAL_REASONS[locale][d.reason];
    const full = input.remaining?.amountMinor === 0;
    const left = input.remaining && !full ? fmt(input.remaining) : undefined;
    [subject, text] = sv
      ? [
          full ? `Provisionen för order ${order} är återtagen` : `Provisionen för order ${order} har minskats med ${reversed}`,
          `Hej,\n\n` +
            (full
              ? `Din provision för order ${order} hos ${merchant} har dragits tillbaka (${reversed}) eftersom ${reason}. Inget återstår att betala ut för ordern.`
              : `Din provision för order ${order} hos ${merchant} har minskats med ${reversed} eftersom ${reason}.` + (left ? ` Kvar: ${left}.` : '')),
        ]
      : [
          full ? `Commission on order ${order} withdrawn` : `Commission on order ${order} reduced by ${reversed}`,
          `Hello,\n\n` +
            (full
              ? `Your commission on order ${order} at ${merchant} was withdrawn (${reversed}) because ${reason}. Nothing remains to be paid for the order.`
              : `Your commission on order ${order} at ${merchant} was reduced by ${reversed} because ${reason}.` + (left ? ` Remaining: ${left}.` : '')),
        ];
  } else {
    const d = input.data;
    const amount = fmt(d.publisherCommission);
    const none = d.publisherCommission.amountMinor === 0;
    [subject, text] = sv
      ? [
          none ? `Ingen provision för order ${order}` : `Provision på ${amount} bekräftad för order ${order}`,
          none
            ? `Hej,\n\nReturperioden för order ${order} hos ${merchant} har gått ut. Efter returer återstår ingen provision att betala ut.`
            : `Hej,\n\nDin provision på ${amount} för order ${order} hos ${merchant} är bekräftad och betalas ut med nästa utbetalning.`,
        ]
      : [
          none ? `No commission on order ${order}` : `Commission of ${amount} confirmed on order ${order}`,
          none
            ? `Hello,\n\nThe return period of order ${order} at ${merchant} has passed. After returns, no commission remains to be paid.`
            : `Hello,\n\nYour commission of ${amount} on order ${order} at ${merchant} is confirmed and will be paid with the next payout.`,
        ];
  }
  return { template: `${COMMISSION_TEMPLATE_NAMES[input.type]}.${locale}`, locale, subject, text: text + SIGN_OFF[locale] };
}

export function isLocale(value: unknown): value is Locale {
  return value === 'sv' || value === 'en';
}
