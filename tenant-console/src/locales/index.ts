import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN, { type MessageSchema } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: AppLocale = 'zh-CN';
const STORAGE_KEY = 'shopfleet.console.locale';

function isAppLocale(value: unknown): value is AppLocale {
  return LOCALES.some((locale) => locale === value);
}

/** The language chosen last time on this browser, else zh-CN. */
export function storedLocale(): AppLocale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return isAppLocale(saved) ? saved : DEFAULT_LOCALE;
}

export function persistLocale(locale: AppLocale): void {
  localStorage.setItem(STORAGE_KEY, locale);
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
});

/** Translate outside components (the request client, route titles). */
export function translate(key: string, named?: Record<string, unknown>): string {
  return named ? i18n.global.t(key, named) : i18n.global.t(key);
}

/** The console's translator for code outside components (the request client's error texts). */
export const translator = {
  t: (key: string, named?: Record<string, unknown>) => translate(key, named),
  te: (key: string) => i18n.global.te(key),
  get locale(): string {
    return i18n.global.locale.value;
  },
};
