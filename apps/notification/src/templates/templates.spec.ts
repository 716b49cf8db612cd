import {
  BudgetExhaustedV1,
  REWARD_REVERSAL_REASONS,
  BudgetReplenishedV1,
  BudgetThresholdReachedV1,
  CampaignSnapshotV1,
  ConversionConfirmedV1,
  ConversionRecordedV1,
  ConversionReversedV1,
  PayoutBatchCreatedV1,
  RewardConfirmedV1,
  RewardEarnedV1,
  RewardPaidV1,
  RewardReversedV1,
} from '@prestanda/contracts';
import { endsCampaign } from '../delivery/enqueue.service';
import {
  BUDGET_TEMPLATES,
  COMMISSION_REVERSAL_REASONS,
  LOCALES,
  renderAffiliatePayout,
  renderBankPayout,
  renderBudgetMessage,
  renderBudgetReplenished,
  renderCampaignEnded,
  renderCommissionMessage,
  renderRewardMessage,
  REPLENISH_REASONS,
  REVERSAL_REASONS,
  REWARD_TEMPLATES,
} from './templates';

describe('customer reward messages', () => {
  it('earned: Swedish money format and merchant', () => {
    const m = renderRewardMessage({ type: 'reward.earned', data: { ...RewardEarnedV1.example, amount: { amountMinor: 2550, currency: 'SEK' } } }, 'sv', 'ICA Nära');
    expect(m).toEqual({
      template: 'reward-earned.sv',
      locale: 'sv',
      title: 'Cashback hos ICA Nära',
      text: 'Du har fått 25,50 kr i cashback hos ICA Nära. Den betalas ut när köpet har bekräftats, 30 dagar efter att det dragits.',
    });
  });

  it('earned: English money format', () => {
    const m = renderRewardMessage({ type: 'reward.earned', data: { ...RewardEarnedV1.example, amount: { amountMinor: 2550, currency: 'SEK' }, holdPeriodDays: 14 } }, 'en', 'ICA');
    expect(m.template).toBe('reward-earned.en');
    expect(m.text).toBe('You earned SEK 25.50 cashback at ICA. It will be paid once the purchase is confirmed, 14 days after it was charged.');
  });

  it('earned with no hold or a one-day hold: no "0 days", and one day is singular', () => {
    const earned = (holdPeriodDays: number) => ({ type: 'reward.earned' as const, data: { ...RewardEarnedV1.example, amount: { amountMinor: 2550, currency: 'SEK' }, holdPeriodDays } });
    expect(renderRewardMessage(earned(0), 'sv', 'ICA').text).toBe('Du har fått 25,50 kr i cashback hos ICA. Den betalas ut när köpet har bekräftats.');
    expect(renderRewardMessage(earned(0), 'en', 'ICA').text).toBe('You earned SEK 25.50 cashback at ICA. It will be paid once the purchase is confirmed.');
    expect(renderRewardMessage(earned(1), 'sv', 'ICA').text).toContain('bekräftats, 1 dag efter att det dragits.');
    expect(renderRewardMessage(earned(1), 'en', 'ICA').text).toContain('confirmed, 1 day after it was charged.');
  });

  it('large amounts group thousands per locale', () => {
    const data = { ...RewardEarnedV1.example, amount: { amountMinor: 123_456_78, currency: 'SEK' } };
    expect(renderRewardMessage({ type: 'reward.earned', data }, 'sv', 'X').text).toContain('123 456,78 kr');
    expect(renderRewardMessage({ type: 'reward.earned', data }, 'en', 'X').text).toContain('SEK 123,456.78');
  });

  it('confirmed and paid', () => {
    expect(renderRewardMessage({ type: 'reward.confirmed', data: RewardConfirmedV1.example }, 'sv', 'ICA').text).toBe(
      'Din cashback på 42,95 kr hos ICA är bekräftad och betalas ut med nästa utbetalning.',
    );
    expect(renderRewardMessage({ type: 'reward.paid', data: RewardPaidV1.example }, 'en', 'ICA').text).toBe('SEK 42.95 cashback from ICA has been paid to your account.');
  });

  it('partial reversal: reduced by, remaining, and the reason in plain words', () => {
    const sv = renderRewardMessage({ type: 'reward.reversed', data: RewardReversedV1.example }, 'sv', 'ICA');
    expect(sv.title).toBe('Cashback minskad');
    expect(sv.text).toBe('Din cashback hos ICA har minskats med 10,00 kr till 32,95 kr eftersom köpet har återbetalats helt eller delvis.');
  });

  it('full reversal after payout says it nets against the next payout', () => {
    const data = {
      ...RewardReversedV1.example,
      status: 'reversed' as const,
      reasonCode: 'authorization-reversed' as const,
      reversedAmount: { amountMinor: 4295, currency: 'SEK' },
      remainingAmount: { amountMinor: 0, currency: 'SEK' },
      afterPayout: true,
    };
    const en = renderRewardMessage({ type: 'reward.reversed', data }, 'en', 'ICA');
    expect(en.title).toBe('Cashback withdrawn');
    expect(en.text).toBe('Your SEK 42.95 cashback at ICA was withdrawn because the purchase was cancelled and never charged. The amount will be deducted from your next payout.');
  });

  it('every template and reason exists in every locale, with the same keys', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(REWARD_TEMPLATES[locale]).sort()).toEqual(Object.keys(REWARD_TEMPLATES.sv).sort());
      expect(Object.keys(BUDGET_TEMPLATES[locale]).sort()).toEqual(Object.keys(BUDGET_TEMPLATES.sv).sort());
      expect(Object.keys(REVERSAL_REASONS[locale]).sort()).toEqual([...REWARD_REVERSAL_REASONS].sort());
    }
  });

  it('template names match the notification contract pattern', () => {
    for (const locale of LOCALES) {
      const m = renderRewardMessage({ type: 'reward.paid', data: RewardPaidV1.example }, locale, 'ICA');
      expect(m.template).toMatch(/^[a-z0-9-]+\.(sv|en)$/);
    }
  });
});

describe('advertiser budget e-mails', () => {
  const names = { advertiser: 'ICA Gruppen', campaign: 'Spring Sale' };

  it('threshold, English', () => {
    const m = renderBudgetMessage({ type: 'budget.threshold-reached', data: BudgetThresholdReachedV1.example }, 'en', names);
    expect(m.template).toBe('budget-threshold.en');
    expect(m.subject).toBe('Spring Sale: 80% of the budget spent');
    expect(m.text).toContain('Hello ICA Gruppen,');
    expect(m.text).toContain('Your campaign Spring Sale (cmp-01HQ4Z8K2M) has spent 80% of its total budget: SEK 40,001.50 of SEK 50,000.00.');
    expect(m.text).toContain('keeps running');
  });

  it('exhausted daily budget, Swedish', () => {
    const data = { ...BudgetExhaustedV1.example, scope: 'daily' as const, day: '2025-03-14' };
    const m = renderBudgetMessage({ type: 'budget.exhausted', data }, 'sv', names);
    expect(m.subject).toBe('Spring Sale: budgeten är slut');
    expect(m.text).toContain('har förbrukat 100 % av sin dagsbudget för 2025-03-14: 50 031,20 kr av 50 000,00 kr.');
    expect(m.text).toContain('pausats');
  });
});

describe('advertiser campaign e-mails', () => {
  const names = { advertiser: 'ICA Gruppen', campaign: 'Spring Sale' };

  it('replenished: campaign resumed, with the reason, both locales', () => {
    const en = renderBudgetReplenished(BudgetReplenishedV1.example, 'en', names);
    expect(en.template).toBe('budget-replenished.en');
    expect(en.subject).toBe('Spring Sale: campaign resumed');
    expect(en.text).toContain('Your campaign Spring Sale (cmp-01HQ4Z8K2M) has room in its total budget again because the budget was raised: SEK 50,031.20 of SEK 80,000.00 spent (62%).');
    const sv = renderBudgetReplenished({ ...BudgetReplenishedV1.example, scope: 'daily', day: '2025-03-15', reason: 'daily-reset' }, 'sv', names);
    expect(sv.template).toBe('budget-replenished.sv');
    expect(sv.subject).toBe('Spring Sale: kampanjen är igång igen');
    expect(sv.text).toContain('har utrymme i sin dagsbudget för 2025-03-15 igen eftersom en ny dag har börjat för dagsbudgeten: 50 031,20 kr av 80 000,00 kr förbrukat (62 %).');
    for (const locale of LOCALES) expect(Object.keys(REPLENISH_REASONS[locale]).sort()).toEqual(['budget-raised', 'daily-reset', 'reversal-credited']);
  });

  it('campaign ended', () => {
    const c = { ...CampaignSnapshotV1.example, name: 'Spring Sale', advertiserName: 'ICA Gruppen', campaignId: 'cmp-1' };
    expect(renderCampaignEnded(c, 'sv')).toMatchObject({ template: 'campaign-ended.sv', subject: 'Spring Sale: kampanjen har avslutats' });
    const en = renderCampaignEnded(c, 'en');
    expect(en.subject).toBe('Spring Sale: campaign ended');
    expect(en.text).toContain('Hello ICA Gruppen,\n\nYour campaign Spring Sale (cmp-1) has ended and earns no new cashback.');
  });

  it('"ended" is told once: only on a newer snapshot moving a held, not-ended campaign to ended', () => {
    expect(endsCampaign({ version: 1, status: 'active' }, { version: 2, status: 'ended' })).toBe(true);
    expect(endsCampaign({ version: 1, status: null }, { version: 2, status: 'ended' })).toBe(true);
    expect(endsCampaign({ version: 1, status: 'exhausted' }, { version: 3, status: 'ended' })).toBe(true);
    expect(endsCampaign({ version: 2, status: 'ended' }, { version: 3, status: 'ended' })).toBe(false);
    expect(endsCampaign({ version: 2, status: 'active' }, { version: 2, status: 'ended' })).toBe(false);
    expect(endsCampaign({ version: 3, status: 'active' }, { version: 2, status: 'ended' })).toBe(false);
    expect(endsCampaign({ version: 1, status: 'active' }, { version: 2, status: 'paused' })).toBe(false);
    expect(endsCampaign(undefined, { version: 1, status: 'ended' })).toBe(false);
  });
});

describe('payout messages', () => {
  const affiliate = { ...PayoutBatchCreatedV1.example, payeeKind: 'affiliate' as const, payeeId: 'aff-1', batchId: 'pob-aff-1', total: { amountMinor: 1_234_550, currency: 'SEK' }, lineCount: 3 };

  it('affiliate: commission payout on its way, amount per locale, period with an exclusive end', () => {
    const en = renderAffiliatePayout(affiliate, 'en');
    expect(en.template).toBe('payout-affiliate.en');
    expect(en.subject).toBe('Your commission payout of SEK 12,345.50 is on its way');
    expect(en.text).toContain('for the period 2025-04-01 – 2025-04-30 is on its way (3 lines, reference pob-aff-1).');
    const sv = renderAffiliatePayout({ ...affiliate, lineCount: 1 }, 'sv');
    expect(sv.subject).toBe('Din provisionsutbetalning på 12 345,50 kr är på väg');
    expect(sv.text).toContain('(1 rad, referens pob-aff-1)');
  });

  it('bank: batch summary', () => {
    const sv = renderBankPayout(PayoutBatchCreatedV1.example, 'sv');
    expect(sv).toEqual({
      template: 'payout-bank.sv',
      locale: 'sv',
      title: 'Cashbackutbetalning pob-2025-04-bank-demo-se-001',
      text: '75,90 kr i cashback till 2 kunder för perioden 2025-04-01 – 2025-04-30. Kreditera varje rad och bekräfta batchen pob-2025-04-bank-demo-se-001.',
    });
    expect(renderBankPayout(PayoutBatchCreatedV1.example, 'en').text).toBe(
      'SEK 75.90 cashback for 2 customers for the period 2025-04-01 – 2025-04-30. Credit each line and acknowledge batch pob-2025-04-bank-demo-se-001.',
    );
  });
});

describe('affiliate commission messages', () => {
  const sek = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });
  const sale = {
    ...ConversionRecordedV1.example,
    rewardId: undefined,
    rewardAmount: undefined,
    publisherId: 'aff-1',
    publisherCommission: sek(10_000),
    platformFee: sek(2_000),
    advertiserCharge: sek(12_000),
    orderId: 'ORD-100234',
    orderAmount: sek(125_000),
    lockedUntil: '2025-04-13T15:09:26.000Z',
  };

  it('pending: amount, order, merchant and when the return period ends, both locales', () => {
    const sv = renderCommissionMessage({ type: 'conversion.recorded', data: sale }, 'sv', 'Sportkedjan');
    expect(sv.template).toBe('commission-pending.sv');
    expect(sv.subject).toBe('Provision på 100,00 kr för order ORD-100234');
    expect(sv.text).toBe(
      'Hej,\n\nDu har fått 100,00 kr i provision för order ORD-100234 hos Sportkedjan. Provisionen är preliminär till returperioden går ut 2025-04-13 och betalas sedan ut med nästa utbetalning.\n\nVänliga hälsningar,\nPrestanda',
    );
    const en = renderCommissionMessage({ type: 'conversion.recorded', data: { ...sale, lockedUntil: undefined, orderId: undefined } }, 'en', 'Sportkedjan');
    expect(en.template).toBe('commission-pending.en');
    expect(en.subject).toBe(`Commission of SEK 100.00 on order ${sale.conversionId}`);
    expect(en.text).toContain('The commission is pending until the return period has passed and is then paid with the next payout.');
  });

  it('reversed: the amount taken back, the reason, and what remains', () => {
    const data = { ...ConversionReversedV1.example, publisherCommissionReversed: sek(2_000), platformFeeReversed: sek(400), advertiserCredit: sek(2_400) };
    const sv = renderCommissionMessage({ type: 'conversion.reversed', data, remaining: sek(8_000) }, 'sv', 'Sportkedjan');
    expect(sv.template).toBe('commission-reversed.sv');
    expect(sv.subject).toBe('Provisionen för order ORD-100234 har minskats med 20,00 kr');
    expect(sv.text).toContain('Din provision för order ORD-100234 hos Sportkedjan har minskats med 20,00 kr eftersom ordern har returnerats helt eller delvis. Kvar: 80,00 kr.');
    const en = renderCommissionMessage({ type: 'conversion.reversed', data: { ...data, reason: 'order-cancelled' }, remaining: sek(8_000) }, 'en', 'Sportkedjan');
    expect(en.text).toContain('Your commission on order ORD-100234 at Sportkedjan was reduced by SEK 20.00 because the shop cancelled the order. Remaining: SEK 80.00.');
    // the sale was never seen here: no "remaining"
    expect(renderCommissionMessage({ type: 'conversion.reversed', data, remaining: null }, 'en', 'X').text).not.toContain('Remaining');
  });

  it('reversed in full: withdrawn, nothing remains', () => {
    const data = { ...ConversionReversedV1.example, reason: 'fraud' as const, publisherCommissionReversed: sek(10_000) };
    const en = renderCommissionMessage({ type: 'conversion.reversed', data, remaining: sek(0) }, 'en', 'Sportkedjan');
    expect(en.subject).toBe('Commission on order ORD-100234 withdrawn');
    expect(en.text).toContain('was withdrawn (SEK 100.00) because the order was rejected on review. Nothing remains to be paid for the order.');
    expect(renderCommissionMessage({ type: 'conversion.reversed', data, remaining: sek(0) }, 'sv', 'S').subject).toBe('Provisionen för order ORD-100234 är återtagen');
  });

  it('confirmed: the amount paid with the next payout; nothing left after returns says so', () => {
    const data = { ...ConversionConfirmedV1.example, publisherCommission: sek(8_000) };
    const sv = renderCommissionMessage({ type: 'conversion.confirmed', data }, 'sv', 'Sportkedjan');
    expect(sv.template).toBe('commission-confirmed.sv');
    expect(sv.subject).toBe('Provision på 80,00 kr bekräftad för order ORD-100234');
    expect(sv.text).toContain('Din provision på 80,00 kr för order ORD-100234 hos Sportkedjan är bekräftad och betalas ut med nästa utbetalning.');
    const en = renderCommissionMessage({ type: 'conversion.confirmed', data: { ...data, publisherCommission: sek(0) } }, 'en', 'Sportkedjan');
    expect(en.subject).toBe('No commission on order ORD-100234');
    expect(en.text).toContain('After returns, no commission remains to be paid.');
  });

  it('every reason exists in every locale; template names match the contract pattern', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(COMMISSION_REVERSAL_REASONS[locale]).sort()).toEqual(['fraud', 'order-cancelled', 'order-returned']);
      expect(renderCommissionMessage({ type: 'conversion.confirmed', data: ConversionConfirmedV1.example }, locale, 'X').template).toMatch(/^[a-z0-9-]+\.(sv|en)$/);
    }
  });
});
