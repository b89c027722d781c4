import type { OrderActivityKind } from '@shopfleet/contracts';

/**
 * The stages of pricing, in the order they run: item prices, a campaign's price (秒杀), member price, promotions
 * (限时折扣, 满减/满折), coupons, points deduction, shipping. Youzan's order, as yudao's TradePriceCalculator chain
 * follows it: each discount is taken from what the stages before it left payable.
 */
export const PRICING_STAGES = ['items', 'activity', 'member', 'promotion', 'coupon', 'points', 'shipping'] as const;
export type PricingStage = (typeof PRICING_STAGES)[number];

/** The stages that take money off the items; each of their discounts is split over the lines it applies to. */
export type DiscountStage = Exclude<PricingStage, 'items' | 'shipping'>;
export const DISCOUNT_STAGES: readonly DiscountStage[] = ['activity', 'member', 'promotion', 'coupon', 'points'];

/** What is priced: who buys, where it goes, and what they ask for (one entry per SKU). */
export interface PricingInput {
  shopperId: number;
  /** The delivery address's district code (GB/T 2260). */
  regionCode: string;
  lines: ReadonlyArray<{ skuId: number; quantity: number }>;
  /** The coupon the shopper chose: absent, the one that saves the most; null, none. */
  couponId?: number | null;
  /** Pay part of the order with points (the `points` stage: as many as the shop lets the order take). */
  usePoints?: boolean;
  /**
   * The campaign the order is placed in (a flash item): it prices the order alone, with no member price, promotion,
   * coupon or points.
   */
  activity?: { kind: OrderActivityKind; id: number; ownStock: boolean; leader?: boolean };
}

/** A line as the `items` stage prices it. A caller may carry more fields (a title, an image): they travel through untouched. */
export interface ItemLine {
  skuId: number;
  productId: number;
  /** The product's category; null when the caller did not read it. */
  categoryId: number | null;
  /** The category with its ancestors, root first (a coupon for 服装 applies to a T恤 product too); empty when not read. */
  categoryPath: readonly number[];
  unitPriceFen: number;
  quantity: number;
}

/** Where a discount comes from: its stage, its kind (`coupon`, `full_reduction`, `points` …) and the record that granted it. */
export interface DiscountSource {
  /** `adjustment`: the merchant's change of an unpaid order's price, after checkout (see order-ops.service.ts). */
  stage: DiscountStage | 'adjustment';
  source: string;
  sourceId: number | null;
}

/** A discount's share of one line, or the whole of one discount on the order. */
export interface Discount extends DiscountSource {
  fen: number;
}

/** A priced line: its subtotal, each discount's share of it, and what is left to pay for it (never below 0). */
export type PricedLine<L extends ItemLine = ItemLine> = L & {
  subtotalFen: number;
  /** Each discount's share of this line, in the order applied; a discount that took nothing here is absent. */
  discounts: Discount[];
  /** Σ discounts[].fen. */
  discountFen: number;
  /** subtotalFen − discountFen. */
  payableFen: number;
};

/**
 * An order priced. Invariants (property-tested): for each discount, its shares over the lines sum to it exactly;
 * Σ lines' payableFen = itemsPayableFen = itemsTotalFen − discountFen; totalFen = itemsPayableFen + shippingFen.
 */
export interface PricedOrder<L extends ItemLine = ItemLine> {
  lines: Array<PricedLine<L>>;
  itemsTotalFen: number;
  /** Every discount that took something, in the order applied. */
  discounts: Discount[];
  discountFen: number;
  itemsPayableFen: number;
  shippingFen: number;
  totalFen: number;
}

/** A discount a calculator asks for. */
export interface DiscountRequest<L extends ItemLine = ItemLine> {
  source: string;
  sourceId: number | null;
  /** What it takes off at most: less when the lines it applies to have less left to pay. */
  amountFen: number;
  /** The lines it applies to (a coupon for one category); every line when absent. */
  appliesTo?: (line: Readonly<PricedLine<L>>, index: number) => boolean;
}

/** The order being priced, as a calculator sees it: what the stages before it left, and what its own stage may do. */
export interface PricingDraft<L extends ItemLine = ItemLine> {
  readonly input: PricingInput;
  readonly stage: PricingStage;
  readonly lines: ReadonlyArray<Readonly<PricedLine<L>>>;
  readonly itemsTotalFen: number;
  /** What the lines have left to pay after the discounts so far. */
  readonly itemsPayableFen: number;
  /** `items` stage only: a line at its unit price. */
  addLine(line: L): void;
  /** Discount stages only: takes a discount off the lines it applies to, split to the fen; returns what it took. */
  discount(request: DiscountRequest<L>): number;
  /** `shipping` stage only, once: the shipping fee. */
  setShipping(fen: number): void;
}

/**
 * One step of pricing. A feature module (coupons, promotions, member prices, points) provides one for its stage;
 * checkout lists them, and the pipeline runs them in stage order.
 */
export interface PriceCalculator<L extends ItemLine = ItemLine> {
  readonly stage: PricingStage;
  /** Names the calculator in errors. */
  readonly name: string;
  price(draft: PricingDraft<L>): void | Promise<void>;
}
