import { describe, expect, it } from '@jest/globals';
import { memberPriceValue, movedParts, resizeRewards, signed } from './member-parts';

describe('the member pages’ parts', () => {
  it('sign-in rewards grow by repeating the last day and shrink from the end, within 1 to 7 days', () => {
    expect(resizeRewards([5, 10], 3)).toEqual([5, 10, 10]);
    expect(resizeRewards([5, 10, 15], 2)).toEqual([5, 10]);
    expect(resizeRewards([5], 0)).toEqual([5]);
    expect(resizeRewards([1, 2, 3, 4, 5, 6, 7], 8)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a ledger row says the parts that moved, signed', () => {
    expect(movedParts({ available: 0, frozen: 120, debt: 0 })).toEqual([{ part: 'frozen', delta: 120 }]);
    expect(movedParts({ available: -30, frozen: -50, debt: 20 }).map((m) => `${m.part} ${signed(m.delta)}`)).toEqual([
      'available -30',
      'frozen -50',
      'debt +20',
    ]);
  });

  it('a member price in tenths for Chinese, in percent for English, none at 100', () => {
    expect(memberPriceValue(95, 'zh-CN')).toBe('9.5');
    expect(memberPriceValue(90, 'zh-CN')).toBe('9');
    expect(memberPriceValue(88, 'en')).toBe('88');
    expect(memberPriceValue(100, 'zh-CN')).toBeNull();
  });
});
