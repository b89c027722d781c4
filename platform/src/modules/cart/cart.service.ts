import type { Knex } from 'knex';
import { ADDRESSES_MAX, CART_LINES_MAX, CART_QUANTITY_MAX, type Address, type AddressInput, type Cart, type CartLine } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { iso, parseJsonColumn, totalOf } from '../../kernel/db/rows';
import { retryOnDeadlock } from '../../kernel/db/retry';
import type { ImagesService } from '../catalog';

function shopperOf(ctx: TenantContext): number {
  if (ctx.actor.type !== 'shopper') throw new ForbiddenError({ reason: 'SHOPPER_ONLY', message: 'Sign in as a shopper' });
  return ctx.actor.shopperId;
}

const toAddress = (r: Record<string, unknown>): Address => ({
  id: Number(r.id),
  name: String(r.name),
  phone: String(r.phone),
  regionCode: String(r.region_code),
  province: String(r.province),
  city: String(r.city),
  district: String(r.district),
  detail: String(r.detail),
  isDefault: Boolean(r.is_default),
  updatedAt: iso(r.updated_at as Date),
});

/**
 * A shopper's addresses and cart, in one shop. Every read of the cart re-reads prices and stock, so a
 * line never shows a stale price, and a product taken off sale or sold out is shown as such.
 */
const OTHER_PRODUCT = { reason: 'SKU_OTHER_PRODUCT', message: 'the new SKU must be of the same product' } as const;

export function cartService(deps: { knex: Knex; images: ImagesService }) {
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);

  async function cart(ctx: TenantContext): Promise<Cart> {
    const shopperId = shopperOf(ctx);
    const scope = scopeOf(ctx);
    const rows = (await scope
      .table('cart_items', 'c')
      .leftJoin('skus as s', (j) => j.on('s.id', '=', 'c.sku_id').andOn('s.tenant_id', '=', 'c.tenant_id'))
      .leftJoin('products as p', (j) => j.on('p.id', '=', 's.product_id').andOn('p.tenant_id', '=', 'c.tenant_id'))
      .where('c.shopper_id', shopperId)
      .orderBy('c.id', 'desc')
      .select('c.id', 'c.sku_id', 'c.quantity', 'c.selected', 's.product_id', 's.spec_values', 's.price_fen', 's.stock', 's.image_id', 'p.title', 'p.status', 'p.deleted_at', 'p.image_ids')) as Array<Record<string, unknown>>;
    const imageIds = rows.flatMap((r) => {
      const own = r.image_id ? [Number(r.image_id)] : [];
      return own.length ? own : ((parseJsonColumn(r.image_ids) as number[] | null) ?? []).slice(0, 1);
    });
    const images = await deps.images.byIds(ctx, imageIds);
    const lines: CartLine[] = rows.map((r) => {
      const quantity = Number(r.quantity);
      const stock = r.stock === null ? 0 : Number(r.stock);
      let reason: CartLine['unavailableReason'] = null;
      if (r.product_id === null || r.deleted_at) reason = 'deleted';
      else if (r.status !== 'on_sale') reason = 'off_sale';
      else if (stock <= 0) reason = 'out_of_stock';
      else if (stock < quantity) reason = 'insufficient_stock';
      const imageId = r.image_id ? Number(r.image_id) : ((parseJsonColumn(r.image_ids) as number[] | null) ?? [])[0];
      return {
        id: Number(r.id),
        skuId: Number(r.sku_id),
        productId: r.product_id === null ? 0 : Number(r.product_id),
        title: r.title === null ? '' : String(r.title),
        specValues: (parseJsonColumn(r.spec_values) as string[] | null) ?? [],
        image: imageId ? (images.get(imageId) ?? null) : null,
        priceFen: r.price_fen === null ? 0 : Number(r.price_fen),
        quantity,
        selected: Boolean(r.selected),
        available: reason === null,
        unavailableReason: reason,
        stockLeft: reason === 'insufficient_stock' ? stock : null,
      };
    });
    const chosen = lines.filter((l) => l.selected && l.available);
    return {
      lines,
      selectedQuantity: chosen.reduce((n, l) => n + l.quantity, 0),
      selectedTotalFen: chosen.reduce((n, l) => n + l.priceFen * l.quantity, 0),
    };
  }

  /** A SKU of this shop whose product is on sale; anything else cannot be put in a cart. */
  async function sellableSku(scope: TenantScope, skuId: number): Promise<{ id: number; productId: number; stock: number }> {
    const row = await scope
      .table('skus', 's')
      .join('products as p', (j) => j.on('p.id', '=', 's.product_id').andOn('p.tenant_id', '=', 's.tenant_id'))
      .where('s.id', skuId)
      .where('p.visible', true)
      .select('s.id', 's.product_id', 's.stock')
      .first();
    if (!row) throw new NotFoundError('PRODUCT_NOT_FOUND');
    return { id: Number(row.id), productId: Number(row.product_id), stock: Number(row.stock) };
  }

  async function line(scope: TenantScope, shopperId: number, id: number) {
    const row = await scope.table('cart_items').where({ id, shopper_id: shopperId }).first();
    if (!row) throw new NotFoundError('CART_LINE_NOT_FOUND');
    return row as { id: number; sku_id: number; quantity: number };
  }

  return {
    cart,

    /** Adds a SKU: to its line if the cart has it (capped at 99), else as a new selected line. */
    async add(ctx: TenantContext, skuId: number, quantity: number): Promise<Cart> {
      const shopperId = shopperOf(ctx);
      await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const sku = await sellableSku(scope, skuId);
        if (sku.stock <= 0) throw new ConflictError({ reason: 'SKU_SOLD_OUT', message: 'This item is sold out' }, { reason: 'out_of_stock' });
        const existing = await scope.table('cart_items').where({ shopper_id: shopperId, sku_id: skuId }).forUpdate().first();
        if (existing) {
          await scope.table('cart_items').where({ id: existing.id }).update({ quantity: Math.min(CART_QUANTITY_MAX, Number(existing.quantity) + quantity), selected: true, updated_at: new Date() });
          return;
        }
        const lines = totalOf(await scope.table('cart_items').where({ shopper_id: shopperId }).count({ total: '*' }));
        if (lines >= CART_LINES_MAX) throw new ConflictError({ reason: 'CART_FULL', params: { max: CART_LINES_MAX }, message: `A cart holds at most ${CART_LINES_MAX} lines` });
        await scope.insert('cart_items', { shopper_id: shopperId, sku_id: skuId, quantity });
      });
      return cart(ctx);
    },

    /** Changes a line's quantity, selection, or SKU (within the same product; merging into a line that has it). */
    async update(ctx: TenantContext, id: number, patch: { quantity?: number; selected?: boolean; skuId?: number }): Promise<Cart> {
      const shopperId = shopperOf(ctx);
      await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const current = await line(scope, shopperId, id);
        const row: Record<string, unknown> = { updated_at: new Date() };
        if (patch.quantity !== undefined) row.quantity = patch.quantity;
        if (patch.selected !== undefined) row.selected = patch.selected;
        if (patch.skuId !== undefined && patch.skuId !== Number(current.sku_id)) {
          const [from, to] = await Promise.all([
            scope.table('skus').where({ id: current.sku_id }).select('product_id').first(),
            sellableSku(scope, patch.skuId),
          ]);
          if (!from || Number(from.product_id) !== to.productId) throw new ValidationError(OTHER_PRODUCT, { issues: [issue('body.skuId', OTHER_PRODUCT)] });
          const twin = await scope.table('cart_items').where({ shopper_id: shopperId, sku_id: patch.skuId }).first();
          if (twin) {
            await scope.table('cart_items').where({ id: twin.id }).update({ quantity: Math.min(CART_QUANTITY_MAX, Number(twin.quantity) + Number(patch.quantity ?? current.quantity)), updated_at: new Date() });
            await scope.table('cart_items').where({ id }).delete();
            return;
          }
          row.sku_id = patch.skuId;
        }
        await scope.table('cart_items').where({ id }).update(row);
      });
      return cart(ctx);
    },

    async remove(ctx: TenantContext, id: number): Promise<Cart> {
      const shopperId = shopperOf(ctx);
      const scope = scopeOf(ctx);
      await line(scope, shopperId, id);
      await scope.table('cart_items').where({ id, shopper_id: shopperId }).delete();
      return cart(ctx);
    },

    async selectAll(ctx: TenantContext, selected: boolean): Promise<Cart> {
      await scopeOf(ctx).table('cart_items').where({ shopper_id: shopperOf(ctx) }).update({ selected, updated_at: new Date() });
      return cart(ctx);
    },

    /** Addresses by id with the shopper each belongs to, in one query (a batch of orders placed together). */
    async addressesByIds(ctx: TenantContext, ids: number[]): Promise<Map<number, { shopperId: number; address: Address }>> {
      if (ids.length === 0) return new Map();
      const rows = (await scopeOf(ctx).table('addresses').whereIn('id', [...new Set(ids)])) as Array<Record<string, unknown>>;
      return new Map(rows.map((r) => [Number(r.id), { shopperId: Number(r.shopper_id), address: toAddress(r) }]));
    },

    async addresses(ctx: TenantContext): Promise<Address[]> {
      const rows = (await scopeOf(ctx).table('addresses').where({ shopper_id: shopperOf(ctx) }).orderBy([{ column: 'is_default', order: 'desc' }, { column: 'id', order: 'desc' }])) as Array<Record<string, unknown>>;
      return rows.map(toAddress);
    },

    /** Adds an address (at most 20); the first one, or one marked default, becomes the only default. */
    async createAddress(ctx: TenantContext, input: AddressInput): Promise<Address> {
      const shopperId = shopperOf(ctx);
      const id = await retryOnDeadlock(() =>
        deps.knex.transaction(async (trx) => {
          const scope = scopeOf(ctx, trx);
          const n = totalOf(await scope.table('addresses').where({ shopper_id: shopperId }).count({ total: '*' }));
          if (n >= ADDRESSES_MAX) throw new ConflictError({ reason: 'ADDRESSES_FULL', params: { max: ADDRESSES_MAX }, message: `At most ${ADDRESSES_MAX} addresses` });
          const isDefault = input.isDefault || n === 0;
          if (isDefault && n > 0) await scope.table('addresses').where({ shopper_id: shopperId }).update({ is_default: false });
          return scope.insert('addresses', { shopper_id: shopperId, ...columns(input), is_default: isDefault });
        }),
      );
      return toAddress(await scopeOf(ctx).table('addresses').where({ id }).first());
    },

    async updateAddress(ctx: TenantContext, id: number, input: AddressInput): Promise<Address> {
      const shopperId = shopperOf(ctx);
      await retryOnDeadlock(() => deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const found = await scope.table('addresses').where({ id, shopper_id: shopperId }).first();
        if (!found) throw new NotFoundError('ADDRESS_NOT_FOUND');
        if (input.isDefault) await scope.table('addresses').where({ shopper_id: shopperId }).update({ is_default: false });
        await scope.table('addresses').where({ id }).update({ ...columns(input), is_default: input.isDefault || Boolean(found.is_default), updated_at: new Date() });
      }));
      return toAddress(await scopeOf(ctx).table('addresses').where({ id }).first());
    },

    /** Deletes an address; if it was the default, the newest remaining one becomes the default. */
    async deleteAddress(ctx: TenantContext, id: number): Promise<void> {
      const shopperId = shopperOf(ctx);
      await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const found = await scope.table('addresses').where({ id, shopper_id: shopperId }).first();
        if (!found) throw new NotFoundError('ADDRESS_NOT_FOUND');
        await scope.table('addresses').where({ id }).delete();
        if (found.is_default) {
          const next = await scope.table('addresses').where({ shopper_id: shopperId }).orderBy('id', 'desc').first();
          if (next) await scope.table('addresses').where({ id: next.id }).update({ is_default: true });
        }
      });
    },
  };
}

function columns(input: AddressInput) {
  return {
    name: input.name,
    phone: input.phone,
    region_code: input.regionCode,
    province: input.province,
    city: input.city,
    district: input.district,
    detail: input.detail,
  };
}

export type CartService = ReturnType<typeof cartService>;
