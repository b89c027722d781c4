import type { Appearance } from '@shopfleet/contracts';

export interface ShareMessage {
  title: string;
  imageUrl?: string;
  /** The page a friend opens, from the root (`/pages/...`). */
  path: string;
}

export interface ShareTimelineContent {
  title: string;
  imageUrl?: string;
  /** The query of the current page (a timeline share cannot name another page). */
  query: string;
}

/**
 * What WeChat shows for a shared page: `title` when the page has its own (a product's), else the
 * merchant's share title, else the shop's name; the merchant's share image, else WeChat's screenshot.
 */
export function shareMessage(
  appearance: Appearance | null,
  page: { path: string; title?: string; shopName?: string },
): ShareMessage {
  return {
    title: page.title || appearance?.share.title || appearance?.name || page.shopName || '',
    imageUrl: appearance?.share.imageUrl ?? undefined,
    path: page.path,
  };
}
