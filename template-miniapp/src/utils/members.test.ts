import { describe, expect, it } from '@jest/globals';
import { discountRows } from './marketing';
import { levelProgress, memberPriceText, pointsChange, pointsKindText, streakStrip } from './members';

const REWARDS = [5, 5, 10, 10, 15, 15, 20];
const strip = (signedToday: boolean, streak: number, rewards = REWARDS) =>
  streakStrip({ signedToday, streak, rewards }).map((d) => `${d.day}:${d.reward}:${d.state[0]}`);

describe('the sign-in strip', () => {
  it('a shopper with no streak: today is day 1, the week to come with each day’s reward', () => {
    expect(strip(false, 0)).toEqual(['1:5:t', '2:5:c', '3:10:c', '4:10:c', '5:15:c', '6:15:c', '7:20:c']);
  });

  it('signed yesterday and the day before, not yet today: two days signed, today is day 3', () => {
    expect(strip(false, 2)).toEqual(['1:5:s', '2:5:s', '3:10:t', '4:10:c', '5:15:c', '6:15:c', '7:20:c']);
  });

  it('signed today on day 3: today counts as signed', () => {
    expect(strip(true, 3)).toEqual(['1:5:s', '2:5:s', '3:10:s', '4:10:c', '5:15:c', '6:15:c', '7:20:c']);
  });

  it('a long streak slides the window so the next day is still shown; past the last reward it repeats', () => {
    expect(strip(true, 9)).toEqual(['4:10:s', '5:15:s', '6:15:s', '7:20:s', '8:20:s', '9:20:s', '10:20:c']);
    expect(strip(false, 9)).toEqual(['5:15:s', '6:15:s', '7:20:s', '8:20:s', '9:20:s', '10:20:t', '11:20:c']);
  });

  it('a shop with fewer reward days repeats the last one', () => {
    expect(strip(false, 0, [1, 2])).toEqual(['1:1:t', '2:2:c', '3:2:c', '4:2:c', '5:2:c', '6:2:c', '7:2:c']);
  });

  it('day 6 signed today: still the first week (the next day is the window’s last)', () => {
    expect(strip(true, 6)).toEqual(['1:5:s', '2:5:s', '3:10:s', '4:10:s', '5:15:s', '6:15:s', '7:20:c']);
    expect(strip(true, 7)).toEqual(['2:5:s', '3:10:s', '4:10:s', '5:15:s', '6:15:s', '7:20:s', '8:20:c']);
  });
});

describe('growth toward the next level', () => {
  it('the share reached from the current level’s threshold and what is missing', () => {
    expect(
      levelProgress({ growth: 300, level: null, nextLevel: { name: '黄金会员', growthThreshold: 1000 } }, 0),
    ).toEqual({ share: 0.3, missing: 700, next: '黄金会员' });
    expect(
      levelProgress({ growth: 1500, level: null, nextLevel: { name: '钻石会员', growthThreshold: 2000 } }, 1000),
    ).toEqual({ share: 0.5, missing: 500, next: '钻石会员' });
  });

  it('none at the top level', () => {
    expect(levelProgress({ growth: 5000, level: null, nextLevel: null })).toBeNull();
  });
});

describe('points and member prices in the shopper’s words (a device in Chinese)', () => {
  it('a ledger row says the available change, else the pending one, else the debt', () => {
    expect(pointsChange({ available: 5, frozen: 0, debt: 0 })).toEqual({ text: '+5', sign: 'plus' });
    expect(pointsChange({ available: -100, frozen: 0, debt: 0 })).toEqual({ text: '-100', sign: 'minus' });
    expect(pointsChange({ available: 0, frozen: 188, debt: 0 })).toEqual({ text: '待发放 +188', sign: 'plus' });
    expect(pointsChange({ available: 0, frozen: 0, debt: 20 })).toEqual({ text: '欠分 +20', sign: 'minus' });
    expect(pointsKindText('order_earned')).toBe('下单获得（冻结）');
  });

  it('a member price in tenths (9.5折), none at 100', () => {
    expect(memberPriceText(95)).toBe('9.5折');
    expect(memberPriceText(100)).toBe('原价');
  });

  it('the discount rows name a member price by its level and points by the points used', () => {
    expect(
      discountRows([
        { source: 'member_price', sourceId: 3, name: '金卡', fen: 995 },
        { source: 'points', sourceId: 0, name: '1005', fen: 1_005 },
      ]).map((r) => [r.label, r.name, r.amount]),
    ).toEqual([
      ['会员价', '金卡', '-¥9.95'],
      ['积分抵扣', '使用 1005 积分', '-¥10.05'],
    ]);
  });
});
