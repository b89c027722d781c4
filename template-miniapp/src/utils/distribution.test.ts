import { describe, expect, it } from '@jest/globals';
import { checkWithdrawAmount, fenAsYuanInput } from './distribution';

describe('the withdrawal form’s amount', () => {
  const limits = { minFen: 100, availableFen: 2000 };

  it('takes yuan with up to two decimals as fen, between the minimum and what is available', () => {
    expect(checkWithdrawAmount('12.34', limits)).toEqual({ fen: 1234 });
    expect(checkWithdrawAmount('1', limits)).toEqual({ fen: 100 });
    expect(checkWithdrawAmount('20', limits)).toEqual({ fen: 2000 });
  });

  it('says why an amount cannot be withdrawn', () => {
    expect(checkWithdrawAmount('', limits)).toEqual({ problem: 'invalid' });
    expect(checkWithdrawAmount('abc', limits)).toEqual({ problem: 'invalid' });
    expect(checkWithdrawAmount('1.234', limits)).toEqual({ problem: 'invalid' });
    expect(checkWithdrawAmount('0', limits)).toEqual({ problem: 'invalid' });
    expect(checkWithdrawAmount('0.99', limits)).toEqual({ problem: 'belowMin' });
    expect(checkWithdrawAmount('20.01', limits)).toEqual({ problem: 'tooMuch' });
  });

  it('fills in the whole balance', () => {
    expect(fenAsYuanInput(1234)).toBe('12.34');
    expect(fenAsYuanInput(5)).toBe('0.05');
  });
});
