import type { ShareChannel } from '@shopfleet/contracts';
import { SHARE_CODE_PATTERN } from '@shopfleet/contracts/constants';
import { pageQueryValue } from './page-query';

/**
 * Share codes and posters per platform: the mini-program shows its own mini-program code and saves a poster to the
 * photo album; h5 shows a QR code of its link and lets the browser keep the picture.
 */

/** The code a poster carries here: the mini-program's code inside WeChat, a QR code of the h5 link in a browser. */
export function shareChannel(): ShareChannel {
  let channel: ShareChannel = 'h5';
  // #ifdef MP-WEIXIN
  channel = 'mp-weixin';
  // #endif
  return channel;
}

/** The code in a wxacode scene (`c=<code>`, perhaps among other pairs), or ''. */
export function codeOfScene(scene: string): string {
  for (const pair of scene.split('&')) {
    const [key, value] = pair.split('=');
    if (key === 'c' && value !== undefined && SHARE_CODE_PATTERN.test(value)) return value;
  }
  return '';
}

/**
 * The share code a page or the app was opened with, or null: `c` of a shared link or chat path; in the mini-program
 * also a scanned mini-program code's `scene` (WeChat hands it over URL-encoded: `c%3D<code>`).
 */
export function arrivedShareCode(query: Record<string, unknown> | undefined): string | null {
  let code = pageQueryValue(query, 'c');
  // #ifdef MP-WEIXIN
  if (!code) code = codeOfScene(pageQueryValue(query, 'scene'));
  // #endif
  return SHARE_CODE_PATTERN.test(code) ? code : null;
}

/** Saves a poster: to the photo album in the mini-program; on h5 the browser opens or downloads the picture. */
export function savePoster(url: string, done: (saved: boolean) => void): void {
  // #ifdef MP-WEIXIN
  uni.downloadFile({
    url,
    success: (res) => {
      if (res.statusCode !== 200) return done(false);
      uni.saveImageToPhotosAlbum({ filePath: res.tempFilePath, success: () => done(true), fail: () => done(false) });
    },
    fail: () => done(false),
  });
  // #endif
  // #ifdef H5
  const link = document.createElement('a');
  link.href = url;
  link.download = url.split('/').pop() ?? 'poster.jpg';
  link.target = '_blank';
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  done(true);
  // #endif
}
