/**
 * `@shopfleet/contracts/constants`: the contracts' lists, limits, patterns and codes, with no zod. The
 * console and the shop import their values from here, so no schema (and nothing of zod) is bundled;
 * the schemas import the same declarations, so each is declared once. constants.test.ts keeps zod out
 * of this module's imports.
 */
export * from './common.constants';
export * from './errors';
export * from './permissions';
export * from './audit';
export * from './shop.constants';
export * from './onboarding.constants';
export * from './notifications.constants';
export * from './catalog.constants';
export * from './cart.constants';
export * from './orders.constants';
export * from './shipping.constants';
export * from './logistics.constants';
export * from './payments.constants';
export * from './reviews.constants';
export * from './marketing.constants';
export * from './after-sales.constants';
export * from './support.constants';
export * from './members.constants';
export * from './distribution.constants';
export * from './sharing.constants';
export * from './analytics.constants';
export * from './usage.constants';
export * from './recommendations.constants';
export * from './storefront.constants';
export * from './miniapp.constants';
export * from './wechat-text';
