import { imagesRepository, imagesService } from '../../../src/modules/catalog';
import { Database } from '../../../src/kernel/db/database';
import {
  refundUnits,
  type Discount,
  type PriceCalculator,
  type PricingInput,
  type PricingSlot,
} from '../../../src/modules/orders';
import { placeOrderWorkflow } from '../../../src/modules/orders/workflows';
import type { TenantContext } from '../../../src/kernel/context';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { branch, createProduct, productInput } from '../../helpers/catalog';
import { buyer, sellingShop, type SellingShop } from '../../helpers/orders';

let t: TestPlatform;
let s: SellingShop;
/** Two branches of categories: a coupon below is for the root of the first. */
let teaRoot: number;
let teaLeaf: number;
let cupLeaf: number;
beforeAll(async () => {
  t = await startTestPlatform();
  s = await sellingShop(t);
  ({ root: teaRoot, leaf: teaLeaf } = await branch(t, s.merchant, `茶${uid()}`));
  ({ leaf: cupLeaf } = await branch(t, s.merchant, `杯${uid()}`));
});
afterAll(() => t.close());

async function sku(leaf: number, priceFen: number): Promise<number> {
  const input = productInput(leaf, {
    title: `商品${uid()}`,
    specs: [],
    skus: [{ specValues: [], priceFen, stock: 100 }],
  });
  const productId = await createProduct(t, s.merchant, input);
  return (await t.api.get(`/merchant-api/v1/catalog/products/${productId}`).set(bearer(s.merchant))).body.skus[0]
    .id as number;
}

const rowsOf = async (orderId: number) => ({
  order: await t.platform.knex('orders').where({ id: orderId }).first(),
  items: (await t.platform.knex('order_items').where({ order_id: orderId }).orderBy('id')) as Array<
    Record<string, unknown>
  >,
});
/** A line's shares by discount, as stored (MariaDB hands JSON columns back as text). */
const sharesOf = (row: Record<string, unknown>): Discount[] | null => {
  const stored = row.discount_shares;
  return stored === null ? null : ((typeof stored === 'string' ? JSON.parse(stored) : stored) as Discount[]);
};

describe('checkout through the pricing pipeline', () => {
  it('without discounts: the preview and the order answer as before, and every line stores a share of 0', async () => {
    const [tea, cup] = [await sku(teaLeaf, 333), await sku(cupLeaf, 2000)];
    const b = await buyer(t, s);
    const body = {
      items: [
        { skuId: tea, quantity: 3 },
        { skuId: cup, quantity: 1 },
      ],
      addressId: b.addressId,
    };
    const preview = (await t.api.post(s.url('/checkout/preview')).set(bearer(b.token)).send(body).expect(200)).body;
    expect(Object.keys(preview).sort()).toEqual([
      'address',
      'couponId',
      'coupons',
      'discountFen',
      'discounts',
      'itemsTotalFen',
      'lines',
      'points',
      'shippingFen',
      'totalFen',
    ]);
    expect(preview).toMatchObject({ discounts: [], discountFen: 0, couponId: null, coupons: [] });
    const lineKeys = [
      'discountFen',
      'imageUrl',
      'productId',
      'quantity',
      'refundedFen',
      'refundedQuantity',
      'skuId',
      'specValues',
      'subtotalFen',
      'title',
      'unitPriceFen',
    ];
    expect(Object.keys(preview.lines[0]).sort()).toEqual(lineKeys);
    expect(preview).toMatchObject({ itemsTotalFen: 2999, shippingFen: 0, totalFen: 2999 });
    const order = (
      await t.api
        .post(s.url('/orders'))
        .set(bearer(b.token))
        .set('Idempotency-Key', `p-${uid()}`)
        .send(body)
        .expect(201)
    ).body;
    expect(order.lines).toEqual(preview.lines);
    const { order: row, items } = await rowsOf(order.id);
    const totals = {
      items: Number(row.items_total_fen),
      discount: Number(row.discount_fen),
      total: Number(row.total_fen),
    };
    expect(totals).toEqual({ items: 2999, discount: 0, total: 2999 });
    expect(items.map((i) => [Number(i.discount_fen), sharesOf(i)])).toEqual([
      [0, null],
      [0, null],
    ]);
  });

  it('a feature module plugged in: its discounts are split over the lines they apply to, stored per line, and a line refund can give each back', async () => {
    const [tea, cup] = [await sku(teaLeaf, 333), await sku(cupLeaf, 2000)];
    const asked: PricingInput[][] = [];
    // Listed coupon first: checkout puts each calculator in its stage, so the promotion is taken first.
    const marketing: PricingSlot = async (_ctx, batch) => {
      asked.push([...batch.inputs]);
      const coupon: PriceCalculator = {
        stage: 'coupon',
        name: 'tea-coupon',
        price: (d) =>
          void d.discount({
            source: 'coupon',
            sourceId: 7,
            amountFen: 1000,
            appliesTo: (l) => l.categoryPath.includes(teaRoot),
          }),
      };
      const fullReduction: PriceCalculator = {
        stage: 'promotion',
        name: 'full-reduction',
        price: (d) => void d.discount({ source: 'full_reduction', sourceId: 1, amountFen: 500 }),
      };
      return { calculators: [coupon, fullReduction] };
    };
    const p = t.platform;
    const orders = placeOrderWorkflow({
      ...p.services,
      tx: new Database(p.knex),
      shipping: p.services.freightTemplates,
      queues: p.queues,
      images: imagesService({ repo: imagesRepository(new Database(p.knex)), storage: p.storage }),
      maxUnpaid: 5,
      placement: { concurrency: 2, batch: 64, queue: 100 },
      now: t.clock.now,
      pricing: [marketing],
    });
    const b = await buyer(t, s);
    const ctx: TenantContext = {
      requestId: uid(),
      tenantId: s.shop.id,
      actor: { type: 'shopper', shopperId: b.shopperId, tenantId: s.shop.id },
      log: p.log,
    };
    const body = {
      items: [
        { skuId: tea, quantity: 3 },
        { skuId: cup, quantity: 1 },
      ],
      addressId: b.addressId,
      fromCart: false,
      remark: '',
      usePoints: false,
    };

    // ¥5 off the order over ¥9.99 and ¥20.00 (1.67 and 3.33), then ¥10 off the tea, capped at the ¥8.32 the tea has left.
    const preview = await orders.preview(ctx, body);
    expect(preview).toMatchObject({ itemsTotalFen: 2999, shippingFen: 0, totalFen: 1667 });
    const order = await orders.place(ctx, body, `p-${uid()}`);
    expect(order).toMatchObject({ itemsTotalFen: 2999, shippingFen: 0, totalFen: 1667 });
    expect(asked.flat()).toContainEqual(
      expect.objectContaining({ shopperId: b.shopperId, regionCode: '350102', lines: body.items, usePoints: false }),
    );

    const { order: row, items } = await rowsOf(order.id);
    expect({ discount: Number(row.discount_fen), total: Number(row.total_fen) }).toEqual({
      discount: 1332,
      total: 1667,
    });
    const promotion = { stage: 'promotion', source: 'full_reduction', sourceId: 1 } as const;
    const coupon = { stage: 'coupon', source: 'coupon', sourceId: 7 } as const;
    expect(items.map((i) => [Number(i.subtotal_fen), Number(i.discount_fen), sharesOf(i)])).toEqual([
      [
        999,
        999,
        [
          { ...promotion, fen: 167 },
          { ...coupon, fen: 832 },
        ],
      ],
      [2000, 333, [{ ...promotion, fen: 333 }]],
    ]);

    // One of the three teas back: nothing was paid for it; its parts of the promotion and the coupon go back to them.
    const teaLine = { units: 3, payableFen: 999 - Number(items[0]!.discount_fen), discounts: sharesOf(items[0]!)! };
    expect(refundUnits(teaLine, 333, 1).refund).toEqual({
      units: 1,
      payableFen: 0,
      discounts: [
        { ...promotion, fen: 56 },
        { ...coupon, fen: 277 },
      ],
    });
    const cupLine = { units: 1, payableFen: 2000 - Number(items[1]!.discount_fen), discounts: sharesOf(items[1]!)! };
    expect(refundUnits(cupLine, 2000, 1).refund.payableFen).toBe(1667);
  });
});
