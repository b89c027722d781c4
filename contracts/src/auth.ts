import { z } from 'zod';
import { MERCHANT_PERMISSIONS, MERCHANT_ROLES, PLATFORM_PERMISSIONS, PLATFORM_ROLES } from './permissions';
import { SMS_CODE_PATTERN } from './common.constants';
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
