import { I18n } from '@dcloudio/uni-i18n';
import { en } from './en';
import { zhCN, type ShopMessages } from './zh-CN';

export type ShopLocale = 'zh-CN' | 'en';
export type ShopMessageKey = keyof ShopMessages;

/** Chinese unless the device (or, on h5, the browser) speaks English. */
export function deviceLocale(): ShopLocale {
  let language = '';
  try {
    language = uni.getSystemInfoSync().language ?? '';
  } catch {
    language = '';
  }
  return language.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

// uni-i18n (DCloud's own, the one uni-app's components use) runs alike on mp-weixin and h5: no eval,
// flat keys, `{name}` params. It names Simplified Chinese `zh-Hans`.
const i18n = new I18n({
  locale: deviceLocale() === 'en' ? 'en' : 'zh-Hans',
  fallbackLocale: 'zh-Hans',
  messages: { 'zh-Hans': zhCN, en },
});

/** Whether the shop has a text for this key. */
export function hasText(key: string): key is ShopMessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

/** The text of a key in the device's language, its `{name}` params filled in. */
export function t(key: ShopMessageKey, params?: Record<string, unknown>): string {
  return i18n.t(key, params);
}

/** The shop's language, for what is formatted outside the texts. */
export function currentLocale(): ShopLocale {
  return i18n.getLocale() === 'en' ? 'en' : 'zh-CN';
}
