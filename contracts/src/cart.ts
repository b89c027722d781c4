import { z } from 'zod';
import { idSchema, isoDateTime, phoneSchema } from './common';
import { imageSchema } from './catalog';
import { ADDRESS_LIMITS, CART_QUANTITY_MAX, REGION_CODE_PATTERN } from './cart.constants';

// ---- addresses ------------------------------------------------------------------------------------

export const addressInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(ADDRESS_LIMITS.nameMax),
  phone: phoneSchema,
  /** The district's 6-digit administrative division code (GB/T 2260). */
  regionCode: z.string().regex(REGION_CODE_PATTERN, 'a 6-digit division code'),
  province: z.string().trim().min(1).max(ADDRESS_LIMITS.regionNameMax),
  city: z.string().trim().min(1).max(ADDRESS_LIMITS.regionNameMax),
  district: z.string().trim().min(1).max(ADDRESS_LIMITS.regionNameMax),
  detail: z.string().trim().min(ADDRESS_LIMITS.detailMin).max(ADDRESS_LIMITS.detailMax),
  isDefault: z.boolean().default(false),
});
export type AddressInput = z.infer<typeof addressInputSchema>;

export const addressSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    phone: z.string(),
    regionCode: z.string(),
    province: z.string(),
    city: z.string(),
    district: z.string(),
    detail: z.string(),
    isDefault: z.boolean(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof addressSchema>;

// ---- cart -----------------------------------------------------------------------------------------

export const addCartItemBodySchema = z.strictObject({
  skuId: idSchema,
  quantity: z.number().int().min(1).max(CART_QUANTITY_MAX).default(1),
});
export const updateCartItemBodySchema = z
  .strictObject({
    quantity: z.number().int().min(1).max(CART_QUANTITY_MAX).optional(),
    selected: z.boolean().optional(),
    /** Switch the line to another SKU of the same product. */
    skuId: idSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update', params: { reason: 'NOTHING_TO_UPDATE' } });
export const selectAllBodySchema = z.strictObject({ selected: z.boolean() });

export const CART_UNAVAILABLE_REASONS = ['off_sale', 'deleted', 'out_of_stock', 'insufficient_stock'] as const;

export const cartLineSchema = z
  .object({
    id: z.number().int(),
    skuId: z.number().int(),
    productId: z.number().int(),
    title: z.string(),
    specValues: z.array(z.string()),
    image: imageSchema.nullable(),
    /** The current price, read now: the cart never keeps a stale price. */
    priceFen: z.number().int(),
    quantity: z.number().int(),
    selected: z.boolean(),
    available: z.boolean(),
    unavailableReason: z.enum(CART_UNAVAILABLE_REASONS).nullable(),
    /** Stock left, shown only when it limits the line. */
    stockLeft: z.number().int().nullable(),
  })
  .meta({ id: 'CartLine' });
export type CartLine = z.infer<typeof cartLineSchema>;

export const cartSchema = z
  .object({
    lines: z.array(cartLineSchema),
    /** Selected and available lines only. */
    selectedQuantity: z.number().int(),
    selectedTotalFen: z.number().int(),
  })
  .meta({ id: 'Cart' });
export type Cart = z.infer<typeof cartSchema>;
