import type { Share, ShareArrival, ShareChannel, SharePoster } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/** POST /shops/:shopKey/shares — the shopper's share code of a product (the same every time): scene, chat path, h5 link. */
export function createShare(productId: number): Promise<Share> {
  return shopRequest<Share>({ method: 'POST', path: '/shares', body: { productId }, auth: true });
}

/**
 * POST /shops/:shopKey/shares/poster — the shopper's poster of a product with the code to scan (the mini-program code in
 * WeChat, a QR code of the link on h5), drawn once and kept: asking again is cheap.
 */
export function createSharePoster(productId: number, channel: ShareChannel): Promise<SharePoster> {
  return shopRequest<SharePoster>({ method: 'POST', path: '/shares/poster', body: { productId, channel }, auth: true });
}

/** GET /shops/:shopKey/share-codes/:code — what a share code opens, and who shared it. */
export function resolveShareCode(code: string): Promise<ShareArrival> {
  return shopRequest<ShareArrival>({ method: 'GET', path: `/share-codes/${encodeURIComponent(code)}` });
}
