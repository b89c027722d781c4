import type { ApiErrorCode } from '../request/api-error';

/** The shop API's answers for a shop a shopper cannot use at all; each has a page of its own. */
export const SHOP_CLOSED_CODES = ['SHOP_NOT_FOUND', 'SHOP_NOT_OPEN', 'SHOP_SUSPENDED'] as const;
export type ShopClosedCode = (typeof SHOP_CLOSED_CODES)[number];

export function isShopClosedCode(code: ApiErrorCode): code is ShopClosedCode {
  return (SHOP_CLOSED_CODES as readonly string[]).includes(code);
}

type Locale = 'zh-CN' | 'en';

// The texts of these pages, in every language the shop speaks; to move into the shop's locale files with them.
const TEXTS: Record<Locale, Record<ShopClosedCode, { title: string; text: string }>> = {
  'zh-CN': {
    SHOP_NOT_FOUND: { title: '店铺不存在', text: '没有找到这家店铺，请检查链接是否正确。' },
    SHOP_NOT_OPEN: { title: '店铺尚未开业', text: '店铺正在等待平台审核，审核通过后即可访问。' },
    SHOP_SUSPENDED: { title: '店铺暂停营业', text: '该店铺已暂停营业，暂时无法浏览和购买商品。' },
  },
  en: {
    SHOP_NOT_FOUND: { title: 'Shop not found', text: 'There is no shop at this address. Please check the link.' },
    SHOP_NOT_OPEN: { title: 'Not open yet', text: 'This shop is waiting for the platform’s review and opens once it is approved.' },
    SHOP_SUSPENDED: { title: 'Shop suspended', text: 'This shop is closed for now: its products cannot be browsed or bought.' },
  },
};

/** Chinese unless the device speaks English. */
function locale(): Locale {
  let language = '';
  try {
    language = uni.getSystemInfoSync().language ?? '';
  } catch {
    language = '';
  }
  return language.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** The title and text of a closed shop's page, in the device's language. */
export function shopClosedText(code: ShopClosedCode): { title: string; text: string } {
  return TEXTS[locale()][code];
}
