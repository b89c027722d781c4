import { allocate, assertFen } from './allocate';
import { DISCOUNT_STAGES, PRICING_STAGES } from './pricing.types';
import type {
  Discount,
  DiscountStage,
  DiscountRequest,
  ItemLine,
  PriceCalculator,
  PricedLine,
  PricedOrder,
  PricingDraft,
  PricingInput,
  PricingStage,
} from './pricing.types';

const rank = (stage: PricingStage) => PRICING_STAGES.indexOf(stage);
const isDiscountStage = (stage: PricingStage): stage is DiscountStage =>
  (DISCOUNT_STAGES as readonly PricingStage[]).includes(stage);

/** Calculators sorted into their stages; the order among those of one stage is kept (for lists put together from several modules). */
export function inStageOrder<C extends { stage: PricingStage }>(calculators: readonly C[]): C[] {
  return [...calculators].sort((a, b) => rank(a.stage) - rank(b.stage));
}

/**
 * The pricing of an order: an ordered list of calculators, items → member → promotion → coupon → points → shipping.
 * A list out of that order is refused when the pipeline is built (a coupon priced before a promotion would take its
 * share of a price the promotion then lowers); calculators of one stage run in the order listed. Each calculator may do
 * only what its stage does (add lines, take a discount, set the shipping fee): anything else throws.
 *
 * Pure: no database. A calculator that needs data gets it from whoever builds it (checkout reads a batch's SKUs once).
 */
export function pricingPipeline<L extends ItemLine>(calculators: ReadonlyArray<PriceCalculator<L>>) {
  for (const [i, c] of calculators.entries()) {
    if (!PRICING_STAGES.includes(c.stage))
      throw new Error(`pricing: calculator ${c.name} has no stage ${String(c.stage)}`);
    const before = calculators[i - 1];
    if (before && rank(before.stage) > rank(c.stage)) {
      const order = PRICING_STAGES.join(' → ');
      throw new Error(
        `pricing: calculator ${c.name} (${c.stage}) is listed after ${before.name} (${before.stage}); the stages run ${order}`,
      );
    }
  }
  return {
    /** Prices the order: runs every calculator in turn and returns the lines with their shares and the order's totals. */
    async price(input: PricingInput): Promise<PricedOrder<L>> {
      const draft = new Draft<L>(input);
      for (const c of calculators) {
        draft.enter(c);
        const pending = c.price(draft);
        if (pending) await pending;
      }
      return draft.result();
    },
  };
}

export type PricingPipeline<L extends ItemLine> = ReturnType<typeof pricingPipeline<L>>;

class Draft<L extends ItemLine> implements PricingDraft<L> {
  readonly lines: Array<PricedLine<L>> = [];
  private readonly discounts: Discount[] = [];
  private current: PriceCalculator<L> | null = null;
  private shippingFen: number | null = null;
  itemsTotalFen = 0;
  private discountFen = 0;

  constructor(readonly input: PricingInput) {}

  get stage(): PricingStage {
    return this.current?.stage ?? 'items';
  }

  get itemsPayableFen(): number {
    return this.itemsTotalFen - this.discountFen;
  }

  enter(calculator: PriceCalculator<L>): void {
    this.current = calculator;
  }

  private refuse(what: string): never {
    throw new Error(`pricing: calculator ${this.current?.name} (${this.stage}) cannot ${what}`);
  }

  addLine(line: L): void {
    if (this.stage !== 'items') this.refuse('add a line: lines are added at the items stage');
    assertFen(line.unitPriceFen, 'a unit price');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
      throw new RangeError(`a quantity must be a whole number from 1 (got ${line.quantity})`);
    const subtotalFen = line.unitPriceFen * line.quantity;
    assertFen(subtotalFen, 'a subtotal');
    // Object.assign, not a spread: on Node 20 spreading a line of this shape cost about 4 µs, most of pricing an order.
    this.lines.push(Object.assign({}, line, { subtotalFen, discounts: [], discountFen: 0, payableFen: subtotalFen }));
    this.itemsTotalFen += subtotalFen;
  }

  discount(request: DiscountRequest<L>): number {
    const stage = this.stage;
    if (!isDiscountStage(stage))
      this.refuse(`take a discount: discounts are taken at the ${DISCOUNT_STAGES.join(', ')} stages`);
    const { appliesTo } = request;
    const shares = allocate(
      request.amountFen,
      this.lines.map((l, i) => (!appliesTo || appliesTo(l, i) ? l.payableFen : 0)),
    );
    let taken = 0;
    for (const [i, fen] of shares.entries()) {
      if (fen === 0) continue;
      const line = this.lines[i]!;
      line.discounts.push({ stage, source: request.source, sourceId: request.sourceId, fen });
      line.discountFen += fen;
      line.payableFen -= fen;
      taken += fen;
    }
    if (taken > 0) {
      this.discounts.push({ stage, source: request.source, sourceId: request.sourceId, fen: taken });
      this.discountFen += taken;
    }
    return taken;
  }

  setShipping(fen: number): void {
    if (this.stage !== 'shipping') this.refuse('set the shipping fee: it is set at the shipping stage');
    if (this.shippingFen !== null) this.refuse('set the shipping fee twice');
    assertFen(fen, 'a shipping fee');
    this.shippingFen = fen;
  }

  result(): PricedOrder<L> {
    const shippingFen = this.shippingFen ?? 0;
    const itemsPayableFen = this.itemsPayableFen;
    return {
      lines: this.lines,
      itemsTotalFen: this.itemsTotalFen,
      discounts: this.discounts,
      discountFen: this.discountFen,
      itemsPayableFen,
      shippingFen,
      totalFen: itemsPayableFen + shippingFen,
    };
  }
}
