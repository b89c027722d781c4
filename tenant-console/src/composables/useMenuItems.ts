import { computed, type Component, type ComputedRef } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { ConsolePermission } from '@/stores/permissions';

export interface MenuItem {
  /** Route name; also the el-menu index. */
  name: string;
  /** i18n key. */
  title: string;
  icon: Component;
}

/** The side menu of an area: its routes that have a menu icon and whose permission the user holds. */
export function useMenuItems(routes: RouteRecordRaw[], can: (permission: ConsolePermission) => boolean): ComputedRef<MenuItem[]> {
  return computed(() =>
    routes.flatMap((route) => {
      const meta = route.meta;
      if (typeof route.name !== 'string' || !meta?.menuIcon || !meta.title) return [];
      if (meta.permission && !can(meta.permission)) return [];
      return [{ name: route.name, title: meta.title, icon: meta.menuIcon }];
    }),
  );
}
