import { inject, reactive, type InjectionKey } from 'vue';

/**
 * Product titles by id, shared by the designer's product pickers: the products the draft names (from the server) and
 * those found while picking, so a chosen product shows its title, not its id.
 */
export const PRODUCT_TITLES: InjectionKey<Map<number, string>> = Symbol('product-titles');

/** The designer's product titles (a picker outside the designer keeps its own). */
export function useProductTitles(): Map<number, string> {
  return inject(PRODUCT_TITLES, () => reactive(new Map<number, string>()), true);
}
