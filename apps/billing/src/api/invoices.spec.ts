import { invoiceCsv } from './invoices';

describe('invoice CSV', () => {
  it('writes one row per line with a header, quoting where needed', () => {
    const csv = invoiceCsv([
      {
        advertiserId: 'adv-1',
        month: '2025-03',
        currency: 'SEK',
        totalMinor: 5_154,
        lines: [{ campaignId: 'cmp,1', pricingModel: 'CPA', currency: 'SEK', units: 2, costMinor: 5_295, feesMinor: 1_059, creditsMinor: 1_200, totalMinor: 5_154 }],
      },
    ]);
    expect(csv).toBe('advertiserId,month,currency,campaignId,pricingModel,units,costMinor,feesMinor,creditsMinor,totalMinor\nadv-1,2025-03,SEK,"cmp,1",CPA,2,5295,1059,1200,5154\n');
  });
});
