import {
  ADDRESSES_MAX,
  CART_LINES_MAX,
  CART_QUANTITY_MAX,
  type Address,
  type AddressInput,
  type Cart,
  type CartLine,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { shopperIdOf } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { retryOnDeadlock } from '../../kernel/db/retry';
import type { CatalogService, ImagesService, SkuFacts } from '../catalog';
import type { CartItem, CartRepository } from './cart.repository';

const OTHER_PRODUCT = { reason: 'SKU_OTHER_PRODUCT', message: 'the new SKU must be of the same product' } as const;

export interface CartDeps {
  repo: CartRepository;
  tx: Transactions;
  images: ImagesService;
  /** The catalog's view of SKUs: cart lines are priced and checked from it on every read. */
  catalog: Pick<CatalogService, 'skuFacts'>;
}

/**
 * A shopper's addresses and cart, in one shop. Every read of the cart re-reads prices and stock, so a
 * line never shows a stale price, and a product taken off sale or sold out is shown as such.
 */
export function cartService(deps: CartDeps) {
  const { repo } = deps;

  /** Why a line cannot be bought as it is, or null when it can. */
  function unavailable(sku: SkuFacts | undefined, quantity: number): CartLine['unavailableReason'] {
    if (!sku || sku.deleted) return 'deleted';
    if (sku.productStatus !== 'on_sale') return 'off_sale';
    if (sku.stock <= 0) return 'out_of_stock';
    if (sku.stock < quantity) return 'insufficient_stock';
    return null;
  }

  async function cart(ctx: TenantContext): Promise<Cart> {
    const items = await repo.lines(ctx, shopperIdOf(ctx));
    const skus = await deps.catalog.skuFacts(
      ctx,
      items.map((i) => i.skuId),
    );
    const images = await deps.images.byIds(
      ctx,
      [...skus.values()].flatMap((s) => (s.imageId ? [s.imageId] : [])),
    );
    const lines: CartLine[] = items.map((item) => {
      const sku = skus.get(item.skuId);
      const reason = unavailable(sku, item.quantity);
      return {
        id: item.id,
        skuId: item.skuId,
        productId: sku?.productId ?? 0,
        title: sku?.title ?? '',
        specValues: sku?.specValues ?? [],
        image: sku?.imageId ? (images.get(sku.imageId) ?? null) : null,
        priceFen: sku?.priceFen ?? 0,
        quantity: item.quantity,
        selected: item.selected,
        available: reason === null,
        unavailableReason: reason,
        stockLeft: reason === 'insufficient_stock' ? sku!.stock : null,
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
  async function sellableSku(ctx: TenantContext, skuId: number): Promise<SkuFacts> {
    const sku = (await deps.catalog.skuFacts(ctx, [skuId])).get(skuId);
    if (!sku?.forSale) throw new NotFoundError('PRODUCT_NOT_FOUND');
    return sku;
  }

  async function line(ctx: TenantContext, shopperId: number, id: number): Promise<CartItem> {
    const found = await repo.line(ctx, shopperId, id);
    if (!found) throw new NotFoundError('CART_LINE_NOT_FOUND');
    return found;
  }

  async function address(ctx: TenantContext, shopperId: number, id: number): Promise<Address> {
    const found = await repo.address(ctx, shopperId, id);
    if (!found) throw new NotFoundError('ADDRESS_NOT_FOUND');
    return found;
  }

  return {
    cart,

    /** Adds a SKU: to its line if the cart has it (capped at 99), else as a new selected line. */
    async add(ctx: TenantContext, skuId: number, quantity: number): Promise<Cart> {
      const shopperId = shopperIdOf(ctx);
      await deps.tx.transaction(ctx, async (tctx) => {
        const sku = await sellableSku(tctx, skuId);
        if (sku.stock <= 0)
          throw new ConflictError(
            { reason: 'SKU_SOLD_OUT', message: 'This item is sold out' },
            { reason: 'out_of_stock' },
          );
        const existing = await repo.lineOfSku(tctx, shopperId, skuId, { lock: true });
        if (existing) {
          await repo.updateLine(tctx, existing.id, {
            quantity: Math.min(CART_QUANTITY_MAX, existing.quantity + quantity),
            selected: true,
          });
          return;
        }
        if ((await repo.lineCount(tctx, shopperId)) >= CART_LINES_MAX) {
          throw new ConflictError({
            reason: 'CART_FULL',
            params: { max: CART_LINES_MAX },
            message: `A cart holds at most ${CART_LINES_MAX} lines`,
          });
        }
        await repo.addLine(tctx, shopperId, skuId, quantity);
      });
      return cart(ctx);
    },

    /** Changes a line's quantity, selection, or SKU (within the same product; merging into a line that has it). */
    async update(
      ctx: TenantContext,
      id: number,
      patch: { quantity?: number; selected?: boolean; skuId?: number },
    ): Promise<Cart> {
      const shopperId = shopperIdOf(ctx);
      await deps.tx.transaction(ctx, async (tctx) => {
        const current = await line(tctx, shopperId, id);
        if (patch.skuId !== undefined && patch.skuId !== current.skuId) {
          const [from, to] = await Promise.all([
            deps.catalog.skuFacts(tctx, [current.skuId]).then((m) => m.get(current.skuId)),
            sellableSku(tctx, patch.skuId),
          ]);
          if (!from || from.productId !== to.productId)
            throw new ValidationError(OTHER_PRODUCT, { issues: [issue('body.skuId', OTHER_PRODUCT)] });
          const twin = await repo.lineOfSku(tctx, shopperId, patch.skuId);
          if (twin) {
            await repo.updateLine(tctx, twin.id, {
              quantity: Math.min(CART_QUANTITY_MAX, twin.quantity + (patch.quantity ?? current.quantity)),
            });
            await repo.deleteLine(tctx, shopperId, id);
            return;
          }
        }
        const skuId = patch.skuId !== undefined && patch.skuId !== current.skuId ? patch.skuId : undefined;
        await repo.updateLine(tctx, id, { quantity: patch.quantity, selected: patch.selected, skuId });
      });
      return cart(ctx);
    },

    async remove(ctx: TenantContext, id: number): Promise<Cart> {
      const shopperId = shopperIdOf(ctx);
      await line(ctx, shopperId, id);
      await repo.deleteLine(ctx, shopperId, id);
      return cart(ctx);
    },

    async selectAll(ctx: TenantContext, selected: boolean): Promise<Cart> {
      await repo.selectAll(ctx, shopperIdOf(ctx), selected);
      return cart(ctx);
    },

    /** Takes ordered SKUs out of their shoppers' carts, in the context's transaction (the orders' placement). */
    removeOrdered: (ctx: TenantContext, pairs: Array<[shopperId: number, skuId: number]>): Promise<void> =>
      repo.deleteLinesOf(ctx, pairs),

    /** Addresses by id with the shopper each belongs to, in one query (a batch of orders placed together). */
    addressesByIds: (ctx: TenantContext, ids: number[]) => repo.addressesByIds(ctx, ids),

    addresses: (ctx: TenantContext): Promise<Address[]> => repo.addresses(ctx, shopperIdOf(ctx)),

    /** Adds an address (at most 20); the first one, or one marked default, becomes the only default. */
    async createAddress(ctx: TenantContext, input: AddressInput): Promise<Address> {
      const shopperId = shopperIdOf(ctx);
      const id = await retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx) => {
          const n = await repo.addressCount(tctx, shopperId);
          if (n >= ADDRESSES_MAX)
            throw new ConflictError({
              reason: 'ADDRESSES_FULL',
              params: { max: ADDRESSES_MAX },
              message: `At most ${ADDRESSES_MAX} addresses`,
            });
          const isDefault = input.isDefault || n === 0;
          if (isDefault && n > 0) await repo.setDefaultAddress(tctx, shopperId, null);
          return repo.insertAddress(tctx, shopperId, input, isDefault);
        }),
      );
      return address(ctx, shopperId, id);
    },

    async updateAddress(ctx: TenantContext, id: number, input: AddressInput): Promise<Address> {
      const shopperId = shopperIdOf(ctx);
      await retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx) => {
          const found = await address(tctx, shopperId, id);
          if (input.isDefault) await repo.setDefaultAddress(tctx, shopperId, null);
          await repo.updateAddress(tctx, id, input, input.isDefault || found.isDefault);
        }),
      );
      return address(ctx, shopperId, id);
    },

    /**
     * A merge (in its transaction): the cart lines and addresses of `fromId` become `toId`'s, a SKU in both carts one
     * line with both quantities (capped as the cart caps a line). Nothing is dropped: the survivor may hold more lines
     * or addresses than a shopper may add.
     */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<void> =>
      repo.reassignShopper(tctx, fromId, toId, CART_QUANTITY_MAX),

    /** Deletes an address; if it was the default, the newest remaining one becomes the default. */
    async deleteAddress(ctx: TenantContext, id: number): Promise<void> {
      const shopperId = shopperIdOf(ctx);
      await deps.tx.transaction(ctx, async (tctx) => {
        const found = await address(tctx, shopperId, id);
        await repo.deleteAddress(tctx, id);
        if (!found.isDefault) return;
        const next = await repo.newestAddress(tctx, shopperId);
        if (next) await repo.setDefaultAddress(tctx, shopperId, next.id);
      });
    },
  };
}

export type CartService = ReturnType<typeof cartService>;
