/** The roots of the three API surfaces. */
export const API_ROOTS = {
  platform: '/platform-api/v1',
  merchant: '/merchant-api/v1',
  shop: '/shop-api/v1',
} as const;

/** The longest range of days a page of figures (a shop's, the platform's) covers. */
export const DAY_RANGE_MAX_DAYS = 366;

/** A shop's public key in shop-api paths: its slug. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$/;

/** Mainland China mobile number, digits only. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** A mini-program's AppID: wx and 16 hex digits. */
export const WECHAT_APPID_PATTERN = /^wx[0-9a-f]{16}$/;

/** A one-time code sent by SMS: six digits. */
export const SMS_CODE_PATTERN = /^\d{6}$/;

/** Most characters of a shopper's nickname (WeChat's nickname input gives at most 20 too). */
export const SHOPPER_NICKNAME_MAX = 20;
/** A nickname is one line of text: no control, line or paragraph separator characters. */
export const SHOPPER_NICKNAME_PATTERN = /^[^\p{Cc}\p{Zl}\p{Zp}]+$/u;
/** Most bytes of an avatar upload. */
export const SHOPPER_AVATAR_MAX_BYTES = 5 * 1024 * 1024;
