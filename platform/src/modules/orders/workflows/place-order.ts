import {
  ORDER_JOBS,
  QUEUES,
  type Address,
  type CatalogImage,
  type CheckoutBody,
  type CartEstimate,
  type Order,
  type OrderDiscount,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import { shopperIdOf } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError, issue } from '../../../kernel/errors';
import { yuan } from '../../../kernel/money';
import { isDuplicateKey } from '../../../kernel/db/rows';
import { retryOnDeadlock } from '../../../kernel/db/retry';
import { BatchLine } from '../../../kernel/batch-line';
import type { Queues } from '../../../kernel/queue';
import type { CartService } from '../../cart';
import type { CatalogService, ImagesService, SkuFacts, StockService } from '../../catalog';
import type { TenantsService } from '../../tenants';
import type { FreightTemplatesService } from '../freight-templates.service';
import type { OrdersService } from '../orders.service';
import type { NewOrder, OrderLine } from '../orders.repository';
import { forShopper, isOrderNoTaken, lineView, orderNo, toOrder } from '../order-rows';
import {
  inStageOrder,
  pricingPipeline,
  type Discount,
  type ItemLine,
  type PriceCalculator,
  type PricedLine,
  type PricedOrder,
  type PricingInput,
} from '../pricing';
import type {
  ActivityOffers,
  OrderActivity,
  OrderFigures,
  OrderMembership,
  OrderOffers,
  PricingBatch,
  PricingPart,
  PricingSlot,
} from '../ports';

export interface PlaceOrderDeps {
  tx: Transactions;
  orders: Pick<OrdersService, 'placement' | 'asShopperSees'>;
  tenants: Pick<TenantsService, 'isActive'>;
  images: Pick<ImagesService, 'byIds'>;
  /** The catalog's view of SKUs (price, stock, image, category, on sale or not). */
  catalog: Pick<CatalogService, 'skuFacts'>;
  /** Stock moves, in the placement's transaction. */
  stock: Pick<StockService, 'lock' | 'take'>;
  cart: Pick<CartService, 'cart' | 'addressesByIds' | 'removeOrdered'>;
  /** The shop's settings and the freight of an order (its templates, cached). */
  shipping: Pick<FreightTemplatesService, 'settings' | 'quote'>;
  queues: Queues;
  maxUnpaid: number;
  /** Batches of orders placed at once by this process, orders in one batch at most, and how many may wait. */
  placement: { concurrency: number; batch: number; queue: number };
  now?: () => Date;
  /** The feature modules' pricing, in any order (each calculator runs in its stage). */
  pricing?: PricingSlot[];
  /** Coupons and campaigns: held and recorded as orders are written. */
  offers?: OrderOffers;
  /** The campaigns orders are placed in (秒杀): their part taken and recorded as orders are written. */
  activities?: ActivityOffers;
  /** Members: the points orders are priced with, spent as they are written. */
  membership?: Pick<OrderMembership, 'lockPoints' | 'spendPoints'>;
  /** The shop's figures: the orders placed. */
  figures?: Pick<OrderFigures, 'ordersPlaced'>;
}

/** A line as the shopper sees it: what pricing needs, what the catalog shows, and what freight counts. */
interface ShownLine extends ItemLine {
  title: string;
  specValues: string[];
  imageUrl: string | null;
  /** The product's freight template (null: the shop's default), and one unit's weight (g) and volume (cm³). */
  freightTemplateId: number | null;
  weightGrams: number;
  volumeCm3: number;
}

type Wanted = Array<{ skuId: number; quantity: number }>;

/** One shopper's request to place an order. */
interface Ask {
  ctx: TenantContext;
  shopperId: number;
  body: CheckoutBody;
  key: string;
  /** The campaign the order is placed in, past its gate. */
  activity?: OrderActivity;
}

/** An order priced and ready to be written: the order, its lines, its discounts, and when its payment window ends. */
interface Draft {
  ask: Ask;
  order: NewOrder;
  lines: OrderLine[];
  discounts: Discount[];
  /** The coupon it uses, if any. */
  couponId: number | null;
  /** The points it uses (0: none). */
  points: number;
  activity: OrderActivity | null;
  windowMs: number;
  /** Its products limited per shopper (限购), with the units it orders of each. */
  limited: Limited[];
}

/** A product limited per shopper in an order: the units ordered, the limit, the title to say it with. */
interface Limited {
  productId: number;
  units: number;
  perShopper: number;
  title: string;
}

/**
 * What one write of drafts did: the orders placed, the drafts whose key another request had placed
 * meanwhile (with that order's id), and the drafts refused, with why.
 */
interface Written {
  placed: Array<{ draft: Draft; id: number }>;
  replayed: Array<{ draft: Draft; id: number }>;
  refused: Array<{ draft: Draft; error: unknown }>;
}

/** The order now prices otherwise than the total its shopper was shown: nothing is placed, the new total is said. */
const priceChanged = (totalFen: number) =>
  new ConflictError(
    {
      reason: 'PRICE_CHANGED',
      params: { total: yuan(totalFen) },
      message: `The order now comes to ¥${yuan(totalFen)}`,
    },
    { totalFen },
  );

/** A product's purchase limit (限购) passed: nothing is placed; the product, its limit and what was bought are said. */
function overLimit(per: 'order' | 'shopper', title: string, limit: number, bought = 0): ConflictError {
  return per === 'order'
    ? new ConflictError({
        reason: 'PURCHASE_LIMIT_PER_ORDER',
        params: { title, limit },
        message: `At most ${limit} of ${title} in one order`,
      })
    : new ConflictError({
        reason: 'PURCHASE_LIMIT_PER_SHOPPER',
        params: { title, limit, bought },
        message: `At most ${limit} of ${title} per shopper; ${bought} ordered already`,
      });
}

/**
 * An order's lines against their products' limits: more units of a product than one order may hold is refused here;
 * the products limited per shopper are returned, to be judged against what the shopper ordered before.
 */
function orderLimits(wanted: Readonly<Wanted>, skus: Map<number, SkuFacts>): Limited[] {
  const units = new Map<number, { facts: SkuFacts; units: number }>();
  for (const w of wanted) {
    const facts = skus.get(w.skuId);
    if (!facts) continue;
    const seen = units.get(facts.productId);
    if (seen) seen.units += w.quantity;
    else units.set(facts.productId, { facts, units: w.quantity });
  }
  const limited: Limited[] = [];
  for (const [productId, { facts, units: n }] of units) {
    const { perOrder, perShopper } = facts.limits;
    if (perOrder !== null && n > perOrder) throw overLimit('order', facts.title, perOrder);
    if (perShopper !== null) limited.push({ productId, units: n, perShopper, title: facts.title });
  }
  return limited;
}

/** The first product an order would take past its limit per shopper, given what each shopper ordered before. */
function pastShopperLimit(shopperId: number, limited: readonly Limited[], bought: Map<string, number>) {
  for (const l of limited) {
    const before = bought.get(`${shopperId}:${l.productId}`) ?? 0;
    if (before + l.units > l.perShopper) return overLimit('shopper', l.title, l.perShopper, before);
  }
  return null;
}

/** Counts an order's limited units as ordered by its shopper. */
function addUnits(bought: Map<string, number>, shopperId: number, limited: readonly Limited[]): void {
  for (const l of limited) {
    const key = `${shopperId}:${l.productId}`;
    bought.set(key, (bought.get(key) ?? 0) + l.units);
  }
}

/** The order's discounts as it shows them: one per source, with its name. */
function orderDiscounts(discounts: readonly Discount[], parts: readonly PricingPart[]): OrderDiscount[] {
  const bySource = new Map<string, OrderDiscount>();
  for (const d of discounts) {
    const key = `${d.source}:${d.sourceId}`;
    const seen = bySource.get(key);
    if (seen) seen.fen += d.fen;
    else
      bySource.set(key, {
        source: d.source as OrderDiscount['source'],
        sourceId: d.sourceId ?? 0,
        name: parts.map((p) => p.nameOf?.(d)).find((n) => n !== undefined) ?? d.source,
        fen: d.fen,
      });
  }
  return [...bySource.values()];
}

const couponOf = (discounts: readonly Discount[]) => discounts.find((d) => d.source === 'coupon')?.sourceId ?? null;

const tooManyUnpaid = (max: number) =>
  new AppError(
    'CONFLICT',
    { reason: 'TOO_MANY_UNPAID', params: { max }, message: `Pay or cancel your unpaid orders first (at most ${max})` },
    409,
    { reason: 'too_many_unpaid', max },
  );

/**
 * Placing an order (and its preview), the workflow of checkout: read the shop's state, the shoppers' open orders, their
 * addresses and carts (cart), the SKUs (catalog); price each order through the pricing pipeline (the feature modules'
 * calculators, then freight); then, in one transaction, lock the unpaid counts (orders) and the SKUs (catalog's stock),
 * take the stock, write the orders (orders) and take the ordered lines out of the carts (cart); then schedule each
 * order's payment window.
 *
 * Prices always come from the server. Prices always come from the server. An order is
 * placed once per Idempotency-Key, its stock taken atomically (the SKU rows locked, taken only while
 * enough is left) and its payment window scheduled.
 *
 * Orders are placed in batches (`BatchLine`): under a rush the orders of one shop that arrived while the
 * previous batches were being written are placed together — their reads as one query each and their
 * writes in one transaction — and each one still succeeds or fails on its own. Under no load a batch is
 * one order. Stock goes to the orders of a batch in arrival order; an order that cannot have all its
 * lines takes none of them.
 */
export function placeOrderWorkflow(deps: PlaceOrderDeps) {
  const now = deps.now ?? (() => new Date());
  const line = new BatchLine<Ask, Order>({
    concurrency: deps.placement.concurrency,
    maxBatch: deps.placement.batch,
    maxWaiting: deps.placement.queue,
    busyMessage: 'Many orders are being placed right now; try again in a moment',
    serve: (_tenantId, asks) => placeBatch(asks),
  });

  /** The SKUs on sale among `skuIds`, by SKU id. */
  async function forSale(ctx: TenantContext, skuIds: number[]): Promise<Map<number, SkuFacts>> {
    const facts = await deps.catalog.skuFacts(ctx, skuIds);
    return new Map([...facts].filter(([, f]) => f.forSale));
  }

  const imagesOf = (ctx: TenantContext, skus: Iterable<SkuFacts>) =>
    deps.images.byIds(
      ctx,
      [...skus].flatMap((s) => (s.imageId ? [s.imageId] : [])),
    );

  /**
   * Lines at today's prices; a SKU not for sale, or without stock enough, is a 409 naming it. A campaign with its own
   * stock (秒杀) answers for the stock itself.
   */
  function priceLines(
    wanted: Readonly<Wanted>,
    skus: Map<number, SkuFacts>,
    images: Map<number, CatalogImage>,
    ownStock = false,
  ): ShownLine[] {
    if (wanted.length === 0)
      throw new ValidationError(
        { reason: 'NOTHING_SELECTED', message: 'nothing to buy' },
        { issues: [issue('body', { reason: 'NOTHING_SELECTED', message: 'no selected lines' })] },
      );
    const merged = new Map<number, number>();
    for (const w of wanted) merged.set(w.skuId, (merged.get(w.skuId) ?? 0) + w.quantity);
    const problems = [...merged].flatMap(([skuId, quantity]) => {
      const r = skus.get(skuId);
      if (!r) return [{ skuId, reason: 'not_for_sale' }];
      if (!ownStock && r.stock < quantity) return [{ skuId, reason: 'insufficient_stock', stockLeft: r.stock }];
      return [];
    });
    if (problems.length)
      throw new ConflictError(
        { reason: 'ITEMS_UNAVAILABLE', message: 'Some items cannot be bought as asked' },
        { problems },
      );
    return [...merged].map(([skuId, quantity]) => {
      const r = skus.get(skuId)!;
      return {
        skuId,
        productId: r.productId,
        categoryId: r.categoryId,
        categoryPath: r.categoryPath,
        title: r.title,
        specValues: r.specValues,
        imageUrl: r.imageId ? (images.get(r.imageId)?.thumb.jpeg ?? null) : null,
        unitPriceFen: r.priceFen,
        quantity,
        freightTemplateId: r.freightTemplateId,
        weightGrams: r.weightGrams,
        volumeCm3: r.volumeCm3,
      };
    });
  }

  /**
   * The order's freight: its lines grouped by their products' templates, each group priced in its mode and the groups
   * combined (freight-quote.ts). A region some template does not deliver to is a 409 naming those products, one
   * problem per line.
   */
  async function shippingFee(
    ctx: TenantContext,
    regionCode: string,
    lines: ReadonlyArray<Readonly<PricedLine<ShownLine>>>,
  ): Promise<number> {
    const quoted = await deps.shipping.quote(
      ctx,
      regionCode,
      lines.map((l) => ({
        line: l,
        productId: l.productId,
        templateId: l.freightTemplateId,
        quantity: l.quantity,
        subtotalFen: l.subtotalFen,
        weightGrams: l.weightGrams,
        volumeCm3: l.volumeCm3,
      })),
    );
    if (quoted.deliverable) return quoted.feeFen;
    const titles = [...new Set(quoted.excluded.map((e) => e.line.title))].join(', ');
    throw new ConflictError(
      { reason: 'NOT_DELIVERABLE', params: { titles }, message: `Not delivered to that address: ${titles}` },
      {
        problems: quoted.excluded.map((e) => ({
          skuId: e.line.skuId,
          productId: e.productId,
          reason: 'not_deliverable',
          regionCode,
        })),
      },
    );
  }

  /**
   * The pricing of a batch's orders (or of a preview): the `items` stage prices the lines from the SKUs read for the
   * batch, the feature modules' calculators take their discounts, the `shipping` stage prices the freight by the lines'
   * templates.
   * A feature module whose read fails fails the batch, as the shop's state does.
   */
  async function pipelineFor(
    ctx: TenantContext,
    inputs: PricingInput[],
    skus: Map<number, SkuFacts>,
    images: Map<number, CatalogImage>,
    at: Date,
    withShipping = true,
  ) {
    const items: PriceCalculator<ShownLine> = {
      stage: 'items',
      name: 'catalog-prices',
      price(draft) {
        for (const l of priceLines(draft.input.lines, skus, images, draft.input.activity?.ownStock)) draft.addLine(l);
      },
    };
    const shipping: PriceCalculator<ShownLine> = {
      stage: 'shipping',
      name: 'shipping-template',
      async price(draft) {
        // Free-shipping thresholds are judged on each template's items before discounts (the lines' subtotals), as
        // before there were any. A shop that wants them judged on what is paid would pass the lines' payableFen.
        draft.setShipping(await shippingFee(ctx, draft.input.regionCode, draft.lines));
      },
    };
    const batch: PricingBatch = { inputs, productIds: [...new Set([...skus.values()].map((s) => s.productId))], at };
    const parts = deps.pricing?.length ? await Promise.all(deps.pricing.map((slot) => slot(ctx, batch))) : [];
    const features = parts.flatMap((p) => p.calculators);
    const ends = withShipping ? [shipping] : [];
    const pipeline = pricingPipeline<ShownLine>(
      features.length ? inStageOrder<PriceCalculator<ShownLine>>([items, ...features, ...ends]) : [items, ...ends],
    );
    return { pipeline, parts };
  }

  /** The signed-in shopper's selected cart lines. */
  async function selectedInCart(ctx: TenantContext): Promise<Wanted> {
    const cart = await deps.cart.cart(ctx);
    return cart.lines.filter((l) => l.selected).map((l) => ({ skuId: l.skuId, quantity: l.quantity }));
  }

  const wantedLines = (ctx: TenantContext, body: CheckoutBody): Promise<Wanted> =>
    body.fromCart ? selectedInCart(ctx) : Promise.resolve(body.items ?? []);

  /**
   * Places a batch of one shop's orders. Reads are one query each for the whole batch: the shoppers'
   * open orders and used keys, their addresses, the SKUs. Each order then fails on its own (a key used
   * already returns its order, too many unpaid, a foreign address, a SKU not for sale) or becomes a draft;
   * the drafts are written together.
   */
  async function placeBatch(asks: Ask[]): Promise<Array<PromiseSettledResult<Order>>> {
    const ctx = asks[0]!.ctx;
    if (!(await deps.tenants.isActive(ctx.tenantId)))
      throw new ForbiddenError(
        { reason: 'SHOP_NOT_TAKING_ORDERS', message: 'This shop is not taking orders' },
        'TENANT_NOT_ACTIVE',
      );
    const at = now();
    // The same shopper's same key twice in one batch is one order: the later ask follows the first.
    const firstOfKey = new Map<string, number>();
    const followers = new Map<number, number>();
    asks.forEach((a, i) => {
      const k = `${a.shopperId}\n${a.key}`;
      const first = firstOfKey.get(k);
      if (first === undefined) firstOfKey.set(k, i);
      else followers.set(i, first);
    });
    const mine = await deps.orders.placement.keyedOrUnpaid(
      ctx,
      [...new Set(asks.map((a) => a.shopperId))],
      [...new Set(asks.map((a) => a.key))],
    );
    const unpaid = new Map<number, number>();
    for (const o of mine)
      if (o.status === 'pending_payment') unpaid.set(o.shopperId, (unpaid.get(o.shopperId) ?? 0) + 1);
    const [addresses, wanted, settings] = await Promise.all([
      deps.cart.addressesByIds(
        ctx,
        asks.map((a) => a.body.addressId),
      ),
      // One shopper's cart that cannot be read fails that shopper's order, not the batch.
      Promise.all(
        asks.map((a, i) =>
          followers.has(i) ? [] : wantedLines(a.ctx, a.body).catch((err: unknown) => ({ failed: err })),
        ),
      ),
      deps.shipping.settings(ctx),
    ]);
    const skus = await forSale(
      ctx,
      wanted.flatMap((w) => (Array.isArray(w) ? w.map((x) => x.skuId) : [])),
    );
    const images = await imagesOf(ctx, skus.values());
    const windowMs = settings.paymentWindowMinutes * 60_000;
    // Each order's pricing input, the one object the feature modules read for and the order is priced with.
    const inputs = asks.map((ask, i): PricingInput | null => {
      const addr = addresses.get(ask.body.addressId);
      const lines = wanted[i];
      if (followers.has(i) || !addr || addr.shopperId !== ask.shopperId || !Array.isArray(lines)) return null;
      const input: PricingInput = { shopperId: ask.shopperId, regionCode: addr.address.regionCode, lines };
      if (ask.activity) {
        const { kind, id, ownStock, groupId } = ask.activity;
        return { ...input, couponId: null, activity: { kind, id, ownStock, leader: kind === 'group_buy' && !groupId } };
      }
      return { ...input, couponId: ask.body.couponId, usePoints: ask.body.usePoints };
    });
    const { pipeline, parts } = await pipelineFor(
      ctx,
      inputs.filter((input) => input !== null),
      skus,
      images,
      at,
    );

    // What the shoppers ordered before of the products limited per shopper: read now to refuse early and clearly; judged
    // again under the shoppers' locks when the drafts are written.
    const limitedIds = [...skus.values()].filter((s) => s.limits.perShopper !== null).map((s) => s.productId);
    const boughtBefore = await deps.orders.placement.boughtUnits(
      ctx,
      asks.map((a) => a.shopperId),
      limitedIds,
    );

    const outcomes: Array<PromiseSettledResult<Order>> = [];
    const replays: Array<{ index: number; id: number }> = [];
    const drafts: Array<{ index: number; draft: Draft }> = [];
    for (const [i, ask] of asks.entries()) {
      if (followers.has(i)) continue;
      const again = mine.find((o) => o.shopperId === ask.shopperId && o.idempotencyKey === ask.key);
      if (again) {
        replays.push({ index: i, id: again.id });
        continue;
      }
      try {
        const open = unpaid.get(ask.shopperId) ?? 0;
        if (open >= deps.maxUnpaid) throw tooManyUnpaid(deps.maxUnpaid);
        const addr = addresses.get(ask.body.addressId);
        if (!addr || addr.shopperId !== ask.shopperId) throw new NotFoundError('ADDRESS_NOT_FOUND');
        const lines = wanted[i]!;
        if (!Array.isArray(lines)) throw lines.failed;
        const priced = await pipeline.price(inputs[i]!);
        const limited = orderLimits(lines, skus);
        const past = pastShopperLimit(ask.shopperId, limited, boughtBefore);
        if (past) throw past;
        if (ask.body.expectedTotalFen !== undefined && ask.body.expectedTotalFen !== priced.totalFen)
          throw priceChanged(priced.totalFen);
        unpaid.set(ask.shopperId, open + 1);
        const draft = draftOf(ask, inputs[i]!, addr.address, priced, parts, at, windowMs);
        draft.limited = limited;
        drafts.push({ index: i, draft });
        addUnits(boughtBefore, ask.shopperId, limited);
      } catch (err) {
        outcomes[i] = { status: 'rejected', reason: err };
      }
    }

    const written: Written = drafts.length
      ? await write(
          ctx,
          drafts.map((d) => d.draft),
        )
      : { placed: [], replayed: [], refused: [] };
    const indexOf = new Map(drafts.map((d) => [d.draft, d.index]));
    for (const { draft, error } of written.refused)
      outcomes[indexOf.get(draft)!] = { status: 'rejected', reason: error };
    for (const { draft, id } of written.placed)
      outcomes[indexOf.get(draft)!] = { status: 'fulfilled', value: asPlaced(draft, id, at) };
    for (const { draft, id } of written.replayed) replays.push({ index: indexOf.get(draft)!, id });
    await Promise.all([
      schedulePaymentWindows(ctx, written.placed),
      ...replays.map(async ({ index, id }) => {
        outcomes[index] = await deps.orders.asShopperSees(asks[index]!.ctx, id).then(
          (value): PromiseSettledResult<Order> => ({ status: 'fulfilled', value }),
          (reason: unknown): PromiseSettledResult<Order> => ({ status: 'rejected', reason }),
        );
      }),
    ]);
    for (const [i, first] of followers) outcomes[i] = outcomes[first]!;
    return outcomes;
  }

  /**
   * The rows of a priced order. Each line keeps its share of every discount (`discount_fen`, and by source in
   * `discount_shares`), so a refund of that line can give back what was paid for it and return each discount's part.
   */
  function draftOf(
    ask: Ask,
    input: PricingInput,
    addr: Address,
    priced: PricedOrder<ShownLine>,
    parts: readonly PricingPart[],
    at: Date,
    windowMs: number,
  ): Draft {
    const activity = ask.activity ?? null;
    const window = activity?.paymentWindowMinutes ? activity.paymentWindowMinutes * 60_000 : windowMs;
    return {
      ask,
      windowMs: window,
      limited: [],
      discounts: priced.discounts,
      couponId: couponOf(priced.discounts),
      points: parts.reduce((n, p) => n + (p.pointsUsed?.(input) ?? 0), 0),
      activity,
      order: {
        orderNo: orderNo(at),
        shopperId: ask.shopperId,
        itemsTotalFen: priced.itemsTotalFen,
        discountFen: priced.discountFen,
        discounts: orderDiscounts(priced.discounts, parts),
        shippingFen: priced.shippingFen,
        totalFen: priced.totalFen,
        address: {
          id: addr.id,
          name: addr.name,
          phone: addr.phone,
          regionCode: addr.regionCode,
          province: addr.province,
          city: addr.city,
          district: addr.district,
          detail: addr.detail,
        },
        remark: ask.body.remark,
        // The campaign's record is known once `take` has run in the transaction (a group started has its id then).
        activity: activity && { kind: activity.kind, id: activity.id, waiting: false },
        idempotencyKey: ask.key,
        paymentDeadline: new Date(at.getTime() + window),
        createdAt: at,
      },
      lines: priced.lines.map((l) => ({
        productId: l.productId,
        skuId: l.skuId,
        title: l.title,
        specValues: l.specValues,
        imageUrl: l.imageUrl,
        unitPriceFen: l.unitPriceFen,
        quantity: l.quantity,
        subtotalFen: l.subtotalFen,
        discountFen: l.discountFen,
        discountShares: l.discounts,
        refundedQuantity: 0,
        refundedFen: 0,
        refundedShares: [],
      })),
    };
  }

  /**
   * Writes drafts in one transaction. The SKU rows are locked first, in id order (as every stock change
   * does, so that concurrent orders and cancels queue rather than deadlock); stock then goes to the
   * drafts in their order, each all or nothing; the taken stock moves in one statement for the SKUs and
   * one for their products; the orders, their lines and their first events are one insert each.
   *
   * A duplicate key (an order number taken in the same second, or the same Idempotency-Key placed by a
   * request racing in another batch or process) rolls the whole transaction back: the drafts are then
   * written one by one, where each collision has its own answer.
   */
  async function write(ctx: TenantContext, drafts: Draft[], attempt = 1): Promise<Written> {
    try {
      return await retryOnDeadlock(() => deps.tx.transaction(ctx, (tctx) => writeTogether(tctx, drafts)));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (drafts.length > 1) {
        const alone = await Promise.all(drafts.map((d) => write(ctx, [d])));
        return {
          placed: alone.flatMap((w) => w.placed),
          replayed: alone.flatMap((w) => w.replayed),
          refused: alone.flatMap((w) => w.refused),
        };
      }
      const draft = drafts[0]!;
      if (isOrderNoTaken(err) && attempt < 5) {
        draft.order.orderNo = orderNo(draft.order.createdAt);
        return write(ctx, [draft], attempt + 1);
      }
      // Two requests with one key raced: the loser answers with the winner's order.
      const winner = await deps.orders.placement.idByKey(ctx, draft.ask.shopperId, draft.ask.key);
      if (winner === null) throw err;
      return { placed: [], replayed: [{ draft, id: winner }], refused: [] };
    }
  }

  /**
   * The shoppers' unpaid counts are locked first, in shopper order, then the SKUs in id order: every transaction that
   * moves a count or stock (placing, paying, cancelling) takes them in this order, so concurrent ones queue rather than
   * deadlock or both pass a limit.
   */
  async function writeTogether(tctx: TenantContext, drafts: Draft[]): Promise<Written> {
    const unpaid = await deps.orders.placement.lockUnpaidCounts(
      tctx,
      drafts.map((d) => d.ask.shopperId),
    );
    // Right after the shoppers' locks (this read's snapshot begins once they are held): what they ordered before.
    const withLimits = drafts.filter((d) => d.limited.length > 0);
    const bought = withLimits.length
      ? await deps.orders.placement.boughtUnits(
          tctx,
          withLimits.map((d) => d.ask.shopperId),
          withLimits.flatMap((d) => d.limited.map((l) => l.productId)),
        )
      : new Map<string, number>();
    const withCoupon = drafts.flatMap((d) =>
      d.couponId === null ? [] : [{ couponId: d.couponId, shopperId: d.ask.shopperId }],
    );
    const couponProblems =
      deps.offers && withCoupon.length ? await deps.offers.hold(tctx, withCoupon, now()) : new Map<number, AppError>();
    const couponsTaken = new Set<number>();
    // A campaign that set its own stock aside (秒杀) answers for it in `take`: its orders take none of the SKUs'.
    const fromSkus = (d: Draft) => (d.activity?.ownStock ? [] : d.lines);
    const locked = await deps.stock.lock(
      tctx,
      drafts.flatMap((d) => fromSkus(d).map((l) => l.skuId)),
    );
    const left = new Map([...locked].map(([id, s]) => [id, s.stock]));
    // The members' rows after the SKUs (as every change of an order's points takes them), for the points still there.
    const withPoints = drafts.filter((d) => d.points > 0);
    const pointsLeft =
      deps.membership && withPoints.length
        ? await deps.membership.lockPoints(
            tctx,
            withPoints.map((d) => d.ask.shopperId),
            now(),
          )
        : new Map<number, number>();
    const written: Written = { placed: [], replayed: [], refused: [] };
    const fits: Draft[] = [];
    for (const draft of drafts) {
      const shopperId = draft.ask.shopperId;
      if (unpaid.get(shopperId)! >= deps.maxUnpaid) {
        written.refused.push({ draft, error: tooManyUnpaid(deps.maxUnpaid) });
        continue;
      }
      const pastLimit = pastShopperLimit(shopperId, draft.limited, bought);
      if (pastLimit) {
        written.refused.push({ draft, error: pastLimit });
        continue;
      }
      if (draft.couponId !== null) {
        const problem =
          couponProblems.get(draft.couponId) ??
          (couponsTaken.has(draft.couponId)
            ? new ConflictError({ reason: 'COUPON_USED', message: 'This coupon was used by another order' })
            : undefined);
        if (problem) {
          written.refused.push({ draft, error: problem });
          continue;
        }
      }
      if (draft.points > (pointsLeft.get(shopperId) ?? 0)) {
        written.refused.push({
          draft,
          error: new ConflictError({
            reason: 'POINTS_CHANGED',
            message: 'The points this order was priced with are gone',
          }),
        });
        continue;
      }
      const short = fromSkus(draft).find((l) => (left.get(l.skuId) ?? 0) < l.quantity);
      if (short) {
        written.refused.push({
          draft,
          error: new ConflictError(
            { reason: 'SOLD_OUT_MEANWHILE', message: 'Some items sold out meanwhile' },
            { problems: [{ skuId: short.skuId, reason: 'insufficient_stock' }] },
          ),
        });
        continue;
      }
      // Last, once everything else has passed: the campaign's part, taken for good if the draft is written.
      if (draft.activity) {
        if (!deps.activities) throw new Error('an order in a campaign, and no campaigns to place it in');
        const taken = await deps.activities.take(
          tctx,
          { shopperId, activity: draft.activity, quantity: draft.lines.reduce((n, l) => n + l.quantity, 0) },
          draft.order.createdAt,
        );
        if ('refused' in taken) {
          written.refused.push({ draft, error: taken.refused });
          continue;
        }
        draft.order.activity = { kind: draft.activity.kind, id: taken.id, waiting: taken.waiting };
      }
      for (const l of fromSkus(draft)) left.set(l.skuId, left.get(l.skuId)! - l.quantity);
      addUnits(bought, shopperId, draft.limited);
      if (draft.points > 0) pointsLeft.set(shopperId, pointsLeft.get(shopperId)! - draft.points);
      unpaid.set(shopperId, unpaid.get(shopperId)! + 1);
      if (draft.couponId !== null) couponsTaken.add(draft.couponId);
      fits.push(draft);
    }
    if (fits.length === 0) return written;

    const takenPerSku = new Map<number, number>();
    for (const l of fits.flatMap(fromSkus)) takenPerSku.set(l.skuId, (takenPerSku.get(l.skuId) ?? 0) + l.quantity);
    await deps.stock.take(tctx, takenPerSku, locked);
    const idOf = await deps.orders.placement.record(tctx, fits);
    written.placed = fits.map((draft) => ({ draft, id: idOf.get(draft.order.orderNo)! }));
    const discounted = written.placed.filter((p) => p.draft.discounts.length > 0);
    if (deps.offers && discounted.length)
      await deps.offers.record(
        tctx,
        discounted.map(({ draft, id }) => ({
          orderId: id,
          shopperId: draft.ask.shopperId,
          totalFen: draft.order.totalFen,
          discounts: draft.discounts,
        })),
        fits[0]!.order.createdAt,
      );
    const spending = written.placed.filter((p) => p.draft.points > 0);
    if (deps.membership && spending.length)
      await deps.membership.spendPoints(
        tctx,
        spending.map(({ draft, id }) => ({ orderId: id, shopperId: draft.ask.shopperId, points: draft.points })),
        fits[0]!.order.createdAt,
      );
    const inActivities = written.placed.filter((p) => p.draft.activity !== null);
    if (deps.activities && inActivities.length)
      await deps.activities.record(
        tctx,
        inActivities.map(({ draft, id }) => ({
          orderId: id,
          shopperId: draft.ask.shopperId,
          activity: draft.activity!,
          quantity: draft.lines.reduce((n, l) => n + l.quantity, 0),
          totalFen: draft.order.totalFen,
        })),
        fits[0]!.order.createdAt,
      );
    await deps.figures?.ordersPlaced(
      tctx,
      written.placed.map(({ draft, id }) => ({
        orderId: id,
        shopperId: draft.ask.shopperId,
        totalFen: draft.order.totalFen,
        at: draft.order.createdAt,
      })),
    );
    const fromCart = fits
      .filter((d) => d.ask.body.fromCart)
      .flatMap((d) => d.lines.map((l): [number, number] => [d.ask.shopperId, l.skuId]));
    await deps.cart.removeOrdered(tctx, fromCart);
    return written;
  }

  /** The order as written, without reading it back. */
  function asPlaced(draft: Draft, id: number, at: Date): Order {
    const o = draft.order;
    const record = {
      ...o,
      id,
      status: 'pending_payment' as const,
      paidFen: 0,
      refundedFen: 0,
      merchantRemark: '',
      merchantFlag: null,
      paymentId: null,
      paidAt: null,
      carrier: null,
      trackingNo: null,
      shippedAt: null,
      autoConfirmAt: null,
      completedAt: null,
      cancelReason: null,
      reviewedAt: null,
      wechatShipping: 'not_required' as const,
    };
    const placed = {
      type: 'placed',
      fromStatus: null,
      toStatus: 'pending_payment' as const,
      actorType: 'shopper',
      actorId: o.shopperId,
      note: null,
      createdAt: at,
    };
    return forShopper(toOrder(record, draft.lines, [placed], { payment: null, refunds: [] }, undefined));
  }

  /** Each placed order's payment window, as a delayed job; a lost one is caught by the sweeper. */
  async function schedulePaymentWindows(ctx: TenantContext, placed: Written['placed']): Promise<void> {
    if (placed.length === 0) return;
    await deps.queues
      .get(QUEUES.orderTimeouts)
      .addBulk(
        placed.map(({ draft, id }) => ({
          name: ORDER_JOBS.closeUnpaidOrder,
          data: { tenantId: ctx.tenantId, orderId: id },
          opts: { jobId: `close-${ctx.tenantId}-${id}`, delay: draft.windowMs },
        })),
      )
      .catch((err: unknown) =>
        ctx.log.warn(
          { err, orderIds: placed.map((p) => p.id) },
          'could not schedule payment windows; the sweeper will close the orders',
        ),
      );
  }

  return {
    /** The order as it would be placed now, through the same pricing as placing: lines at current prices, shipping and total. */
    async preview(ctx: TenantContext, body: CheckoutBody) {
      const shopperId = shopperIdOf(ctx);
      const [wanted, addresses] = await Promise.all([
        wantedLines(ctx, body),
        deps.cart.addressesByIds(ctx, [body.addressId]),
      ]);
      const addr = addresses.get(body.addressId);
      if (!addr || addr.shopperId !== shopperId) throw new NotFoundError('ADDRESS_NOT_FOUND');
      const skus = await forSale(
        ctx,
        wanted.map((w) => w.skuId),
      );
      const input: PricingInput = {
        shopperId,
        regionCode: addr.address.regionCode,
        lines: wanted,
        couponId: body.couponId,
        usePoints: body.usePoints,
      };
      const { pipeline, parts } = await pipelineFor(ctx, [input], skus, await imagesOf(ctx, skus.values()), now());
      const priced = await pipeline.price(input);
      const limited = orderLimits(wanted, skus);
      if (limited.length) {
        const bought = await deps.orders.placement.boughtUnits(
          ctx,
          [shopperId],
          limited.map((l) => l.productId),
        );
        const past = pastShopperLimit(shopperId, limited, bought);
        if (past) throw past;
      }
      const { itemsTotalFen, discountFen, shippingFen, totalFen } = priced;
      return {
        lines: priced.lines.map((l) => lineView({ ...l, refundedQuantity: 0, refundedFen: 0 })),
        itemsTotalFen,
        discounts: orderDiscounts(priced.discounts, parts),
        discountFen,
        shippingFen,
        totalFen,
        address: addr.address,
        couponId: couponOf(priced.discounts),
        coupons: parts.flatMap((p) => p.couponsFor?.(input) ?? []),
        points: parts.map((p) => p.pointsFor?.(input)).find((o) => o !== undefined) ?? null,
      };
    },

    /**
     * The cart's selected lines priced with the feature modules' discounts and the best coupon, before an address is
     * chosen: no shipping. Nothing selected prices to nothing.
     */
    async estimate(ctx: TenantContext): Promise<CartEstimate> {
      const shopperId = shopperIdOf(ctx);
      const wanted = await selectedInCart(ctx);
      const none = { itemsTotalFen: 0, discounts: [], discountFen: 0, itemsPayableFen: 0, couponId: null, coupons: [] };
      const skus = await forSale(
        ctx,
        wanted.map((w) => w.skuId),
      );
      // Lines that can no longer be bought are shown so by the cart itself; the estimate prices the rest.
      const buyable = wanted.filter((w) => (skus.get(w.skuId)?.stock ?? 0) >= w.quantity);
      if (buyable.length === 0) return none;
      const input: PricingInput = { shopperId, regionCode: '', lines: buyable };
      const { pipeline, parts } = await pipelineFor(ctx, [input], skus, new Map(), now(), false);
      const priced = await pipeline.price(input);
      return {
        itemsTotalFen: priced.itemsTotalFen,
        discounts: orderDiscounts(priced.discounts, parts),
        discountFen: priced.discountFen,
        itemsPayableFen: priced.itemsPayableFen,
        couponId: couponOf(priced.discounts),
        coupons: parts.flatMap((p) => p.couponsFor?.(input) ?? []),
      };
    },

    /**
     * Places an order once per Idempotency-Key: a retry returns the first order. It waits its turn in the
     * placement line (503 BUSY when the line is full, with nothing done) and is placed with the batch it
     * falls into; if any of its SKUs is short, nothing is taken or written for it.
     */
    place(ctx: TenantContext, body: CheckoutBody, idempotencyKey: string, activity?: OrderActivity): Promise<Order> {
      return line.add(ctx.tenantId, { ctx, shopperId: shopperIdOf(ctx), body, key: idempotencyKey, activity });
    },
  };
}

export type PlaceOrderWorkflow = ReturnType<typeof placeOrderWorkflow>;
