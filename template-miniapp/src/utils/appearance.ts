import type { Appearance, HOME_SECTIONS, TAB_PAGES as CONTRACT_TAB_PAGES } from '@shopfleet/contracts';
import { t } from '../locales';
import { zhCN } from '../locales/zh-CN';

export type HomeSectionType = (typeof HOME_SECTIONS)[number];
export type TabPage = (typeof CONTRACT_TAB_PAGES)[number];

/** Every home section, in the order a shop without an appearance shows them. */
export const HOME_SECTION_TYPES: typeof HOME_SECTIONS = ['banner', 'notice', 'categories', 'hot', 'new'];
/** The tab pages in pages.json order: the index of each is its uni.setTabBarItem index. */
export const TAB_PAGES: typeof CONTRACT_TAB_PAGES = ['home', 'category', 'cart', 'user'];

/**
 * The label of a tab page in the tab bar: the merchant's own; a label the merchant left as the default
 * (a new shop's appearance has the zh-CN texts) is the template's, in the shopper's language.
 */
export function tabLabel(appearance: Appearance, page: TabPage): string {
  const label = appearance.tabBar.labels[page].trim();
  const key = `tabBar.${page}` as const;
  return label && label !== zhCN[key] ? label : t(key);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isSectionType = (value: unknown): value is HomeSectionType =>
  (HOME_SECTION_TYPES as readonly unknown[]).includes(value);

/**
 * An appearance read from outside the app (ext.json, the console's preview message), or null when the
 * value is not one. Known fields only are copied; the optional ones (logo, share image, notice) default,
 * unknown section types are dropped. Colours are checked where they are used.
 */
export function readAppearance(value: unknown): Appearance | null {
  if (!isRecord(value)) return null;
  const { navigationBar: nav, tabBar: tab, home, customerService: service, share } = value;
  if (!isRecord(nav) || !isRecord(tab) || !isRecord(home) || !isRecord(service) || !isRecord(share)) return null;
  const labels = tab.labels;
  if (!isRecord(labels) || !Array.isArray(home.sections)) return null;
  if (!isString(value.name) || !isString(value.themeColor) || !isString(value.accentColor)) return null;
  if (!isString(nav.backgroundColor) || (nav.textStyle !== 'black' && nav.textStyle !== 'white')) return null;
  if (!isString(tab.color) || !isString(tab.selectedColor) || !isString(tab.backgroundColor)) return null;
  if (!isString(labels.home) || !isString(labels.category) || !isString(labels.cart) || !isString(labels.user)) return null;
  if (typeof service.enabled !== 'boolean' || !isString(share.title)) return null;

  const sections: Appearance['home']['sections'] = [];
  for (const section of home.sections as unknown[]) {
    if (!isRecord(section) || !isSectionType(section.type) || typeof section.enabled !== 'boolean') continue;
    if (!sections.some((s) => s.type === section.type)) sections.push({ type: section.type, enabled: section.enabled });
  }
  const phone = isString(service.phone) && service.phone.trim() ? service.phone.trim() : null;

  return {
    name: value.name,
    themeColor: value.themeColor,
    accentColor: value.accentColor,
    navigationBar: { backgroundColor: nav.backgroundColor, textStyle: nav.textStyle },
    tabBar: {
      color: tab.color,
      selectedColor: tab.selectedColor,
      backgroundColor: tab.backgroundColor,
      labels: { home: labels.home, category: labels.category, cart: labels.cart, user: labels.user },
    },
    home: { sections, notice: isString(home.notice) ? home.notice : '' },
    customerService: { enabled: service.enabled, phone },
    share: { title: share.title, imageUrl: isString(share.imageUrl) && share.imageUrl ? share.imageUrl : null },
    logoUrl: isString(value.logoUrl) && value.logoUrl ? value.logoUrl : null,
  };
}
