import type { shopApi } from '@shopfleet/contracts';
import { requireTenant } from '../../kernel/context';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { CartService } from './cart.service';

export function shopCartHandlers(cart: CartService) {
  return {
    listAddresses: (ctx) => cart.addresses(requireTenant(ctx)),
    createAddress: (ctx, { body }) => cart.createAddress(requireTenant(ctx), body),
    updateAddress: (ctx, { params, body }) => cart.updateAddress(requireTenant(ctx), params.id, body),
    deleteAddress: async (ctx, { params }) => {
      await cart.deleteAddress(requireTenant(ctx), params.id);
      return { ok: true as const };
    },
    getCart: (ctx) => cart.cart(requireTenant(ctx)),
    addCartItem: (ctx, { body }) => cart.add(requireTenant(ctx), body.skuId, body.quantity),
    updateCartItem: (ctx, { params, body }) => cart.update(requireTenant(ctx), params.id, body),
    removeCartItem: (ctx, { params }) => cart.remove(requireTenant(ctx), params.id),
    selectAllCartItems: (ctx, { body }) => cart.selectAll(requireTenant(ctx), body.selected),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
