import { z } from 'zod';
import { isoDateTime } from './common';

/** The shop's mini-program as authorized to the platform's WeChat third-party platform. */
export const wechatAuthorizationSchema = z
  .object({
    authorized: z.boolean(),
    appid: z.string().nullable(),
    /** The permission sets the merchant granted (18 = code management, needed to release). */
    funcInfo: z.array(z.number().int()),
    authorizedAt: isoDateTime.nullable(),
    /** The platform's third-party platform is configured at all. */
    available: z.boolean(),
  })
  .meta({ id: 'WechatAuthorization' });
export type WechatAuthorization = z.infer<typeof wechatAuthorizationSchema>;

export const authorizationLinkBodySchema = z.strictObject({
  /** pc: WeChat's authorization page scanned with the admin's phone; mobile: opened in WeChat on the phone. */
  device: z.enum(['pc', 'mobile']).default('pc'),
});
export const authorizationLinkSchema = z.object({ url: z.string(), expiresAt: isoDateTime });

/** Permission sets a release needs: 18 code management (commit, audit, release). */
export const RELEASE_FUNC_SETS = [18] as const;
