import { capReversal, commissionToConfirm, reversalProblem } from './affiliate';

describe('affiliate sale reversals', () => {
  const req = (commission: number, fee: number) => ({ publisherCommissionReversed: commission, platformFeeReversed: fee, advertiserCredit: commission + fee });

  it('takes back what is asked while the sale has that much left, from the pending commission', () => {
    expect(capReversal(req(2_000, 400), { pendingMinor: 10_000, payableMinor: 0, feeMinor: 2_000 })).toEqual({ fromPendingMinor: 2_000, fromPayableMinor: 0, feeMinor: 400, creditMinor: 2_400 });
  });

  it('never reverses more than remains: commission and fee capped separately, credit = what was taken', () => {
    expect(capReversal(req(9_000, 1_900), { pendingMinor: 8_000, payableMinor: 0, feeMinor: 1_600 })).toEqual({ fromPendingMinor: 8_000, fromPayableMinor: 0, feeMinor: 1_600, creditMinor: 9_600 });
    expect(capReversal(req(500, 100), { pendingMinor: 0, payableMinor: 0, feeMinor: 0 })).toEqual({ fromPendingMinor: 0, fromPayableMinor: 0, feeMinor: 0, creditMinor: 0 });
  });

  it('takes from payable once the commission is confirmed (pending first, the rest from payable)', () => {
    expect(capReversal(req(3_000, 600), { pendingMinor: 0, payableMinor: 8_000, feeMinor: 1_600 })).toEqual({ fromPendingMinor: 0, fromPayableMinor: 3_000, feeMinor: 600, creditMinor: 3_600 });
    expect(capReversal(req(3_000, 0), { pendingMinor: 1_000, payableMinor: 8_000, feeMinor: 0 })).toEqual({ fromPendingMinor: 1_000, fromPayableMinor: 2_000, feeMinor: 0, creditMinor: 3_000 });
  });

  it('treats a negative remainder as nothing left', () => {
    expect(capReversal(req(100, 10), { pendingMinor: -50, payableMinor: -1, feeMinor: -5 }).creditMinor).toBe(0);
  });

  it('refuses a credit that is not commission + fee', () => {
    expect(reversalProblem(req(2_000, 400))).toBeUndefined();
    expect(reversalProblem({ publisherCommissionReversed: 2_000, platformFeeReversed: 400, advertiserCredit: 2_500 })).toMatchObject({ field: 'data.advertiserCredit' });
  });
});

describe('affiliate sale confirmations', () => {
  it("moves the ledger's pending commission, and says whether the event agrees", () => {
    expect(commissionToConfirm(8_000, 8_000)).toEqual({ amountMinor: 8_000, agrees: true });
    expect(commissionToConfirm(8_000, 10_000)).toEqual({ amountMinor: 8_000, agrees: false });
    expect(commissionToConfirm(0, 0)).toEqual({ amountMinor: 0, agrees: true });
    expect(commissionToConfirm(-3, 0)).toEqual({ amountMinor: 0, agrees: true });
  });
});
