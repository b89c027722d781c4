// Limits of the contract, repeated as values: only types come from @shopfleet/contracts, so zod stays
// out of the bundle; each is typed by the contract's constant, so a change there fails the type check here.
import type {
  ADDRESSES_MAX as AddressesMax,
  CART_QUANTITY_MAX as CartQuantityMax,
  REVIEW_IMAGES_MAX as ReviewImagesMax,
} from '@shopfleet/contracts';

/** Most pieces of one cart line or order line. */
export const CART_QUANTITY_MAX: typeof CartQuantityMax = 99;
/** Most photos of one review. */
export const REVIEW_IMAGES_MAX: typeof ReviewImagesMax = 6;
/** Most addresses of one shopper. */
export const ADDRESSES_MAX: typeof AddressesMax = 20;
/** Most lines one checkout may list as items (contracts: checkoutBodySchema). */
export const CHECKOUT_ITEMS_MAX = 50;
/** Most characters of a buyer's remark (contracts: checkoutBodySchema). */
export const REMARK_MAX = 200;
/** Most characters of a review (contracts: reviewInputSchema). */
export const REVIEW_CONTENT_MAX = 500;
