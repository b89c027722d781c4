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

// ---- template versions and tenant packages ------------------------------------------------------

export const templateVersionSchema = z
  .object({
    id: z.number().int(),
    version: z.string(),
    contentHash: z.string(),
    status: z.enum(['building', 'ready', 'failed']),
    description: z.string(),
    buildMs: z.number().int().nullable(),
    createdAt: isoDateTime,
    builtAt: isoDateTime.nullable(),
    /** Shops that have a package of this version. */
    tenants: z.number().int(),
  })
  .meta({ id: 'TemplateVersion' });
export type TemplateVersion = z.infer<typeof templateVersionSchema>;

export const createTemplateVersionBodySchema = z.strictObject({
  /** Semantic version, also the mini-program's user_version. */
  version: z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/, 'a version like 1.4.2'),
  description: z.string().trim().max(200).default(''),
});

export const templateVersionLogSchema = z.object({ log: z.string() });

export const tenantPackageSchema = z
  .object({
    id: z.number().int(),
    version: z.string(),
    sizeBytes: z.number().int(),
    buildMs: z.number().int(),
    createdAt: isoDateTime,
    /** A short-lived link to download the zip (the mini-program project, ready for the developer tools). */
    downloadUrl: z.string(),
  })
  .meta({ id: 'TenantPackage' });
export type TenantPackage = z.infer<typeof tenantPackageSchema>;
