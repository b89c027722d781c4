/**
 * Sharing a page with a friend. The mini-program shares through its own menu or a button of open-type `share` (the page
 * answers onShareAppMessage); h5 has no share of its own, so the invite button copies the page's link instead.
 */

/** The open-type of an invite button: `share` on the mini-program, none on h5 (the button copies the link). */
export function inviteOpenType(): string {
  let openType = '';
  // #ifdef MP-WEIXIN
  openType = 'share';
  // #endif
  return openType;
}

/** The address of one of the shop's pages (its path from the root, `/pages/...`) on h5; '' on the mini-program. */
export function pageLink(path: string): string {
  let link = '';
  // #ifdef H5
  link = `${window.location.origin}${window.location.pathname}#${path}`;
  // #endif
  return link;
}

/** On h5, copies the link and says so; on the mini-program the button's own share runs instead. */
export function copyPageLink(link: string, copied: string): void {
  if (!link) return;
  uni.setClipboardData({ data: link, success: () => uni.showToast({ title: copied, icon: 'none' }) });
}
