import type { shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { CartService } from './cart.service';

export function shopCartHandlers(cart: CartService) {
  return {
    listAddresses: (ctx) => cart.addresses(ctx),
    createAddress: (ctx, { body }) => cart.createAddress(ctx, body),
    updateAddress: (ctx, { params, body }) => cart.updateAddress(ctx, params.id, body),
    deleteAddress: async (ctx, { params }) => {
      await cart.deleteAddress(ctx, params.id);
      return { ok: true as const };
    },
    getCart: (ctx) => cart.cart(ctx),
    addCartItem: (ctx, { body }) => cart.add(ctx, body.skuId, body.quantity),
    updateCartItem: (ctx, { params, body }) => cart.update(ctx, params.id, body),
    removeCartItem: (ctx, { params }) => cart.remove(ctx, params.id),
    selectAllCartItems: (ctx, { body }) => cart.selectAll(ctx, body.selected),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
