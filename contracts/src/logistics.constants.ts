/** What the console prints for orders: 发货单 (a packing list: what goes in the parcel) or 快递面单-style shipping labels. */
export const PRINT_KINDS = ['packing_list', 'shipping_label'] as const;
export type PrintKind = (typeof PRINT_KINDS)[number];

/** Most orders printed in one PDF. */
export const PRINT_ORDERS_MAX = 100;

/** Order ids as the print endpoint takes them: comma-separated, at most `PRINT_ORDERS_MAX`. */
export const PRINT_IDS_PATTERN = /^[1-9]\d{0,15}(,[1-9]\d{0,15}){0,99}$/;

/**
 * How a parcel's tracking came back:
 * - `live`: the tracking provider's route (its checkpoints, newest first, and where the parcel stands);
 * - `not_configured`: the platform has no tracking provider: the tracking number and the carrier's page only;
 * - `not_found`: the provider has no route for it yet (a parcel just handed over, or a number it does not know);
 * - `unavailable`: the provider failed or refused just now: try again later.
 */
export const TRACKING_STATUSES = ['live', 'not_configured', 'not_found', 'unavailable'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** Where a parcel stands (Kuaidi100's state, in words): 揽收, 在途, 派件, 签收, 疑难, 退回, 退签, 拒签. */
export const PARCEL_STATES = [
  'collected',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'problem',
  'returning',
  'returned',
  'refused',
] as const;
export type ParcelState = (typeof PARCEL_STATES)[number];
