import type { Appearance } from '@shopfleet/contracts';
import { HOME_SECTIONS, type HomeSection, type TabPage } from '@shopfleet/contracts/constants';
import { t } from '../locales';
import { zhCN } from '../locales/zh-CN';

/**
 * The label of a tab page in the tab bar: the merchant's own; a label the merchant left as the default
 * (a new shop's appearance has the zh-CN texts) is the template's, in the shopper's language.
 */
export function tabLabel(appearance: Appearance, page: TabPage): string {
  return tabText(appearance.tabBar.labels[page], page);
}

/** A tab's text as the merchant set it; the default (a zh-CN text of the template's) in the shopper's language. */
export function tabText(label: string, page: TabPage): string {
  const key = `tabBar.${page}` as const;
  const text = label.trim();
  return text && text !== zhCN[key] ? text : t(key);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isSectionType = (value: unknown): value is HomeSection => (HOME_SECTIONS as readonly unknown[]).includes(value);

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
  if (!isString(labels.home) || !isString(labels.category) || !isString(labels.cart) || !isString(labels.user))
    return null;
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
