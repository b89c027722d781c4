/** Most addresses of one shopper. */
export const ADDRESSES_MAX = 20;
/** Limits of addressInputSchema: the receiver's name, each region name, and the street address. */
export const ADDRESS_LIMITS = { nameMax: 30, regionNameMax: 20, detailMin: 2, detailMax: 120 } as const;
/** A district's 6-digit administrative division code (GB/T 2260). */
export const REGION_CODE_PATTERN = /^[1-9]\d{5}$/;

/** Most lines of one cart. */
export const CART_LINES_MAX = 100;
/** Most pieces of one cart line or order line. */
export const CART_QUANTITY_MAX = 99;
