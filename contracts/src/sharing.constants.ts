/**
 * Sharing (分享): a shopper's share of a page of the shop is a short code (base62, random) that stands for the page, its
 * target and the sharer. A mini-program code carries it as its scene (`c=<code>`, WeChat takes at most 32 characters), a
 * link as its `c` query; the landing page resolves it.
 */

/** What a share opens. Only products today; a group (拼团) or the shop's home fit the same table later. */
export const SHARE_PAGES = ['product'] as const;
export type SharePage = (typeof SHARE_PAGES)[number];

/** Where the shared code is scanned: the WeChat mini-program (wxacode) or the shop's h5 in a browser (a QR code). */
export const SHARE_CHANNELS = ['mp-weixin', 'h5'] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

/** A share code: base62, `SHARE_LIMITS.codeLength` characters (at most 10), random, unique in its shop. */
export const SHARE_CODE_PATTERN = /^[0-9A-Za-z]{4,10}$/;

export const SHARE_LIMITS = {
  /** Characters of a new code: 62^8 ≈ 2.2 × 10^14, so a guess finds nothing and a collision is rare (and retried). */
  codeLength: 8,
  /** WeChat's limit on a wxacode scene (visible ASCII of `[0-9A-Za-z!#$&'()*+,/:;=?@-._~]`). */
  sceneMax: 32,
  /** The poster's size in pixels: a phone screen's 750-point width. */
  posterWidth: 750,
  posterHeight: 1334,
} as const;
