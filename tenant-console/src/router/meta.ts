import type { Component } from 'vue';
import type { ConsoleAudience } from '@/api/request';
import type { ConsolePermission } from '@/stores/permissions';

declare module 'vue-router' {
  interface RouteMeta {
    /** Whose tokens the route needs; merged down from the layout route. */
    audience?: ConsoleAudience;
    /** Reachable without signing in (the login pages). */
    public?: boolean;
    /** The permission the route needs; the guard shows the 403 page without it. */
    permission?: ConsolePermission;
    /** i18n key of the page title (document title, header, menu). */
    title?: string;
    /** Shown in the side menu, with this icon. */
    menuIcon?: Component;
    /** The menu entry to highlight for a page that has none of its own (a detail page). */
    activeMenu?: string;
  }
}

export {};
