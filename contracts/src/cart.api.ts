import { z } from 'zod';
import { endpoint, signedIn } from './endpoint';
import { addCartItemBodySchema, addressInputSchema, addressSchema, cartSchema, selectAllBodySchema, updateCartItemBodySchema } from './cart';
import { shopProductParamsSchema } from './catalog';
import { okSchema, shopParamsSchema } from './common';

/** The cart endpoints of `/shop-api/v1` (composed in api.ts). */
export const cartShopEndpoints = {
  listAddresses: endpoint({
    method: 'get', path: '/shops/:shopKey/addresses', summary: "The shopper's addresses, the default first", tags: ['shop: addresses'],
    access: signedIn('shopper'), params: shopParamsSchema, response: z.array(addressSchema),
  }),
  createAddress: endpoint({
    method: 'post', path: '/shops/:shopKey/addresses', summary: 'Add an address', tags: ['shop: addresses'],
    access: signedIn('shopper'), params: shopParamsSchema, body: addressInputSchema, response: addressSchema, status: 201,
  }),
  updateAddress: endpoint({
    method: 'put', path: '/shops/:shopKey/addresses/:id', summary: 'Change an address', tags: ['shop: addresses'],
    access: signedIn('shopper'), params: shopProductParamsSchema, body: addressInputSchema, response: addressSchema,
  }),
  deleteAddress: endpoint({
    method: 'delete', path: '/shops/:shopKey/addresses/:id', summary: 'Delete an address', tags: ['shop: addresses'],
    access: signedIn('shopper'), params: shopProductParamsSchema, response: okSchema,
  }),
  getCart: endpoint({
    method: 'get', path: '/shops/:shopKey/cart', summary: 'The cart, with prices and stock re-checked now', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopParamsSchema, response: cartSchema,
  }),
  addCartItem: endpoint({
    method: 'post', path: '/shops/:shopKey/cart/items', summary: 'Add a SKU (adds to the line if it is there)', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopParamsSchema, body: addCartItemBodySchema, response: cartSchema,
  }),
  updateCartItem: endpoint({
    method: 'put', path: '/shops/:shopKey/cart/items/:id', summary: 'Change quantity, selection or SKU of a line (PUT: wx.request has no PATCH)', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopProductParamsSchema, body: updateCartItemBodySchema, response: cartSchema,
  }),
  removeCartItem: endpoint({
    method: 'delete', path: '/shops/:shopKey/cart/items/:id', summary: 'Remove a line', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopProductParamsSchema, response: cartSchema,
  }),
  selectAllCartItems: endpoint({
    method: 'post', path: '/shops/:shopKey/cart/select', summary: 'Select or unselect every line', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopParamsSchema, body: selectAllBodySchema, response: cartSchema,
  }),
};
