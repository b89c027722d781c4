import { creditAgainstDebt, refundedShare, takeBackSplit } from './balance-math';

describe('balance arithmetic', () => {
  it('credit settles the debt first', () => {
    expect(creditAgainstDebt(0, 50)).toEqual({ settle: 0, rest: 50 });
    expect(creditAgainstDebt(30, 50)).toEqual({ settle: 30, rest: 20 });
    expect(creditAgainstDebt(80, 50)).toEqual({ settle: 50, rest: 0 });
  });

  it('a refund’s share rounds down until the whole is refunded', () => {
    expect(refundedShare(100, 0, 300)).toBe(0);
    expect(refundedShare(100, 100, 300)).toBe(33);
    expect(refundedShare(100, 299, 300)).toBe(99);
    expect(refundedShare(100, 300, 300)).toBe(100);
    expect(refundedShare(100, 400, 300)).toBe(100);
    expect(refundedShare(7, 0, 0)).toBe(7);
  });

  it('shares never decrease as refunds add up, and end at the whole', () => {
    for (let whole = 0; whole < 60; whole += 7)
      for (let paid = 1; paid < 200; paid += 13) {
        let last = 0;
        for (let refunded = 0; refunded <= paid; refunded++) {
          const share = refundedShare(whole, refunded, paid);
          expect(share).toBeGreaterThanOrEqual(last);
          expect(share).toBeLessThanOrEqual(whole);
          last = share;
        }
        expect(last).toBe(whole);
      }
  });

  it('takes back from frozen, then available, then as a debt', () => {
    expect(takeBackSplit(50, 80, 0)).toEqual({ frozen: 50, available: 0, debt: 0 });
    expect(takeBackSplit(50, 20, 10)).toEqual({ frozen: 20, available: 10, debt: 20 });
    expect(takeBackSplit(50, 0, 100)).toEqual({ frozen: 0, available: 50, debt: 0 });
  });
});
