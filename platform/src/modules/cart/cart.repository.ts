import type { Address, AddressInput } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { iso, totalOf } from '../../kernel/db/rows';

/** A line of a shopper's cart as stored: which SKU, how many, whether it is chosen for checkout. */
export interface CartItem {
  id: number;
  skuId: number;
  quantity: number;
  selected: boolean;
}

interface CartItemRow {
  id: number;
  sku_id: number;
  quantity: number;
  selected: number | boolean;
}

interface AddressRow {
  id: number;
  shopper_id: number;
  name: string;
  phone: string;
  region_code: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  is_default: number | boolean;
  updated_at: Date;
}

const toItem = (r: CartItemRow): CartItem => ({
  id: Number(r.id),
  skuId: Number(r.sku_id),
  quantity: Number(r.quantity),
  selected: Boolean(r.selected),
});

const toAddress = (r: AddressRow): Address => ({
  id: Number(r.id),
  name: r.name,
  phone: r.phone,
  regionCode: r.region_code,
  province: r.province,
  city: r.city,
  district: r.district,
  detail: r.detail,
  isDefault: Boolean(r.is_default),
  updatedAt: iso(r.updated_at),
});

const addressColumns = (input: AddressInput) => ({
  name: input.name,
  phone: input.phone,
  region_code: input.regionCode,
  province: input.province,
  city: input.city,
  district: input.district,
  detail: input.detail,
});

/**
 * The cart module's tables, `cart_items` and `addresses`: the only code that queries them. Every call
 * runs on the context's connection (its transaction, when the caller opened one) and in its tenant.
 */
export function cartRepository(db: Database) {
  const items = (ctx: TenantContext) => db.scope(ctx).table('cart_items');
  const addresses = (ctx: TenantContext) => db.scope(ctx).table('addresses');

  return {
    /** A shopper's lines, newest first. */
    async lines(ctx: TenantContext, shopperId: number): Promise<CartItem[]> {
      return ((await items(ctx).where({ shopper_id: shopperId }).orderBy('id', 'desc')) as CartItemRow[]).map(toItem);
    },

    async line(ctx: TenantContext, shopperId: number, id: number): Promise<CartItem | null> {
      const r = (await items(ctx).where({ id, shopper_id: shopperId }).first()) as CartItemRow | undefined;
      return r ? toItem(r) : null;
    },

    /** The shopper's line of a SKU, locked until the transaction ends when `lock` is set. */
    async lineOfSku(
      ctx: TenantContext,
      shopperId: number,
      skuId: number,
      opts: { lock?: boolean } = {},
    ): Promise<CartItem | null> {
      const q = items(ctx).where({ shopper_id: shopperId, sku_id: skuId });
      const r = (await (opts.lock ? q.forUpdate() : q).first()) as CartItemRow | undefined;
      return r ? toItem(r) : null;
    },

    async lineCount(ctx: TenantContext, shopperId: number): Promise<number> {
      return totalOf(await items(ctx).where({ shopper_id: shopperId }).count({ total: '*' }));
    },

    async addLine(ctx: TenantContext, shopperId: number, skuId: number, quantity: number): Promise<void> {
      await db.scope(ctx).insert('cart_items', { shopper_id: shopperId, sku_id: skuId, quantity });
    },

    async updateLine(
      ctx: TenantContext,
      id: number,
      patch: { quantity?: number; selected?: boolean; skuId?: number },
    ): Promise<void> {
      await items(ctx)
        .where({ id })
        .update({
          ...(patch.quantity !== undefined ? { quantity: patch.quantity } : {}),
          ...(patch.selected !== undefined ? { selected: patch.selected } : {}),
          ...(patch.skuId !== undefined ? { sku_id: patch.skuId } : {}),
          updated_at: new Date(),
        });
    },

    async deleteLine(ctx: TenantContext, shopperId: number, id: number): Promise<void> {
      await items(ctx).where({ id, shopper_id: shopperId }).delete();
    },

    /** Deletes the lines of these (shopper, SKU) pairs. */
    async deleteLinesOf(ctx: TenantContext, pairs: Array<[shopperId: number, skuId: number]>): Promise<void> {
      if (pairs.length === 0) return;
      await items(ctx).whereIn(['shopper_id', 'sku_id'], pairs).delete();
    },

    async selectAll(ctx: TenantContext, shopperId: number, selected: boolean): Promise<void> {
      await items(ctx).where({ shopper_id: shopperId }).update({ selected, updated_at: new Date() });
    },

    /** A shopper's addresses, the default first, then newest first. */
    async addresses(ctx: TenantContext, shopperId: number): Promise<Address[]> {
      const rows = (await addresses(ctx)
        .where({ shopper_id: shopperId })
        .orderBy([
          { column: 'is_default', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])) as AddressRow[];
      return rows.map(toAddress);
    },

    /** Addresses by id, each with the shopper it belongs to. */
    async addressesByIds(
      ctx: TenantContext,
      ids: number[],
    ): Promise<Map<number, { shopperId: number; address: Address }>> {
      if (ids.length === 0) return new Map();
      const rows = (await addresses(ctx).whereIn('id', [...new Set(ids)])) as AddressRow[];
      return new Map(rows.map((r) => [Number(r.id), { shopperId: Number(r.shopper_id), address: toAddress(r) }]));
    },

    async address(ctx: TenantContext, shopperId: number, id: number): Promise<Address | null> {
      const r = (await addresses(ctx).where({ id, shopper_id: shopperId }).first()) as AddressRow | undefined;
      return r ? toAddress(r) : null;
    },

    async addressCount(ctx: TenantContext, shopperId: number): Promise<number> {
      return totalOf(await addresses(ctx).where({ shopper_id: shopperId }).count({ total: '*' }));
    },

    async newestAddress(ctx: TenantContext, shopperId: number): Promise<Address | null> {
      const r = (await addresses(ctx).where({ shopper_id: shopperId }).orderBy('id', 'desc').first()) as
        AddressRow | undefined;
      return r ? toAddress(r) : null;
    },

    async insertAddress(
      ctx: TenantContext,
      shopperId: number,
      input: AddressInput,
      isDefault: boolean,
    ): Promise<number> {
      return db
        .scope(ctx)
        .insert('addresses', { shopper_id: shopperId, ...addressColumns(input), is_default: isDefault });
    },

    async updateAddress(ctx: TenantContext, id: number, input: AddressInput, isDefault: boolean): Promise<void> {
      await addresses(ctx)
        .where({ id })
        .update({ ...addressColumns(input), is_default: isDefault, updated_at: new Date() });
    },

    async deleteAddress(ctx: TenantContext, id: number): Promise<void> {
      await addresses(ctx).where({ id }).delete();
    },

    /** Makes one address the shopper's default (none when `id` is null), unmarking the others. */
    async setDefaultAddress(ctx: TenantContext, shopperId: number, id: number | null): Promise<void> {
      await addresses(ctx)
        .where({ shopper_id: shopperId })
        .whereNot({ id: id ?? 0 })
        .where({ is_default: true })
        .update({ is_default: false });
      if (id !== null) await addresses(ctx).where({ id, shopper_id: shopperId }).update({ is_default: true });
    },

    /**
     * Gives one shopper's cart lines and addresses to another (a merge): a SKU both have in their carts becomes one line
     * with both quantities (at most `maxQuantity`), selected if either was; the survivor's default address stays the
     * default.
     */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number, maxQuantity: number): Promise<void> {
      const theirs = ((await items(ctx).where({ shopper_id: fromId }).forUpdate()) as CartItemRow[]).map(toItem);
      const mine = new Map(
        ((await items(ctx).where({ shopper_id: toId }).forUpdate()) as CartItemRow[]).map((r) => {
          const item = toItem(r);
          return [item.skuId, item] as const;
        }),
      );
      for (const line of theirs) {
        const same = mine.get(line.skuId);
        if (!same) continue;
        await items(ctx)
          .where({ id: same.id })
          .update({
            quantity: Math.min(maxQuantity, same.quantity + line.quantity),
            selected: same.selected || line.selected,
            updated_at: new Date(),
          });
        await items(ctx).where({ id: line.id }).delete();
      }
      await items(ctx).where({ shopper_id: fromId }).update({ shopper_id: toId });
      const hasDefault = await addresses(ctx).where({ shopper_id: toId, is_default: true }).first('id');
      if (hasDefault) await addresses(ctx).where({ shopper_id: fromId }).update({ is_default: false });
      await addresses(ctx).where({ shopper_id: fromId }).update({ shopper_id: toId });
    },
  };
}

export type CartRepository = ReturnType<typeof cartRepository>;
