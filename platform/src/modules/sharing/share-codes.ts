import { createHash, randomInt } from 'node:crypto';
import { SHARE_CODE_PATTERN, SHARE_LIMITS, type ShareChannel, type SharePage } from '@shopfleet/contracts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A new share code: `SHARE_LIMITS.codeLength` base62 characters drawn from the system's CSPRNG, so codes say nothing
 * about how many shares a shop has and cannot be walked. A collision with an existing code is retried by the caller.
 */
export function newShareCode(
  length: number = SHARE_LIMITS.codeLength,
  pick: (max: number) => number = randomInt,
): string {
  let code = '';
  for (let i = 0; i < length; i++) code += BASE62[pick(BASE62.length)];
  return code;
}

/** Whether a string is a share code (the landing page's `c`, a scene's value) before anything is looked up. */
export const isShareCode = (value: string): boolean => SHARE_CODE_PATTERN.test(value);

/** The wxacode scene of a code: `c=<code>`, at most 12 characters of the set WeChat accepts. */
export function sceneOf(code: string): string {
  if (!isShareCode(code)) throw new Error(`not a share code: ${code}`);
  const scene = `c=${code}`;
  if (scene.length > SHARE_LIMITS.sceneMax) throw new Error(`scene too long: ${scene}`);
  return scene;
}

/** The code a scene carries (`c=<code>`, perhaps among other pairs), or null. */
export function codeOfScene(scene: string): string | null {
  for (const pair of scene.split('&')) {
    const [key, value] = pair.split('=');
    if (key === 'c' && value !== undefined && isShareCode(value)) return value;
  }
  return null;
}

/** The mini-program page that opens each kind of share (no leading slash, as wxacode takes it). */
export const SHARE_PAGE_PATHS: Record<SharePage, string> = { product: 'pages/product/detail' };

/** The chat share's path (from the root) of a share: the page with its target and the code. */
export function sharePath(page: SharePage, targetId: number, code: string): string {
  return `/${SHARE_PAGE_PATHS[page]}?id=${targetId}&c=${code}`;
}

/** The h5 shop's address of a share: the shop's site (`/s/<slug>/`) and the page in its hash route. */
export function shareLink(publicUrl: string, slug: string, page: SharePage, targetId: number, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/s/${encodeURIComponent(slug)}/#${sharePath(page, targetId, code)}`;
}

/** Raising this draws every poster again (a new layout); code images are unaffected. */
export const POSTER_LAYOUT = 1;

/** What a code image shows: for a wxacode its scene, page and WeChat version; for a QR code the link it holds. */
export interface CodeImageFacts {
  channel: ShareChannel;
  code: string;
  /** The wxacode's page and env_version, or the QR code's link. */
  content: string;
}

/** What a poster shows, every item of it: any change is a new key, so a new poster. */
export interface PosterFacts {
  channel: ShareChannel;
  code: string;
  codeImageKey: string;
  productId: number;
  imageId: number | null;
  imageUrl: string | null;
  title: string;
  priceFen: number;
  shopName: string;
  sharerNickname: string | null;
  sharerAvatarUrl: string | null;
}

const digest = (parts: unknown[]): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/** The cache key of a code image (sha256 hex): one image per code, channel and content. */
export const codeImageKey = (f: CodeImageFacts): string => digest(['code', f.channel, f.code, f.content]);

/** The cache key of a poster (sha256 hex): everything drawn on it, and the layout. */
export const posterKey = (f: PosterFacts): string =>
  digest([
    'poster',
    POSTER_LAYOUT,
    f.channel,
    f.code,
    f.codeImageKey,
    f.productId,
    f.imageId,
    f.imageUrl,
    f.title,
    f.priceFen,
    f.shopName,
    f.sharerNickname,
    f.sharerAvatarUrl,
  ]);
