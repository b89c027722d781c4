/** Whether this build can open a page outside the shop (a carrier's tracking page): the web build only. */
export function canOpenExternalPage(): boolean {
  let can = false;
  // #ifdef H5
  can = true;
  // #endif
  return can;
}

/** Opens a page outside the shop in a new tab (the web build; a mini-program cannot leave for the web). */
export function openExternalPage(url: string): void {
  // #ifdef H5
  window.open(url, '_blank', 'noopener');
  // #endif
  void url;
}
