export { cartRepository, type CartRepository } from './cart.repository';
export { cartService, type CartService } from './cart.service';
export { shopCartHandlers } from './cart.routes';
