import { describe, expect, it, jest } from '@jest/globals';
import type { CouponRules } from './marketing';

type Marketing = typeof import('./marketing');

/** The module as a device in `language` loads it (the shop's language is fixed when the app starts). */
function marketingOn(language: string): Marketing {
  const global = globalThis as { uni?: unknown };
  global.uni = { getSystemInfoSync: () => ({ language }) };
  try {
    let loaded: Marketing | undefined;
    jest.isolateModules(() => {
      loaded = jest.requireActual<Marketing>('./marketing');
    });
    return loaded!;
  } finally {
    delete global.uni;
  }
}

const rules = (over: Partial<CouponRules> = {}): CouponRules => ({
  kind: 'amount_off',
  thresholdFen: 10_000,
  amountOffFen: 1_000,
  discountPercent: null,
  maxOffFen: null,
  scope: 'shop',
  excludedProductIds: [],
  ...over,
});
const percent = rules({ kind: 'percent_off', amountOffFen: null, discountPercent: 15, maxOffFen: 5_000 });
const free = rules({ kind: 'no_threshold', thresholdFen: 0, amountOffFen: 500 });
const tier = (threshold: number, amountOffFen: number | null, discountPercent: number | null = null) => ({
  threshold,
  amountOffFen,
  discountPercent,
});

describe('coupons and promotions in the shopper’s words', () => {
  it('a Chinese device says the amount, the rule and the scope as Youzan does, a percent as what is paid (折)', () => {
    const m = marketingOn('zh_CN');
    expect([m.couponValueText(rules()), m.couponRuleText(rules())]).toEqual(['¥10.00', '满¥100.00可用']);
    expect([m.couponValueText(percent), m.couponRuleText(percent)]).toEqual(['8.5折', '满¥100.00可用，最多减¥50.00']);
    expect([m.couponValueText(free), m.couponRuleText(free)]).toEqual(['¥5.00', '无门槛']);
    expect(m.couponShortText(rules())).toBe('满¥100.00减¥10.00');
    expect(m.couponShortText(free)).toBe('无门槛减¥5.00');
    expect(m.couponShortText({ ...percent, thresholdFen: 0 })).toBe('8.5折');
    expect(m.couponScopeText(rules({ scope: 'products', excludedProductIds: [] }))).toBe('指定商品可用');
    expect(m.couponScopeText(rules({ excludedProductIds: [3] }))).toBe('全店通用（部分商品除外）');
    expect(m.templateValidityText({ validFrom: null, validTo: null, validDays: 7 })).toBe('领取后 7 天内有效');
    expect(m.cannotClaimText('CLAIM_LIMIT_REACHED')).toBe('已领取');
    expect(m.cannotClaimText('COUPON_SOLD_OUT')).toBe('已领完');
    expect(m.cannotClaimText('COUPON_NEW_SHOPPERS_ONLY')).toBe('仅限新客');
    expect(m.unusableText('COUPON_THRESHOLD_NOT_MET', { short: '12.00' })).toBe('未满足使用门槛，还差 ¥12.00');
  });

  it('says every tier of a 满减 in one line, by amount or by items, an amount or a percent off', () => {
    const m = marketingOn('zh_CN');
    expect(
      m.fullReductionText({
        id: 1,
        name: '满减',
        basis: 'amount',
        tiers: [tier(20_000, 2_000), tier(30_000, 4_000)],
      }),
    ).toBe('满¥200.00减¥20.00，满¥300.00减¥40.00');
    expect(m.fullReductionText({ id: 1, name: '满折', basis: 'quantity', tiers: [tier(2, null, 10)] })).toBe(
      '满2件打9折',
    );
    expect(m.timedTagText('')).toBe('限时折扣');
    expect(m.timedTagText('秒杀价')).toBe('秒杀价');
    expect(m.discountSourceText('full_reduction')).toBe('满减');
  });

  it('lists the discounts of a price one row each, with its kind, its name and what it took off', () => {
    const m = marketingOn('zh_CN');
    expect(
      m.discountRows([
        { source: 'full_reduction', sourceId: 3, name: '店铺满减', fen: 5_000 },
        { source: 'coupon', sourceId: 9, name: '满100减10', fen: 1_000 },
        { source: 'timed_discount', sourceId: 4, name: '马克杯八折', fen: 780 },
      ]),
    ).toEqual([
      { key: 'full_reduction:3', source: 'full_reduction', label: '满减', name: '店铺满减', amount: '-¥50.00' },
      { key: 'coupon:9', source: 'coupon', label: '优惠券', name: '满100减10', amount: '-¥10.00' },
      { key: 'timed_discount:4', source: 'timed_discount', label: '限时折扣', name: '马克杯八折', amount: '-¥7.80' },
    ]);
  });

  it('an English device says a percent as what is taken off', () => {
    const m = marketingOn('en-US');
    expect([m.couponValueText(percent), m.couponRuleText(percent)]).toEqual([
      '15% off',
      'On orders of ¥100.00 or more, up to ¥50.00 off',
    ]);
    expect(m.fullReductionText({ id: 1, name: 'x', basis: 'quantity', tiers: [tier(2, null, 10)] })).toBe(
      '10% off 2 items',
    );
    expect(m.cannotClaimText('CLAIM_LIMIT_REACHED')).toBe('Claimed');
  });
});
