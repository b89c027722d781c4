import { computed, type Component, type ComputedRef } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { ConsolePermission } from '@/stores/permissions';

export interface MenuItem {
  /** Route name; also the el-menu index. */
  name: string;
  /** i18n key. */
  title: string;
  icon: Component;
  /** A group (el-sub-menu): the entries of its child routes. */
  children?: MenuItem[];
}

/**
 * The side menu of an area: its routes that have a menu icon and whose permission the user holds. A
 * route with children becomes a group of those children, shown only when one of them is.
 */
export function useMenuItems(
  routes: RouteRecordRaw[],
  can: (permission: ConsolePermission) => boolean,
): ComputedRef<MenuItem[]> {
  function itemsOf(records: RouteRecordRaw[]): MenuItem[] {
    return records.flatMap((route) => {
      const meta = route.meta;
      if (typeof route.name !== 'string' || !meta?.menuIcon || !meta.title) return [];
      if (meta.permission && !can(meta.permission)) return [];
      if (!route.children) return [{ name: route.name, title: meta.title, icon: meta.menuIcon }];
      const children = itemsOf(route.children);
      return children.length ? [{ name: route.name, title: meta.title, icon: meta.menuIcon, children }] : [];
    });
  }
  return computed(() => itemsOf(routes));
}
