/** Stable error codes. Clients branch on these, never on message text. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'MALFORMED_REQUEST',
  'HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_CREDENTIALS',
  'TOO_MANY_REQUESTS',
  'TENANT_NOT_ACTIVE',
  'SHOP_NOT_FOUND',
  'SHOP_NOT_OPEN',
  'SHOP_SUSPENDED',
  'WRONG_SHOP',
  'OTP_INVALID',
  'WECHAT_LOGIN_FAILED',
  'WECHAT_NOT_CONFIGURED',
  'FILE_TYPE_NOT_ALLOWED',
  'UPSTREAM_UNAVAILABLE',
  'BUSY',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why, within its code, an error happened: a stable key the front ends render in the reader's
 * language, with the named params filled in. The English message the server sends beside it is only
 * the fallback. Each reason lists the params its texts may use; a reason with none lists nothing.
 * Every reason has a zh-CN and an en text in each front end (a unit test enumerates them).
 */
export const ERROR_REASONS = {
  // ---- requests -------------------------------------------------------------------------------------
  /** Body, query or path parameters failed their schema; `details.issues` says where and why. */
  INVALID_INPUT: [],
  BODY_NOT_ALLOWED: [],
  UNEXPECTED_PARAMETERS: [],
  UPLOAD_FILE_REQUIRED: ['field'],
  UPLOAD_UNEXPECTED_FIELDS: [],
  UPLOAD_MALFORMED: [],
  FILE_TOO_LARGE: ['maxMb'],
  FILE_EMPTY: [],
  IDEMPOTENCY_KEY_REQUIRED: [],
  PERMISSION_REQUIRED: ['permission'],
  /** Something changed between reading and writing; reload and try again. */
  CHANGED_MEANWHILE: [],
  /** Sent inside `details.issues`: the field must be given. */
  FIELD_REQUIRED: [],
  // Schema refinements (zod `params.reason`), sent inside `details.issues`.
  NOTHING_TO_UPDATE: [],
  RULE_NEEDS_SUBJECT_OR_CATEGORY: [],
  EMAIL_OR_PHONE_REQUIRED: [],
  REJECT_NOTE_REQUIRED: [],
  CART_OR_ITEMS: [],
  TAB_LABEL_TOO_WIDE: [],
  MINIAPP_NAME_WIDTH: [],
  SECTIONS_REPEATED: [],
  SHOPPERS_REPEATED: [],
  COUPON_KIND_FIELDS: [],
  COUPON_THRESHOLD_NOT_ABOVE_AMOUNT: [],
  COUPON_SCOPE_IDS: [],
  COUPON_DATES_REVERSED: [],
  COUPON_VALIDITY_ONE_WAY: [],
  COUPON_CLAIM_PERIOD_WHOLE: [],
  KINDS_REPEATED: [],
  PROMOTION_DATES_REVERSED: [],
  TIER_ONE_BENEFIT: [],
  TIERS_MIXED: [],
  TIER_THRESHOLD_NOT_ABOVE_AMOUNT: [],
  TIERS_OVERLAP: [],
  PROMOTION_ITEMS_REPEATED: [],
  FLASH_SKU_REPEATED: [],
  /** `hours`: the longest a session may last. */
  FLASH_PERIOD_INVALID: ['hours'],
  GROUP_SKU_REPEATED: [],
  GROUP_PERIOD_INVALID: [],
  LINES_REPEATED: [],
  PHOTOS_REPEATED: [],
  AFTER_SALES_PHOTO_UNKNOWN: [],
  AMOUNT_OR_LINES: [],
  POINTS_ADJUST_ZERO: [],
  COMMISSION_RATES_TOO_HIGH: [],

  // ---- sign-up, sign-in, staff --------------------------------------------------------------------
  EMAIL_TAKEN: [],
  CHOOSE_SHOP: [],
  SHOP_ACCESS_REVOKED: [],
  ACCOUNT_DISABLED: [],
  SESSION_SIGNED_OUT: [],
  SESSION_EXPIRED: [],
  REFRESH_TOKEN_REUSED: [],
  OTP_WRONG_OR_EXPIRED: [],
  OTP_ALREADY_USED: [],
  INVITATION_CLOSED: [],
  INVITATION_OTHER_EMAIL: [],
  ALREADY_MEMBER: [],
  SLUG_TAKEN: ['slug'],
  SLUG_RESERVED: ['slug'],
  SLUG_INVALID: ['slug'],
  CATEGORY_NOT_ACTIVE: [],

  // ---- onboarding ---------------------------------------------------------------------------------
  DOCUMENT_NOT_REQUIRED: ['typeCode'],
  DOCUMENT_INCOMPLETE: [],
  DOCUMENT_FIELD_UNKNOWN: [],
  DOCUMENT_CREDIT_CODE_INVALID: [],
  DOCUMENT_ID_NUMBER_INVALID: [],
  DOCUMENT_DATE_INVALID: [],
  DOCUMENT_FIELD_TOO_LONG: ['max'],
  DOCUMENT_VALID_TO_REQUIRED: [],
  DOCUMENT_NOT_VALID_YET: [],
  DOCUMENT_VALID_TO_BEFORE_FROM: [],
  DOCUMENT_EXPIRED: [],
  DOCUMENT_FILE_REPEATED: [],
  DOCUMENT_PAGES_REQUIRED: ['count', 'labels'],
  DOCUMENT_FILE_NOT_UPLOADED: [],
  DOCUMENT_FILE_TAKEN: [],
  DOCUMENTS_MISSING: ['count'],
  NOTHING_TO_SUBMIT: [],
  DOCUMENT_NOT_AWAITING_REVIEW: ['status'],
  DOCUMENT_ALREADY_APPROVED: [],
  TENANT_ALREADY_SUSPENDED: [],
  TENANT_NOT_SUSPENDED: [],
  SHOP_NOT_OPEN_YET: [],
  RULE_EXISTS: [],
  CATEGORY_CODE_EXISTS: [],
  DOCUMENT_TYPE_EXISTS: [],
  DOCUMENT_TYPE_UNKNOWN: [],
  BUSINESS_CATEGORY_UNKNOWN: [],
  FIELD_KEYS_REPEATED: [],
  FILE_NOT_DOCUMENT: [],
  FILE_NOT_IMAGE: [],
  FILE_NOT_MP4: [],

  // ---- catalog ------------------------------------------------------------------------------------
  CATEGORY_UNKNOWN: [],
  CATEGORY_TOO_DEEP: ['max'],
  CATEGORY_CYCLE: [],
  CATEGORY_ORDER_MISMATCH: [],
  CATEGORY_HAS_CHILDREN: [],
  CATEGORY_HAS_PRODUCTS: [],
  IMAGES_UNKNOWN: ['ids'],
  PRODUCT_INVALID: [],
  LAYOUT_UNKNOWN_ITEMS: [],

  // ---- storefront (the shop designer) ----------------------------------------------------------------
  /** Inside `details.issues`: a block whose type the designer does not know. */
  BLOCK_TYPE_UNKNOWN: [],
  /** Inside `details.issues`: a link of an unknown kind. */
  LINK_INVALID: [],
  BLOCK_ID_REPEATED: [],
  HOT_AREA_OUTSIDE: [],
  PAGE_KEY_TAKEN: [],
  TAB_PAGE_REPEATED: [],
  TAB_HOME_REQUIRED: [],
  /** Inside `details.issues`: a tab icon this shop did not upload. */
  TAB_ICON_UNKNOWN: ['id'],
  /** The page names things this shop does not have; `details.issues` say which (PAGE_PRODUCT_UNKNOWN… each). */
  PAGE_REFERENCES_UNKNOWN: [],
  PAGE_PRODUCT_UNKNOWN: ['id'],
  PAGE_CATEGORY_UNKNOWN: ['id'],
  PAGE_IMAGE_UNKNOWN: ['id'],
  PAGE_COUPON_UNKNOWN: ['id'],
  PAGE_CAMPAIGN_UNKNOWN: ['id'],
  PAGE_LINKED_PAGE_UNKNOWN: ['id'],
  PAGE_LIMIT_REACHED: ['max'],
  HOME_PAGE_KEPT: [],
  PAGE_PREVIEW_INVALID: [],
  CURSOR_INVALID: [],
  /** Spreadsheets the platform reads (imports): refused as a whole, before any row is used. */
  FILE_NOT_TABLE: [],
  CSV_ENCODING: [],
  CSV_UNREADABLE: [],
  XLSX_UNREADABLE: [],
  XLSX_NO_SHEET: [],
  XLSX_TOO_MANY_TEXTS: ['max'],
  XLSX_TEXT_TOO_LARGE: ['maxMb'],
  TOO_MANY_COLUMNS: ['max'],
  CELL_TOO_LONG: ['max'],
  IMPORT_COLUMNS: ['unknown', 'missing'],
  IMPORT_TOO_MANY_ROWS: ['max'],
  IMPORT_NO_HEADER: [],
  /** Only a failed import can be retried (from its checkpoint). */
  IMPORT_NOT_FAILED: ['status'],

  // ---- cart, checkout, orders, shipping ------------------------------------------------------------
  SHOPPER_ONLY: [],
  SKU_SOLD_OUT: [],
  CART_FULL: ['max'],
  SKU_OTHER_PRODUCT: [],
  ADDRESSES_FULL: ['max'],
  NOTHING_SELECTED: [],
  ITEMS_UNAVAILABLE: [],
  /** A product's freight template does not deliver to the address (`titles`: those products, comma-separated). */
  NOT_DELIVERABLE: ['titles'],
  SHOP_NOT_TAKING_ORDERS: [],
  TOO_MANY_UNPAID: ['max'],
  SOLD_OUT_MEANWHILE: [],
  PURCHASE_LIMIT_PER_ORDER: ['title', 'limit'],
  PURCHASE_LIMIT_PER_SHOPPER: ['title', 'limit', 'bought'],
  SHOPPER_BLOCKED: [],
  SHIPPING_TEMPLATES_FULL: ['max'],
  SHIPPING_TEMPLATE_IS_DEFAULT: [],
  /** Products ship by this template (`count`): give them another one before deleting it. */
  SHIPPING_TEMPLATE_IN_USE: ['count'],
  ORDER_NOT_CANCELLABLE: ['status'],
  ORDER_NOT_SHIPPABLE: ['status'],
  ORDER_CLOSED: [],
  ORDER_NOT_CONFIRMABLE: ['status'],
  ORDER_NOT_REVIEWABLE: [],
  ORDER_ALREADY_REVIEWED: [],
  /** The merchant changes the price of an unpaid order only (`status`: where it is now). */
  ORDER_PRICE_LOCKED: ['status'],
  /** A new price may take the goods down, never above what checkout priced them at (`max`: the highest total, in yuan). */
  ORDER_PRICE_ABOVE_CHECKOUT: ['max'],
  /** The new total is below the shipping fee it keeps (`shipping`, in yuan): lower the shipping fee too. */
  ORDER_PRICE_BELOW_SHIPPING: ['shipping'],
  /** The address changes only before the order is shipped (`status`: where it is now). */
  ORDER_ADDRESS_LOCKED: ['status'],
  /** A shipment import's header lacks a column it needs (`missing`). */
  SHIP_IMPORT_COLUMNS: ['missing'],
  SHIP_IMPORT_TOO_MANY_ROWS: ['max'],
  REVIEW_LINES_MISMATCH: [],
  REVIEW_IMAGE_UNKNOWN: [],

  // ---- payments ------------------------------------------------------------------------------------
  PAYMENT_PROVIDER_NOT_SET: ['provider'],
  ORDER_NOT_PAYABLE: ['status'],
  PAYMENT_WINDOW_CLOSED: [],
  PAYMENT_METHOD_UNAVAILABLE: ['method'],
  PAYMENT_PROVIDER_REFUSED: ['providerMessage'],
  /** WeChat Pay in the mini-program pays from the shopper's WeChat: they must have signed in with WeChat. */
  PAYMENT_NEEDS_WECHAT_SIGN_IN: [],
  PAYMENT_PROVIDER_UNREACHABLE: [],
  SHOP_NOT_IN_TEST_MODE: [],
  SANDBOX_PAYMENT_NOT_APPLIED: [],
  ORDER_NOT_REFUNDABLE: ['status'],
  REFUND_TOO_LARGE: ['refundableYuan'],
  /** Only a failed refund can be retried. */
  REFUND_NOT_FAILED: ['status'],
  NO_SERVICE_PROVIDER: [],
  PAYMENT_KEYS_REQUIRED: ['provider'],
  /** UnionPay's root and middle certificates are not configured on this platform. */
  UNIONPAY_NOT_AVAILABLE: [],
  /** The uploaded signing certificate is not a PKCS#12 (.pfx) file. */
  UNIONPAY_PFX_INVALID: [],
  /** The password does not open the .pfx. */
  UNIONPAY_PFX_WRONG_PASSWORD: [],
  /** The .pfx holds no private key with its certificate. */
  UNIONPAY_PFX_NO_KEY: [],

  // ---- mini-program, releases, WeChat --------------------------------------------------------------
  SHOP_NOT_ACTIVE_FOR_RELEASE: [],
  CONTACT_PHONE_REQUIRED: [],
  MINIAPP_NOT_AUTHORIZED: [],
  MINIAPP_PERMISSION_MISSING: ['sets'],
  MINIAPP_BOUND_ELSEWHERE: [],
  MINIAPP_AUTHORIZATION_LINK_INVALID: [],
  SUSPENDED_SHOP_CANNOT_AUTHORIZE: [],
  TEMPLATE_VERSION_NOT_BUILT: [],
  NO_TEMPLATE_VERSION: [],
  TEMPLATE_VERSION_EXISTS: ['version'],
  RELEASE_IN_FLIGHT: [],
  RELEASE_NOT_AUDITED: [],
  GRAY_ONLY_WIDENS: ['percentage'],
  RELEASE_NOT_RELEASED: [],
  RELEASE_NOT_LATEST: [],
  RELEASE_GRAY_LIVE: [],
  RELEASE_ENDED: [],
  /** Only a failed release can be retried. */
  RELEASE_NOT_FAILED: ['status'],
  /** A failed release that had reached gray or an end cannot go on: a new one is started instead. */
  RELEASE_CANNOT_CONTINUE: [],
  /** The release changed while it was being retried. */
  RELEASE_MOVED_ON: [],
  /** Only a template version whose build failed can be built again. */
  TEMPLATE_BUILD_NOT_FAILED: ['status'],
  QUOTA_NEEDS_AUTHORIZATION: [],
  BULK_RELEASE_NOT_OPEN: ['status'],
  CANARY_SHOPS_NOT_ACTIVE: ['tenantIds'],
  AUDIT_QUOTA_INSUFFICIENT: ['needed', 'left'],
  UPLOAD_KEY_NOT_PEM: [],
  UPLOAD_KEY_NOT_RSA: [],
  UPLOAD_KEY_NOT_NEEDED: [],
  APPID_OTHER_SHOP: [],
  UPLOAD_KEY_REQUIRED: [],
  CODE_UPLOAD_IN_FLIGHT: [],
  WECHAT_BUSY: [],
  WECHAT_UNREACHABLE: [],
  WECHAT_NOT_CONFIGURED_PLATFORM: [],
  WECHAT_NO_MINIAPP: [],
  WECHAT_LOGIN_CODE_INVALID: [],
  /** WeChat refused with an errcode that has no reason of its own. */
  WECHAT_REFUSED: ['errcode', 'errmsg'],
  WECHAT_AUDIT_QUOTA_EXHAUSTED: [],
  WECHAT_ALREADY_IN_AUDIT: [],
  WECHAT_TEMPLATE_MISSING: [],
  WECHAT_EXT_JSON_INVALID: [],
  WECHAT_NO_AUDITED_VERSION: [],
  WECHAT_RELEASE_NOT_ALLOWED: [],
  WECHAT_LOCATION_API_UNDECLARED: [],
  WECHAT_CODE_PERMISSION_MISSING: [],
  WECHAT_FEATURE_NOT_ALLOWED: [],
  // ---- coupons -------------------------------------------------------------------------------------
  /** Every coupon of the template is issued. */
  COUPON_SOLD_OUT: [],
  /** The template is stopped, outside its claim period, or not issued by claiming. */
  COUPON_NOT_CLAIMABLE: [],
  CLAIM_LIMIT_REACHED: ['limit'],
  COUPON_NEW_SHOPPERS_ONLY: [],
  COUPON_TOTAL_BELOW_ISSUED: ['issued'],
  /** The template is not one the merchant sends, or is not running. */
  COUPON_NOT_SENDABLE: [],
  // Why a coupon cannot be used on an order (checkout's coupon list, and a 409 when that coupon is asked for).
  /** `short`: how much more to spend, in yuan. */
  COUPON_THRESHOLD_NOT_MET: ['short'],
  COUPON_OUT_OF_SCOPE: [],
  COUPON_NOT_COMBINABLE: [],
  COUPON_NOT_YET_VALID: [],
  COUPON_EXPIRED: [],
  /** The coupon was used by another order meanwhile. */
  COUPON_USED: [],
  /** The order prices otherwise than the total the shopper was shown; `total` is the new one, in yuan. */
  PRICE_CHANGED: ['total'],
  // ---- promotions ----------------------------------------------------------------------------------
  /** A 限时价 must be below the SKU's price. */
  PROMOTION_PRICE_NOT_BELOW: ['productId'],
  /** The product is in another 限时折扣 over part of the same period. */
  PROMOTION_PRODUCT_BUSY: ['productId'],
  PROMOTION_PRODUCT_UNKNOWN: ['productId'],
  // ---- flash sales ---------------------------------------------------------------------------------
  /** The session has not started: `seconds` until it does. */
  FLASH_NOT_STARTED: ['seconds'],
  /** The session is over (ended or stopped). */
  FLASH_ENDED: [],
  /** Every unit of the item is taken (one may come back when an order is not paid in time). */
  FLASH_SOLD_OUT: [],
  /** `limit` per shopper: this shopper has (or holds in unpaid orders) that many. */
  FLASH_LIMIT_REACHED: ['limit'],
  /** The pass is missing, expired, or not this shopper's for this session: fetch a new one. */
  FLASH_PASS_INVALID: [],
  /** The SKU has fewer units than the session asks to set aside. */
  FLASH_STOCK_SHORT: ['skuId', 'stock'],
  /** A flash price must be below the SKU's price. */
  FLASH_PRICE_NOT_BELOW: ['skuId'],
  /** The SKU is in another session over part of the same period. */
  FLASH_SKU_BUSY: ['skuId'],
  /** The SKU is not the shop's, or not for sale. */
  FLASH_SKU_UNKNOWN: ['skuId'],
  /** The session has started (or is over): its period can no longer change. */
  FLASH_SESSION_STARTED: [],
  // ---- group buys ----------------------------------------------------------------------------------
  /** Every seat of the group is taken (paid, or held by an order waiting for payment). */
  GROUP_FULL: [],
  /** The group is no longer open: it succeeded, failed, or its time is up. */
  GROUP_CLOSED: [],
  /** The shopper is in this group already. */
  GROUP_ALREADY_JOINED: [],
  /** `limit` units per shopper in this campaign. */
  GROUP_LIMIT_REACHED: ['limit'],
  /** The campaign is not running (not started, ended or stopped). */
  GROUP_CAMPAIGN_NOT_RUNNING: [],
  /** The SKU is not in the campaign. */
  GROUP_SKU_NOT_IN_CAMPAIGN: ['skuId'],
  /** A group price must be below the SKU's price. */
  GROUP_PRICE_NOT_BELOW: ['skuId'],
  /** A group price must stay above the leader's discount (the leader pays at least ¥0.01). */
  GROUP_PRICE_NOT_ABOVE_LEADER_DISCOUNT: ['skuId'],
  /** The product is in another group-buy campaign over part of the same period. */
  GROUP_PRODUCT_BUSY: ['productId'],
  /** The order waits for its group to form before it ships. */
  GROUP_NOT_FORMED: [],
  // ---- after-sales ---------------------------------------------------------------------------------
  /** The order is not one a request can be made on (unpaid, closed, or past the after-sales window). */
  AFTER_SALES_NOT_ALLOWED: [],
  /** More units than the line has left to ask for (some are refunded or in another case). */
  AFTER_SALES_UNITS_LEFT: ['left'],
  /** This kind of request does not fit the order's state (a return of goods not yet shipped). */
  AFTER_SALES_KIND_NOT_ALLOWED: [],
  /** The case is not in a state where this step can be taken (it moved on meanwhile). */
  AFTER_SALES_STEP_NOT_ALLOWED: [],
  /** The shop has no return address yet. */
  RETURN_ADDRESS_REQUIRED: [],
  /** Units of the line are in an open after-sales case: settle the case instead. */
  LINE_IN_AFTER_SALES: ['skuId', 'left'],
  /** The WeChat Pay sub-merchant number is already another shop's. */
  SUB_MERCHANT_TAKEN: [],
  // ---- complaints ----------------------------------------------------------------------------------
  /** This order (or case) already has an open complaint. */
  COMPLAINT_ALREADY_OPEN: [],
  /** The case is still in progress: only a refused or closed case can be complained about. */
  COMPLAINT_CASE_IN_PROGRESS: [],
  /** The order was never paid: there is nothing to complain about. */
  COMPLAINT_ORDER_UNPAID: [],
  /** The complaint was decided or withdrawn. */
  COMPLAINT_NOT_OPEN: [],
  /** The complaint has as many statements as it takes. */
  COMPLAINT_STATEMENTS_FULL: [],
  /** A refund of the case's units failed (they were refunded otherwise): decide an amount instead. */
  COMPLAINT_CASE_UNITS_GONE: [],
  // ---- customer service --------------------------------------------------------------------------
  /** Messages come faster than a sender may write them; `retryAfterSeconds` in the details. */
  SUPPORT_TOO_FAST: [],
  /** Another agent has this conversation: ask for a transfer. */
  SUPPORT_CONVERSATION_TAKEN: [],
  /** The agent to hand over to is not online. */
  SUPPORT_AGENT_NOT_ONLINE: [],
  /** An agent sends text, images and products; orders and cases come from the shopper. */
  SUPPORT_KIND_NOT_ALLOWED: [],
  /** The image was not uploaded by the sender. */
  SUPPORT_IMAGE_UNKNOWN: [],
  /** WeChat lets a shop answer a WeChat user only within 48 hours of the user's last message. */
  SUPPORT_WECHAT_WINDOW_CLOSED: [],
  /** The shop has as many quick replies as it takes. */
  SUPPORT_QUICK_REPLIES_FULL: ['max'],
  // ---- sharing ---------------------------------------------------------------------------------------
  /** The shopper asked for new share images faster than allowed (per shopper, or the shop as a whole); `retryAfterSeconds` in the details. */
  SHARE_TOO_FAST: [],
  /** WeChat makes no more mini-program codes for the moment (45009, its per-minute limit); `retryAfterSeconds` in the details. */
  SHARE_CODE_BUSY: [],
  /** The shop's mini-program is not connected to the platform, so it has no mini-program code: share the h5 link. */
  SHARE_MINIAPP_UNAVAILABLE: [],
  /** No share of this shop has this code. */
  SHARE_CODE_NOT_FOUND: [],
  // ---- analytics ------------------------------------------------------------------------------------
  /** A range of days whose first day is after its last. */
  RANGE_INVALID: [],
  /** A range longer than the data pages take (a year). */
  RANGE_TOO_LONG: [],
  // ---- line refunds --------------------------------------------------------------------------------
  /** More units than are left to refund of a line, or a SKU the order does not have. */
  LINE_NOT_REFUNDABLE: ['skuId'],
  // ---- members and points --------------------------------------------------------------------------
  SIGNED_IN_TODAY: [],
  POINTS_OFF: [],
  /** `available`: the member's available points. */
  POINTS_NOT_ENOUGH: ['available'],
  /** The points the order was priced with are no longer there (spent or expired meanwhile). */
  POINTS_CHANGED: [],
  MEMBER_LEVEL_THRESHOLD_TAKEN: [],
  /** `max`: the most levels a shop has. */
  MEMBER_LEVELS_FULL: ['max'],
  /** `max`: the most favourites a shopper keeps. */
  FAVOURITES_FULL: ['max'],

  // ---- distribution -----------------------------------------------------------------------------------
  DISTRIBUTION_OFF: [],
  /** `status`: the distributor's status now. */
  DISTRIBUTOR_NOT_APPROVED: ['status'],
  DISTRIBUTOR_DISABLED: [],
  /** `status`: the application's status now (only a pending one is decided). */
  DISTRIBUTOR_NOT_PENDING: ['status'],
  /** `available`: what can be withdrawn now (fen as yuan). */
  COMMISSION_NOT_ENOUGH: ['available'],
  /** `min`: the shop's smallest withdrawal (yuan). */
  WITHDRAWAL_BELOW_MINIMUM: ['min'],
  /** `status`: the withdrawal's status now. */
  WITHDRAWAL_NOT_WAITING: ['status'],
  /** The shop cannot pay by WeChat Pay's transfer (no merchant of its own); pay by hand. */
  WECHAT_TRANSFER_UNAVAILABLE: [],
  /** The distributor never signed in with WeChat: there is no change (零钱) to pay into. */
  WITHDRAWAL_NO_WECHAT: [],

  // ---- a shopper's profile and phone ------------------------------------------------------------------
  /** The phone is another shopper's of the shop who signed in with another WeChat account: two people cannot be one. */
  PHONE_TAKEN: [],
  /** The code of WeChat's phone-number button is wrong, used or expired: tap the button again. */
  WECHAT_PHONE_CODE_INVALID: [],
  /** WeChat gave a phone number outside mainland China, which the shop cannot text. */
  WECHAT_PHONE_NOT_MAINLAND: [],

  // ---- logistics: printing and tracking ---------------------------------------------------------------
  /** The order has no parcel yet: nothing to track. */
  ORDER_NOT_SHIPPED: [],
  /** The server has no Chinese font to print with (PDF_CJK_FONT): the operator must install it. */
  PRINT_FONT_MISSING: [],

  // ---- not found: what the reader looked for ---------------------------------------------------------
  PRODUCT_NOT_FOUND: [],
  PAGE_NOT_FOUND: [],
  PAGE_VERSION_NOT_FOUND: [],
  ORDER_NOT_FOUND: [],
  ADDRESS_NOT_FOUND: [],
  TEMPLATE_VERSION_NOT_FOUND: [],
  REVIEW_NOT_FOUND: [],
  COUPON_TEMPLATE_NOT_FOUND: [],
  COUPON_NOT_FOUND: [],
  PROMOTION_NOT_FOUND: [],
  FLASH_SESSION_NOT_FOUND: [],
  FLASH_ITEM_NOT_FOUND: [],
  GROUP_CAMPAIGN_NOT_FOUND: [],
  GROUP_NOT_FOUND: [],
  MEMBER_NOT_FOUND: [],
  MEMBER_LEVEL_NOT_FOUND: [],
  DISTRIBUTOR_NOT_FOUND: [],
  WITHDRAWAL_NOT_FOUND: [],
  COMMISSION_RULE_NOT_FOUND: [],
  SHARE_NOT_FOUND: [],
  AFTER_SALES_NOT_FOUND: [],
  COMPLAINT_NOT_FOUND: [],
  SUPPORT_CONVERSATION_NOT_FOUND: [],
  QUICK_REPLY_NOT_FOUND: [],
  RETURN_ADDRESS_NOT_FOUND: [],
  INVITATION_NOT_FOUND: [],
  IMPORT_NOT_FOUND: [],
  CATEGORY_NOT_FOUND: [],
  USER_NOT_FOUND: [],
  TENANT_NOT_FOUND: [],
  FREIGHT_TEMPLATE_NOT_FOUND: [],
  FILE_NOT_FOUND: [],
  DOCUMENT_NOT_FOUND: [],
  DOCUMENT_TYPE_NOT_FOUND: [],
  CODE_UPLOAD_NOT_FOUND: [],
  SHOPPER_NOT_FOUND: [],
  DOCUMENT_RULE_NOT_FOUND: [],
  RELEASE_NOT_FOUND: [],
  REFUND_NOT_FOUND: [],
  PAYMENT_NOT_FOUND: [],
  NOTIFICATION_NOT_FOUND: [],
  CART_LINE_NOT_FOUND: [],
  BULK_RELEASE_NOT_FOUND: [],
  API_DOCUMENT_NOT_FOUND: [],
} as const satisfies Record<string, readonly string[]>;

export type ErrorReason = keyof typeof ERROR_REASONS;
export const ERROR_REASON_KEYS = Object.keys(ERROR_REASONS) as ErrorReason[];

/** A param value: what a text can show. Lists are joined by the server ("、"-free: ", "). */
export type ErrorParamValue = string | number;
export type ErrorParams<R extends ErrorReason> = { [P in (typeof ERROR_REASONS)[R][number]]: ErrorParamValue };

/**
 * A reason with its params and the English fallback text. A reason that takes params must be given
 * them; one that takes none is given none.
 */
export type Reasoned = {
  [R in ErrorReason]: { reason: R; message: string } & ((typeof ERROR_REASONS)[R] extends readonly []
    ? { params?: undefined }
    : { params: ErrorParams<R> });
}[ErrorReason];

/** WeChat errcodes that have a reason of their own (a release that failed on one shows it). */
export const WECHAT_ERRCODE_REASONS: Readonly<Record<number, ErrorReason>> = {
  85085: 'WECHAT_AUDIT_QUOTA_EXHAUSTED',
  85009: 'WECHAT_ALREADY_IN_AUDIT',
  85013: 'WECHAT_TEMPLATE_MISSING',
  85014: 'WECHAT_TEMPLATE_MISSING',
  85048: 'WECHAT_EXT_JSON_INVALID',
  85019: 'WECHAT_NO_AUDITED_VERSION',
  85020: 'WECHAT_RELEASE_NOT_ALLOWED',
  61040: 'WECHAT_LOCATION_API_UNDECLARED',
  61007: 'WECHAT_CODE_PERMISSION_MISSING',
  89231: 'WECHAT_FEATURE_NOT_ALLOWED',
};

/**
 * The reason of a stored release or upload error code (`wechat:85085`, `wechat:unreachable`), for a
 * front end to say it in its reader's language; undefined for a code with no reason of its own.
 */
export function storedErrorReason(code: string): ErrorReason | undefined {
  if (code === 'wechat:unreachable') return 'WECHAT_UNREACHABLE';
  const match = /^wechat:(-?\d+)$/.exec(code);
  return match ? WECHAT_ERRCODE_REASONS[Number(match[1])] : undefined;
}

/**
 * Codes of the issues a schema (zod) reports, as sent in `details.issues[].code`. The front ends
 * render an issue from its code and params (`minimum`, `maximum`, `origin`, `format`…).
 */
export const ISSUE_CODES = [
  'invalid_type',
  'too_big',
  'too_small',
  'invalid_format',
  'not_multiple_of',
  'unrecognized_keys',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'invalid_value',
  'custom',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];
