import { TAB_PAGES, type TabPage } from '@shopfleet/contracts/constants';
import { packagedTabPages } from './shop-context';

const ignore = () => undefined;

/**
 * Where each tab page sits in the app's tab bar; a page absent is no tab in this app. h5: pages.json's four tabs, always
 * (a tab the shop leaves out is hidden at run time); mp-weixin: the tabs its package was made with (a mini-program
 * cannot hide a tab, so its package leaves the tab out).
 */
export function tabIndexes(): Map<TabPage, number> {
  return new Map((packagedTabPages() ?? TAB_PAGES).map((page, index) => [page, index]));
}

/**
 * Sets a tab's text and icons (URLs; null: the text alone), or hides it (null) where the tab bar can (h5; a
 * mini-program's package leaves such a tab out). Throws, or fails quietly, off a tab page: the next one paints it.
 */
export function paintTab(
  index: number,
  tab: { text: string; iconUrl: string | null; selectedIconUrl: string | null } | null,
): void {
  // #ifdef H5
  uni.setTabBarItem(
    tab
      ? {
          index,
          text: tab.text,
          iconPath: tab.iconUrl ?? '',
          selectedIconPath: tab.selectedIconUrl ?? tab.iconUrl ?? '',
          visible: true,
          fail: ignore,
        }
      : { index, visible: false, fail: ignore },
  );
  // #endif
  // #ifndef H5
  if (tab)
    uni.setTabBarItem({
      index,
      text: tab.text,
      // Network icons since WeChat's base library 2.7.0; a tab without one keeps the icon its package has.
      ...(tab.iconUrl ? { iconPath: tab.iconUrl, selectedIconPath: tab.selectedIconUrl ?? tab.iconUrl } : {}),
      fail: ignore,
    });
  // #endif
}
