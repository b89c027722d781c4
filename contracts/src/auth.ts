import { z } from 'zod';
import { MERCHANT_PERMISSIONS, MERCHANT_ROLES, PLATFORM_PERMISSIONS, PLATFORM_ROLES } from './permissions';
import { SHOPPER_NICKNAME_MAX, SHOPPER_NICKNAME_PATTERN, SMS_CODE_PATTERN } from './common.constants';
import { phoneSchema, slugSchema } from './common';

export const AUDIENCES = ['platform', 'merchant', 'shopper'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const tokenPairSchema = z
  .object({
    accessToken: z.string(),
    accessTokenExpiresAt: z.string(),
    refreshToken: z.string(),
    refreshTokenExpiresAt: z.string(),
    tokenType: z.literal('Bearer'),
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const passwordLoginBodySchema = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});

export const merchantLoginBodySchema = passwordLoginBodySchema.extend({
  /** Which shop to sign in to, for a person who belongs to more than one. */
  shop: slugSchema.optional(),
});
export type MerchantLoginBody = z.infer<typeof merchantLoginBodySchema>;

export const refreshBodySchema = z.strictObject({ refreshToken: z.string().min(20).max(200) });
export const logoutBodySchema = refreshBodySchema;

export const platformMeSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(PLATFORM_ROLES),
    permissions: z.array(z.enum(PLATFORM_PERMISSIONS)),
  })
  .meta({ id: 'PlatformMe' });
export type PlatformMe = z.infer<typeof platformMeSchema>;

export const merchantMeSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(MERCHANT_ROLES),
    permissions: z.array(z.enum(MERCHANT_PERMISSIONS)),
    tenant: z.object({ id: z.number().int(), slug: z.string(), name: z.string(), status: z.string() }),
  })
  .meta({ id: 'MerchantMe' });
export type MerchantMe = z.infer<typeof merchantMeSchema>;

export const shopperMeSchema = z
  .object({
    id: z.number().int(),
    nickname: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    phoneMasked: z.string().nullable(),
    hasWechat: z.boolean(),
  })
  .meta({ id: 'ShopperMe' });
export type ShopperMe = z.infer<typeof shopperMeSchema>;

export const wechatLoginBodySchema = z.strictObject({
  /** The code from wx.login(), valid once for five minutes. */
  code: z.string().min(1).max(128),
});

export const smsCodeBodySchema = z.strictObject({ phone: phoneSchema });
export const smsCodeResponseSchema = z.object({ sent: z.literal(true), retryAfterSeconds: z.number().int() });

export const phoneLoginBodySchema = z.strictObject({
  phone: phoneSchema,
  code: z.string().regex(SMS_CODE_PATTERN, 'the six-digit code'),
});

// ---- the shopper's profile and phone (pages/user/profile) ----------------------------------------------------------

/** A nickname as the shopper types it (WeChat's nickname input on mp-weixin): trimmed, one line of text. */
export const shopperNicknameSchema = z
  .string()
  .trim()
  .min(1)
  .max(SHOPPER_NICKNAME_MAX)
  .regex(SHOPPER_NICKNAME_PATTERN, 'one line of text');

/**
 * Changes the shopper's nickname and/or avatar (an image they uploaded through `uploadMyAvatar`). PUT, not PATCH:
 * wx.request has none; a field left out is left as it is.
 */
export const updateMyProfileBodySchema = z
  .strictObject({
    nickname: shopperNicknameSchema.optional(),
    avatarImageId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .refine((b) => b.nickname !== undefined || b.avatarImageId !== undefined, {
    params: { reason: 'NOTHING_TO_UPDATE' },
    message: 'nothing to update',
  });
export type UpdateMyProfileBody = z.infer<typeof updateMyProfileBodySchema>;

/** The avatar just uploaded (and set): its image id and the URL the shop shows. */
export const shopperAvatarSchema = z.object({ id: z.number().int(), url: z.string() }).meta({ id: 'ShopperAvatar' });
export type ShopperAvatar = z.infer<typeof shopperAvatarSchema>;

/** The code of the mini-program's `<button open-type="getPhoneNumber">` (`e.detail.code`), valid once for five minutes. */
export const bindPhoneWechatBodySchema = z.strictObject({ code: z.string().min(1).max(128) });

/** A phone and the SMS code sent to it through `smsCode` (the sign-in code: same scope, same limits). */
export const bindPhoneBodySchema = phoneLoginBodySchema;

/**
 * The shopper after binding a phone: `merged` when the phone was another shopper's of the shop, whose orders, coupons,
 * addresses, cart and the rest are now this shopper's (that other shopper's sessions end).
 */
export const bindPhoneResponseSchema = z
  .object({ me: shopperMeSchema, merged: z.boolean() })
  .meta({ id: 'BindPhoneResult' });
export type BindPhoneResult = z.infer<typeof bindPhoneResponseSchema>;
