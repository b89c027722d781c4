import type { MemberCentre, Page, PointsEntry, SavedProduct, SignInResult } from '@shopfleet/contracts';
import { shopRequest } from '../request';

type Paging = { page: number; pageSize: number };

/** GET /shops/:shopKey/member — the member centre: level and the next one, growth, points, today's sign-in, favourites. */
export function memberCentre(): Promise<MemberCentre> {
  return shopRequest<MemberCentre>({ method: 'GET', path: '/member', auth: true });
}

/** POST /shops/:shopKey/member/sign-ins — today's sign-in (sign-in): 409 SIGNED_IN_TODAY, POINTS_OFF. */
export function signIn(): Promise<SignInResult> {
  return shopRequest<SignInResult>({ method: 'POST', path: '/member/sign-ins', auth: true });
}

/** GET /shops/:shopKey/member/points — the points ledger, newest first. */
export function myPoints(query: Paging): Promise<Page<PointsEntry>> {
  return shopRequest<Page<PointsEntry>>({ method: 'GET', path: '/member/points', query, auth: true });
}

/** GET /shops/:shopKey/favourites — favourites, newest first (a card is null when its product is no longer on sale). */
export function myFavourites(query: Paging): Promise<Page<SavedProduct>> {
  return shopRequest<Page<SavedProduct>>({ method: 'GET', path: '/favourites', query, auth: true });
}

/** GET /shops/:shopKey/favourites/:productId — whether the product is among the favourites. */
export function favouriteState(productId: number): Promise<{ favourite: boolean }> {
  return shopRequest<{ favourite: boolean }>({ method: 'GET', path: `/favourites/${productId}`, auth: true });
}

/** PUT /shops/:shopKey/favourites/:productId — add it (again: nothing changes); 409 FAVOURITES_FULL. */
export function addFavourite(productId: number): Promise<{ favourite: boolean }> {
  return shopRequest<{ favourite: boolean }>({ method: 'PUT', path: `/favourites/${productId}`, auth: true });
}

/** DELETE /shops/:shopKey/favourites/:productId — take it out. */
export function removeFavourite(productId: number): Promise<{ favourite: boolean }> {
  return shopRequest<{ favourite: boolean }>({ method: 'DELETE', path: `/favourites/${productId}`, auth: true });
}

/** GET /shops/:shopKey/history — history: the latest products seen, latest first. */
export function myHistory(query: Paging): Promise<Page<SavedProduct>> {
  return shopRequest<Page<SavedProduct>>({ method: 'GET', path: '/history', query, auth: true });
}

/** POST /shops/:shopKey/history — a product seen (the product page sends it). */
export function recordView(productId: number): Promise<{ ok: true }> {
  return shopRequest<{ ok: true }>({ method: 'POST', path: '/history', body: { productId }, auth: true });
}

/** DELETE /shops/:shopKey/history — clear the browsing history. */
export function clearHistory(): Promise<{ ok: true }> {
  return shopRequest<{ ok: true }>({ method: 'DELETE', path: '/history', auth: true });
}
