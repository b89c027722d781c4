import { z } from 'zod';
import { isoDateTime, pageQuerySchema, slugSchema } from './common';
import { wechatWidth } from './wechat-text';
import {
  APPEARANCE_LIMITS,
  HEX_COLOR,
  HOME_SECTIONS,
  PREVIEW_MESSAGES,
  SERVICE_PHONE_PATTERN,
  TENANT_QUERY_MAX,
  TENANT_STATUSES,
} from './shop.constants';

export { wechatWidth };

/** What a shopper's app needs to render the shop's frame. Public and cacheable by URL. */

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

const color = z.string().regex(HEX_COLOR, 'a colour like #e4393c');
const tabLabel = z
  .string()
  .trim()
  .min(1)
  .refine((v) => wechatWidth(v) <= APPEARANCE_LIMITS.tabLabelMaxWidth, {
    message: 'at most 4 Chinese or 8 Latin characters',
    params: { reason: 'TAB_LABEL_TOO_WIDE' },
  });

/**
 * What the shop's mini-program looks like: name, theme, navigation and tab bar, home page layout,
 * the customer-service entry and how a shared page looks. The template reads it at run time (h5,
 * from the shop API) or from ext.json (mp-weixin, rendered into each shop's package).
 */
export const appearanceBodySchema = z.strictObject({
  /** The name WeChat shows: 4–30 wide, a Chinese character counting 2 (WeChat's rule for names). */
  name: z
    .string()
    .trim()
    .refine(
      (v) => wechatWidth(v) >= APPEARANCE_LIMITS.nameMinWidth && wechatWidth(v) <= APPEARANCE_LIMITS.nameMaxWidth,
      {
        message: 'a name 4 to 30 wide (a Chinese character counts 2), as WeChat allows',
        params: { reason: 'MINIAPP_NAME_WIDTH' },
      },
    ),
  themeColor: color,
  accentColor: color,
  navigationBar: z.strictObject({ backgroundColor: color, textStyle: z.enum(['black', 'white']) }),
  tabBar: z.strictObject({
    color,
    selectedColor: color,
    backgroundColor: color,
    /** The label of each tab page, at most 4 wide characters (WeChat cuts longer ones). */
    labels: z.strictObject({ home: tabLabel, category: tabLabel, cart: tabLabel, user: tabLabel }),
  }),
  home: z.strictObject({
    /** The sections in order; each at most once. */
    sections: z
      .array(z.strictObject({ type: z.enum(HOME_SECTIONS), enabled: z.boolean() }))
      .min(1)
      .max(HOME_SECTIONS.length)
      .refine((list) => new Set(list.map((s) => s.type)).size === list.length, {
        message: 'each section at most once',
        params: { reason: 'SECTIONS_REPEATED' },
      }),
    notice: z.string().trim().max(APPEARANCE_LIMITS.noticeMax).default(''),
  }),
  customerService: z.strictObject({
    /** Shows WeChat's customer-service button (open-type=contact) on product and order pages. */
    enabled: z.boolean(),
    /** A phone number shoppers can call, shown beside it. */
    phone: z.string().trim().regex(SERVICE_PHONE_PATTERN, 'a phone number').nullable(),
  }),
  share: z.strictObject({
    /** The title of a shared page (WeChat shows about 30 characters). */
    title: z.string().trim().max(APPEARANCE_LIMITS.shareTitleMax),
  }),
});
export type AppearanceBody = z.infer<typeof appearanceBodySchema>;

export const appearanceSchema = appearanceBodySchema
  .extend({
    logoUrl: z.string().nullable(),
    share: z.object({ title: z.string(), imageUrl: z.string().nullable() }),
  })
  .meta({ id: 'ShopAppearance' });
export type Appearance = z.infer<typeof appearanceSchema>;

/** A shop that never edited its appearance looks like this (its name and theme colour filled in). */
export function defaultAppearance(shop: { name: string; themeColor: string }): AppearanceBody {
  return {
    name: shop.name,
    themeColor: shop.themeColor,
    accentColor: '#ff9500',
    navigationBar: { backgroundColor: '#ffffff', textStyle: 'black' },
    tabBar: {
      color: '#7a7e83',
      selectedColor: shop.themeColor,
      backgroundColor: '#ffffff',
      labels: { home: '首页', category: '分类', cart: '购物车', user: '我的' },
    },
    home: { sections: HOME_SECTIONS.map((type) => ({ type, enabled: true })), notice: '' },
    customerService: { enabled: true, phone: null },
    share: { title: shop.name.slice(0, 30) },
  };
}

export const publicShopSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    logoUrl: z.string().nullable(),
    description: z.string().nullable(),
    themeColor: z.string(),
    status: z.enum(TENANT_STATUSES),
    appearance: appearanceSchema,
  })
  .meta({ id: 'PublicShop' });
export type PublicShop = z.infer<typeof publicShopSchema>;

export const updateShopBodySchema = z
  .strictObject({
    name: z.string().trim().min(2).max(60).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    themeColor: z.string().regex(HEX_COLOR, 'a colour like #e4393c').optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'nothing to update',
    params: { reason: 'NOTHING_TO_UPDATE' },
  });
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
  q: z.string().trim().min(1).max(TENANT_QUERY_MAX).optional(),
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

/** The messages of the console's live preview (`PREVIEW_MESSAGES`) that carry more than their type. */
export interface PreviewPassMessage {
  type: typeof PREVIEW_MESSAGES.pass;
  token: string | null;
}
export interface AppearancePreviewMessage {
  type: typeof PREVIEW_MESSAGES.appearance;
  appearance: Appearance;
}

/** A short-lived, read-only pass for the merchant's own shop on the shop API, before or while it is closed. */
export const shopPreviewPassSchema = z
  .object({ token: z.string(), expiresAt: isoDateTime })
  .meta({ id: 'ShopPreviewPass' });
export type ShopPreviewPass = z.infer<typeof shopPreviewPassSchema>;
