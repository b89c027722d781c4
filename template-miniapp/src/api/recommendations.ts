import type { Recommendations } from '@shopfleet/contracts';
import { shopRequest } from '../request';
import { isSignedIn } from '../stores/session';

export interface GuessQuery {
  /** The device id the shop sends its events with. */
  device: string;
  limit?: number;
  /** Products not to show (the cart's). */
  exclude?: readonly number[];
}

/**
 * GET /shops/:shopKey/recommendations — guess-you-like for this device's history (and, signed in, the shopper's purchases,
 * which it leaves out); the shop's popular products for a device with none.
 */
export function guessYouLike(query: GuessQuery): Promise<Recommendations> {
  return shopRequest<Recommendations>({
    method: 'GET',
    path: '/recommendations',
    query: { device: query.device, limit: query.limit, exclude: query.exclude },
    auth: isSignedIn(),
  });
}

/** GET /shops/:shopKey/products/:id/viewed-together — viewed together. */
export function viewedTogether(productId: number, limit?: number): Promise<Recommendations> {
  return shopRequest<Recommendations>({
    method: 'GET',
    path: `/products/${productId}/viewed-together`,
    query: { limit },
  });
}

/** GET /shops/:shopKey/products/:id/bought-together — bought together. */
export function boughtTogether(productId: number, limit?: number): Promise<Recommendations> {
  return shopRequest<Recommendations>({
    method: 'GET',
    path: `/products/${productId}/bought-together`,
    query: { limit },
  });
}
