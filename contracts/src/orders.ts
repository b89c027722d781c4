import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import { addressSchema, CART_QUANTITY_MAX } from './cart';

export const ORDER_STATUSES = ['pending_payment', 'paid', 'shipped', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const lineInput = z.strictObject({ skuId: idSchema, quantity: z.number().int().min(1).max(CART_QUANTITY_MAX) });

/** What to buy: the cart's selected lines, or lines given directly ("buy now"). */
export const checkoutBodySchema = z
  .strictObject({
    fromCart: z.boolean().default(false),
    items: z.array(lineInput).max(50).optional(),
    addressId: idSchema,
    remark: z.string().trim().max(200).default(''),
  })
  .refine((b) => b.fromCart !== (b.items !== undefined && b.items.length > 0), { message: 'either fromCart or items' });
export type CheckoutBody = z.infer<typeof checkoutBodySchema>;

export const orderLineSchema = z.object({
  skuId: z.number().int(),
  productId: z.number().int(),
  title: z.string(),
  specValues: z.array(z.string()),
  imageUrl: z.string().nullable(),
  unitPriceFen: z.number().int(),
  quantity: z.number().int(),
  subtotalFen: z.number().int(),
});

export const checkoutPreviewSchema = z
  .object({
    lines: z.array(orderLineSchema),
    itemsTotalFen: z.number().int(),
    shippingFen: z.number().int(),
    totalFen: z.number().int(),
    address: addressSchema,
  })
  .meta({ id: 'CheckoutPreview' });

export const orderSchema = z
  .object({
    id: z.number().int(),
    orderNo: z.string(),
    status: z.enum(ORDER_STATUSES),
    lines: z.array(orderLineSchema),
    itemsTotalFen: z.number().int(),
    shippingFen: z.number().int(),
    totalFen: z.number().int(),
    address: addressSchema.omit({ updatedAt: true, isDefault: true }),
    remark: z.string(),
    paymentDeadline: isoDateTime,
    cancelReason: z.string().nullable(),
    createdAt: isoDateTime,
    events: z.array(z.object({ type: z.string(), fromStatus: z.string().nullable(), toStatus: z.string(), actorType: z.string(), note: z.string().nullable(), at: isoDateTime })),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof orderSchema>;

export const orderListQuerySchema = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(10),
});

export const cancelOrderBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(200).default('买家取消') });

/** Idempotency-Key header of order creation: a retried request returns the first order. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
