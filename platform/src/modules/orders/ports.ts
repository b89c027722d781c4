import type { CheckoutCoupon, CheckoutPoints, OrderActivityKind, OrderAfterSales } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { AppError } from '../../kernel/errors';
import type { Discount, ItemLine, PriceCalculator, PricingInput } from './pricing';

/*
 * The ports orders' workflows offer the feature modules (marketing; members' prices and points): what they
 * plug into pricing, into the placement transaction, and into the end of an order. Types only, so a module may
 * implement them without depending on the workflows (which use payments, which uses orders).
 */

/** A feature module's part in pricing a batch of orders (or one preview). */
export interface PricingPart {
  /** Its calculators, each run in its stage (see ../pricing); their discounts are split over the lines and stored. */
  calculators: Array<PriceCalculator<ItemLine>>;
  /** The name an order shows for a discount it gave (a coupon's, a promotion's, a level's). */
  nameOf?(d: Discount): string | undefined;
  /** After an order is priced: the shopper's coupons for it, usable or why not, best first (checkout's list). */
  couponsFor?(input: PricingInput): CheckoutCoupon[];
  /** After an order is priced: the shopper's points for it (checkout's offer), or null when the shop gives none. */
  pointsFor?(input: PricingInput): CheckoutPoints | null;
  /** After an order is priced: the points it uses. */
  pointsUsed?(input: PricingInput): number;
}

/** What a batch of orders (or one preview) asks of pricing: each order's input, the products of their lines, the time. */
export interface PricingBatch {
  inputs: readonly PricingInput[];
  productIds: readonly number[];
  at: Date;
}

/**
 * A feature module's part in pricing (member prices, promotions, coupons, points) for a batch of one shop's orders — or
 * for one preview — given what each order asks, so that it reads what it needs for all of them at once. Each order is
 * then priced with the very input object it was given here.
 */
export type PricingSlot = (ctx: TenantContext, batch: PricingBatch) => Promise<PricingPart>;

/** A placed order with what it was given: the coupon it used and every discount, for the campaigns' records. */
export interface PlacedWithDiscounts {
  orderId: number;
  shopperId: number;
  totalFen: number;
  discounts: Discount[];
}

/**
 * What placing orders asks of the module that owns coupons and campaigns, in the placement's transaction: hold the
 * coupons the drafts use (locked after the unpaid counts and before the SKUs), then record what the placed orders used.
 */
export interface OrderOffers {
  /** Locks these coupons; for each that can no longer be used by that shopper, why (an error to refuse its order with). */
  hold(
    tctx: TenantContext,
    uses: Array<{ couponId: number; shopperId: number }>,
    at: Date,
  ): Promise<Map<number, AppError>>;
  /** Marks the coupons used by their orders and records each campaign's part in them. */
  record(tctx: TenantContext, placed: PlacedWithDiscounts[], at: Date): Promise<void>;
}

/**
 * The campaign an order is placed in (a flash item), with what the campaign's gate decided before placement: the
 * reservation that let the order through (one order per reservation), the order's payment window, and whether the
 * campaign set its own stock aside (then the order takes none of the SKU's).
 */
export interface OrderActivity {
  kind: OrderActivityKind;
  /** The campaign's record: a flash item; a group campaign. */
  id: number;
  /** 拼团: the group joined, or null to start one. */
  groupId?: number | null;
  reservation: string;
  /** The order's payment window, when the campaign has its own. */
  paymentWindowMinutes: number | null;
  ownStock: boolean;
}

/** An order placed in a campaign, for the campaign's records. */
export interface PlacedInActivity {
  orderId: number;
  shopperId: number;
  activity: OrderActivity;
  quantity: number;
  totalFen: number;
}

/**
 * What placing an order in a campaign asks of the module that runs it, in the placement's transaction: `take` its
 * part once every other check has passed (the campaign's stock, the shopper's limit) or say why not, taking nothing;
 * then `record` the orders placed.
 */
export interface ActivityOffers {
  /** Taken: the record the order belongs to (a flash item, the group joined or started); or why not. */
  take(
    tctx: TenantContext,
    order: { shopperId: number; activity: OrderActivity; quantity: number },
    at: Date,
  ): Promise<{ refused: AppError } | { id: number; waiting: boolean }>;
  record(tctx: TenantContext, placed: PlacedInActivity[], at: Date): Promise<void>;
}

/**
 * What an order means to its shopper's membership (the members module's), in the transactions of the order's life:
 * points spent when it is placed, points and growth earned when it is paid, their share taken back when it is refunded,
 * and the points it spent returned when it closes.
 */
export interface OrderMembership {
  /**
   * Placement, after the SKUs are locked: locks the shoppers' points (so that the member rows are always taken after the
   * SKUs) and says what each can spend.
   */
  lockPoints(tctx: TenantContext, shopperIds: number[], at: Date): Promise<Map<number, number>>;
  /** Placement: the placed orders spend the points they were priced with. */
  spendPoints(
    tctx: TenantContext,
    placed: Array<{ orderId: number; shopperId: number; points: number }>,
    at: Date,
  ): Promise<void>;
  /** The order was paid; `goodsPaidFen` is what was paid for its goods (shipping apart). */
  orderPaid(tctx: TenantContext, order: { orderId: number; shopperId: number; goodsPaidFen: number }): Promise<void>;
  /** `amountFen` more of the paid order was refunded. */
  orderRefunded(tctx: TenantContext, orderId: number, amountFen: number): Promise<void>;
  /** The order closed: unpaid, or paid and refunded in full. */
  orderClosed(tctx: TenantContext, orderId: number, how: { paid: boolean }): Promise<void>;
}

/**
 * What an order means to distribution (the distribution module's), in the transactions of the order's life: commission
 * counted when it is paid (from what was paid for each line), its share taken back when it is refunded, all of it when
 * the order closes paid.
 */
export interface OrderCommission {
  orderPaid(
    tctx: TenantContext,
    order: { orderId: number; shopperId: number; lines: Array<{ productId: number; paidFen: number }> },
  ): Promise<void>;
  orderRefunded(tctx: TenantContext, orderId: number, amountFen: number): Promise<void>;
  orderClosed(tctx: TenantContext, orderId: number, how: { paid: boolean }): Promise<void>;
}

/**
 * What an order's life means to the shop's figures (the analytics module's events), in the transactions of that life, so
 * that no figure counts a change that rolled back nor misses one that committed.
 */
export interface OrderFigures {
  ordersPlaced(
    tctx: TenantContext,
    placed: Array<{ orderId: number; shopperId: number; totalFen: number; at: Date }>,
  ): Promise<void>;
  /** Paid: `paidFen` in all, and what was paid for each line. */
  orderPaid(
    tctx: TenantContext,
    order: {
      orderId: number;
      shopperId: number;
      paidFen: number;
      lines: Array<{ productId: number; quantity: number; paidFen: number }>;
      at: Date;
    },
  ): Promise<void>;
  orderRefunded(
    tctx: TenantContext,
    refund: { refundId: number; orderId: number; shopperId: number; amountFen: number; at: Date },
  ): Promise<void>;
}

/** The after-sales cases of orders, for their views (the after-sales module's). */
export interface AfterSalesOfOrders {
  ofOrders(ctx: TenantContext, orderIds: number[]): Promise<Map<number, OrderAfterSales[]>>;
}

/** What an order's end means to the module that owns coupons and campaigns (in the transaction that closes it). */
export interface OrderLifecycleOffers {
  /**
   * The order closed — cancelled, its payment window ended, or refunded in full: its coupon comes back (an unpaid
   * order's always; a paid one's only while still valid at `at`) and its campaigns no longer count it as paid. True
   * when a campaign took the order's goods back into its own stock (an unpaid 秒杀 order while its session runs): they
   * then do not go back to the SKUs.
   */
  orderClosed(tctx: TenantContext, orderId: number, how: { paid: boolean; at: Date }): Promise<boolean>;
  /** The order was paid: its campaigns count it. */
  orderPaid(tctx: TenantContext, orderId: number): Promise<void>;
}
