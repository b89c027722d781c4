import type { Address, AddressInput } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/** GET /shops/:shopKey/addresses — the shopper's addresses, the default first. */
export function listAddresses(): Promise<Address[]> {
  return shopRequest<Address[]>({ method: 'GET', path: '/addresses', auth: true });
}

/** POST /shops/:shopKey/addresses — add one (at most 20); the first, or one marked default, becomes the default. */
export function createAddress(input: AddressInput): Promise<Address> {
  return shopRequest<Address>({ method: 'POST', path: '/addresses', body: { ...input }, auth: true });
}

/** PUT /shops/:shopKey/addresses/:id — replace one. */
export function updateAddress(id: number, input: AddressInput): Promise<Address> {
  return shopRequest<Address>({ method: 'PUT', path: `/addresses/${id}`, body: { ...input }, auth: true });
}

/** DELETE /shops/:shopKey/addresses/:id — a deleted default passes to the newest remaining address. */
export function deleteAddress(id: number): Promise<{ ok: true }> {
  return shopRequest<{ ok: true }>({ method: 'DELETE', path: `/addresses/${id}`, auth: true });
}
