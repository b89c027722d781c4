import { z } from 'zod';
import { isoDateTime, pageQuerySchema, slugSchema } from './common';

export const TENANT_STATUSES = ['pending_review', 'active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** What a shopper's app needs to render the shop's frame. Public and cacheable by URL. */
export const publicShopSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    logoUrl: z.string().nullable(),
    description: z.string().nullable(),
    themeColor: z.string(),
    status: z.enum(TENANT_STATUSES),
  })
  .meta({ id: 'PublicShop' });
export type PublicShop = z.infer<typeof publicShopSchema>;

export const shopSettingsSchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    logoUrl: z.string().nullable(),
    themeColor: z.string(),
    status: z.enum(TENANT_STATUSES),
    createdAt: isoDateTime,
  })
  .meta({ id: 'ShopSettings' });
export type ShopSettings = z.infer<typeof shopSettingsSchema>;

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export const updateShopBodySchema = z
  .strictObject({
    name: z.string().trim().min(2).max(60).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    themeColor: z.string().regex(HEX_COLOR, 'a colour like #e4393c').optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to update' });
export type UpdateShopBody = z.infer<typeof updateShopBodySchema>;

export const staffMemberSchema = z
  .object({
    id: z.number().int(),
    userId: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    status: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'StaffMember' });
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const shopperSummarySchema = z
  .object({
    id: z.number().int(),
    nickname: z.string().nullable(),
    phoneMasked: z.string().nullable(),
    hasWechat: z.boolean(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'ShopperSummary' });
export type ShopperSummary = z.infer<typeof shopperSummarySchema>;

export const tenantSummarySchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(TENANT_STATUSES),
    createdAt: isoDateTime,
  })
  .meta({ id: 'TenantSummary' });
export type TenantSummary = z.infer<typeof tenantSummarySchema>;

export const tenantListQuerySchema = pageQuerySchema.extend({
  status: z.enum(TENANT_STATUSES).optional(),
  q: z.string().trim().min(1).max(60).optional(),
});

export const tenantSlugParamsSchema = z.strictObject({ slug: slugSchema });

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    tenantId: z.number().int().nullable(),
    actorType: z.string(),
    actorId: z.number().int().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    data: z.unknown(),
    requestId: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;
