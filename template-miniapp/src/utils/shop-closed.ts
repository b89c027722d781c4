import { t } from '../locales';
import type { ApiErrorCode } from '../request/api-error';

/** The shop API's answers for a shop a shopper cannot use at all; each has a page of its own. */
export const SHOP_CLOSED_CODES = ['SHOP_NOT_FOUND', 'SHOP_NOT_OPEN', 'SHOP_SUSPENDED'] as const;
export type ShopClosedCode = (typeof SHOP_CLOSED_CODES)[number];

export function isShopClosedCode(code: ApiErrorCode): code is ShopClosedCode {
  return (SHOP_CLOSED_CODES as readonly string[]).includes(code);
}

/** The title and text of a closed shop's page, in the device's language: the title is the error's own text. */
export function shopClosedText(code: ShopClosedCode): { title: string; text: string } {
  return { title: t(`errors.${code}`), text: t(`shopClosed.${code}`) };
}
