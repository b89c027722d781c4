import { describe, expect, it, jest } from '@jest/globals';
import { defaultAppearance, type Appearance } from '@shopfleet/contracts';

const appearance = (labels: Partial<Appearance['tabBar']['labels']> = {}): Appearance => {
  const body = defaultAppearance({ name: '青禾食品旗舰店', themeColor: '#1677ff' });
  return {
    ...body,
    logoUrl: null,
    share: { ...body.share, imageUrl: null },
    tabBar: { ...body.tabBar, labels: { ...body.tabBar.labels, ...labels } },
  };
};

const TABS = ['home', 'category', 'cart', 'user'] as const;

/** The module as a device in `language` loads it (the shop's language is fixed when the app starts). */
function tabLabelOn(language: string): typeof import('./appearance').tabLabel {
  const global = globalThis as { uni?: unknown };
  global.uni = { getSystemInfoSync: () => ({ language }) };
  try {
    let loaded: typeof import('./appearance') | undefined;
    jest.isolateModules(() => {
      loaded = jest.requireActual<typeof import('./appearance')>('./appearance');
    });
    return loaded!.tabLabel;
  } finally {
    delete global.uni;
  }
}

describe('tab labels: the merchant’s own, else the template’s in the shopper’s language', () => {
  it('a Chinese device shows the default labels as they are, and the merchant’s own', () => {
    const tabLabel = tabLabelOn('zh_CN');
    expect(TABS.map((page) => tabLabel(appearance(), page))).toEqual(['首页', '分类', '购物车', '我的']);
    expect(tabLabel(appearance({ cart: '购物袋' }), 'cart')).toBe('购物袋');
  });

  it('an English device shows the labels a merchant left as the default in English, and the merchant’s own as they are', () => {
    const tabLabel = tabLabelOn('en-US');
    expect(TABS.map((page) => tabLabel(appearance(), page))).toEqual(['Home', 'Category', 'Cart', 'Me']);
    expect(tabLabel(appearance({ cart: '购物袋' }), 'cart')).toBe('购物袋');
    expect(tabLabel(appearance({ home: ' 首页 ' }), 'home')).toBe('Home');
  });
});
