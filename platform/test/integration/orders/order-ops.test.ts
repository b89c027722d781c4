import ExcelJS from 'exceljs';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, placeOrder, product, sellingShop, type SellingShop } from '../../helpers/orders';

let t: TestPlatform;
let a: SellingShop;
let b: SellingShop;
beforeAll(async () => {
  t = await startTestPlatform({ ORDER_MAX_UNPAID: '50' });
  [a, b] = [await sellingShop(t), await sellingShop(t)];
});
afterAll(() => t.close());

const m = (path: string) => `/merchant-api/v1${path}`;
type Buyer = Awaited<ReturnType<typeof buyer>>;

/** An unpaid order of `shop`: two units of a ¥10 SKU (¥20, free shipping). */
async function unpaid(shop: SellingShop, who?: Buyer) {
  const { skuId } = await product(t, shop, 100, 1000);
  const w = who ?? (await buyer(t, shop));
  const order = await placeOrder(t, shop, w, [{ skuId, quantity: 2 }]);
  return { ...order, buyer: w, skuId };
}

async function paid(shop: SellingShop) {
  const o = await unpaid(shop);
  await paySandbox(t, shop, o.buyer.token, o.id);
  return o;
}

const getOrder = async (shop: SellingShop, id: number) =>
  (
    await t.api
      .get(m(`/orders/${id}`))
      .set(bearer(shop.merchant))
      .expect(200)
  ).body;

const ship = (shop: SellingShop, id: number, trackingNo = `SF${uid()}`.slice(0, 20)) =>
  t.api
    .post(m(`/orders/${id}/ship`))
    .set(bearer(shop.merchant))
    .send({ carrier: 'SF', trackingNo })
    .expect(200);

const auditOf = async (shop: SellingShop, action: string) =>
  (
    (await t.api.get(m('/audit-log?pageSize=100')).set(bearer(shop.merchant)).expect(200)).body.items as Array<{
      action: string;
      targetId: string;
      data: Record<string, unknown>;
    }>
  ).filter((e) => e.action === action);

const price = (shop: SellingShop, id: number, body: Record<string, unknown>) =>
  t.api
    .put(m(`/orders/${id}/price`))
    .set(bearer(shop.merchant))
    .send(body);

describe('counts on the status tabs', () => {
  it('counts each state in one answer, under the filters, for this shop only', async () => {
    const s = await sellingShop(t);
    const w = await buyer(t, s);
    const o1 = await unpaid(s, w);
    await unpaid(s, w);
    const p = await unpaid(s, w);
    await paySandbox(t, s, w.token, p.id);
    const c = await unpaid(s, w);
    await t.api
      .post(m(`/orders/${c.id}/cancel`))
      .set(bearer(s.merchant))
      .send({ reason: '缺货' })
      .expect(200);

    const counts = (await t.api.get(m('/orders/counts')).set(bearer(s.merchant)).expect(200)).body;
    expect(counts).toEqual({
      all: 4,
      byStatus: { pending_payment: 2, paid: 1, shipped: 0, completed: 0, cancelled: 1, refunded: 0 },
    });
    const one = (
      await t.api
        .get(m(`/orders/counts?q=${o1.orderNo}`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body;
    expect(one.all).toBe(1);
    expect(one.byStatus.pending_payment).toBe(1);
    await t.api.get(m('/orders/counts?status=paid')).set(bearer(s.merchant)).expect(400);

    // Another shop counts only its own: none of these.
    const other = await sellingShop(t);
    const theirs = (await t.api.get(m('/orders/counts')).set(bearer(other.merchant)).expect(200)).body;
    expect(theirs.all).toBe(0);
  });
});

describe('changing the price of an unpaid order', () => {
  it('lowers the total with a reason, split over the lines, on the timeline and in the audit log; the shopper pays it', async () => {
    const o = await unpaid(a);
    expect(o.totalFen).toBe(2000);
    const changed = (await price(a, o.id, { totalFen: 1500, reason: '老顾客优惠' }).expect(200)).body;
    expect(changed).toMatchObject({ status: 'pending_payment', totalFen: 1500, discountFen: 500, shippingFen: 0 });
    expect(changed.discounts).toContainEqual({
      source: 'merchant_adjustment',
      sourceId: 0,
      name: '商家改价',
      fen: 500,
    });
    expect(changed.lines.reduce((n: number, l: { discountFen: number }) => n + l.discountFen, 0)).toBe(500);
    expect(changed.events.at(-1)).toMatchObject({ type: 'price_adjusted', actorType: 'merchant' });
    expect(changed.events.at(-1).note).toContain('老顾客优惠');
    const audit = (await auditOf(a, 'order.change_price')).find((e) => e.targetId === String(o.id));
    expect(audit?.data).toMatchObject({ fromFen: 2000, toFen: 1500, reason: '老顾客优惠' });

    // The shopper sees the new total and its timeline entry, and pays exactly it.
    const seen = (
      await t.api
        .get(a.url(`/orders/${o.id}`))
        .set(bearer(o.buyer.token))
        .expect(200)
    ).body;
    expect(seen.totalFen).toBe(1500);
    expect(seen.events.map((e: { type: string }) => e.type)).toContain('price_adjusted');
    const pay = await t.api
      .post(a.url(`/orders/${o.id}/pay`))
      .set(bearer(o.buyer.token))
      .send({ method: 'sandbox' });
    expect(pay.status).toBe(200);
    await t.api
      .post(a.url(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(bearer(o.buyer.token))
      .expect(200);
    const after = await getOrder(a, o.id);
    expect(after).toMatchObject({ status: 'paid', totalFen: 1500 });
    expect(after.payment.amountFen).toBe(1500);

    // Paid: the price is fixed.
    const locked = await price(a, o.id, { totalFen: 1000, reason: '再便宜点' }).expect(409);
    expect(locked.body.error).toMatchObject({ reason: 'ORDER_PRICE_LOCKED', params: { status: 'paid' } });

    // Refunds by line give back what was paid at the new price, unit by unit, to the fen.
    const one = await t.api
      .post(m(`/orders/${o.id}/refunds`))
      .set(bearer(a.merchant))
      .send({ lines: [{ skuId: o.skuId, quantity: 1 }], reason: '退一件' })
      .expect(201);
    expect(one.body.refundedFen).toBe(750);
    const rest = await t.api
      .post(m(`/orders/${o.id}/refunds`))
      .set(bearer(a.merchant))
      .send({ lines: [{ skuId: o.skuId, quantity: 1 }], reason: '再退一件' })
      .expect(201);
    expect(rest.body).toMatchObject({ status: 'refunded', refundedFen: 1500 });
  });

  it('never below 0.01 yuan, never above checkout, a reason required, the shipping fee not above the total', async () => {
    const o = await unpaid(a);
    for (const body of [
      { totalFen: 0, reason: 'x' },
      { totalFen: -5, reason: 'x' },
      { totalFen: 10.5, reason: 'x' },
      { totalFen: 1000 },
      { totalFen: 1000, reason: '   ' },
      { totalFen: 1000, shippingFen: 1200, reason: 'x' },
    ])
      await price(a, o.id, body).expect(400);
    const above = await price(a, o.id, { totalFen: 2001, reason: '涨价' }).expect(409);
    expect(above.body.error).toMatchObject({ reason: 'ORDER_PRICE_ABOVE_CHECKOUT', params: { max: '20.00' } });

    const oneFen = (await price(a, o.id, { totalFen: 1, reason: '抽奖' }).expect(200)).body;
    expect(oneFen).toMatchObject({ totalFen: 1, discountFen: 1999 });
    // A second change replaces the first adjustment; the goods may go back up to what checkout priced.
    const back = (await price(a, o.id, { totalFen: 2000, reason: '恢复原价' }).expect(200)).body;
    expect(back).toMatchObject({ totalFen: 2000, discountFen: 0 });
    expect(back.discounts).toEqual([]);
    // A shipping fee may be added (the total rises through it), the goods lowered at the same time.
    const shipped = (await price(a, o.id, { totalFen: 1800, shippingFen: 300, reason: '偏远地区运费' }).expect(200))
      .body;
    expect(shipped).toMatchObject({ totalFen: 1800, shippingFen: 300, discountFen: 500 });
    const below = await price(a, o.id, { totalFen: 200, reason: '太贵' }).expect(409);
    expect(below.body.error).toMatchObject({ reason: 'ORDER_PRICE_BELOW_SHIPPING', params: { shipping: '3.00' } });
    const row = await t.platform.knex('orders').where({ id: o.id }).first();
    expect(Number(row.total_fen)).toBe(1800);
  });

  it('closes a prepay made at the old price; a payment of it that still arrives is refunded, the order stays unpaid', async () => {
    const o = await unpaid(a);
    const old = await t.api
      .post(a.url(`/orders/${o.id}/pay`))
      .set(bearer(o.buyer.token))
      .send({ method: 'sandbox' })
      .expect(200);
    await price(a, o.id, { totalFen: 1200, reason: '议价' }).expect(200);
    const oldRow = await t.platform.knex('payments').where({ payment_no: old.body.paymentNo }).first();
    expect(oldRow.status).toBe('closed');

    // The shopper had the old prepay open and pays it anyway: the money goes back, the order is not paid.
    await t.api
      .post(a.url(`/payments/${old.body.paymentNo}/sandbox-confirm`))
      .set(bearer(o.buyer.token))
      .expect(200);
    const still = await getOrder(a, o.id);
    expect(still).toMatchObject({ status: 'pending_payment', totalFen: 1200, paidAt: null });
    expect(still.refunds).toEqual([
      expect.objectContaining({ kind: 'price_changed', amountFen: 2000, status: 'succeeded' }),
    ]);

    // A new prepay is at the new amount, and pays the order.
    const fresh = await t.api
      .post(a.url(`/orders/${o.id}/pay`))
      .set(bearer(o.buyer.token))
      .send({ method: 'sandbox' })
      .expect(200);
    expect(fresh.body.paymentNo).not.toBe(old.body.paymentNo);
    await t.api
      .post(a.url(`/payments/${fresh.body.paymentNo}/sandbox-confirm`))
      .set(bearer(o.buyer.token))
      .expect(200);
    const done = await getOrder(a, o.id);
    expect(done).toMatchObject({ status: 'paid', totalFen: 1200 });
    expect(done.payment.amountFen).toBe(1200);
  });

  it('races with the payment notification: the order is never paid at another amount than it records', async () => {
    const orders = await Promise.all(Array.from({ length: 8 }, () => unpaid(a)));
    const prepays = await Promise.all(
      orders.map((o) =>
        t.api
          .post(a.url(`/orders/${o.id}/pay`))
          .set(bearer(o.buyer.token))
          .send({ method: 'sandbox' })
          .expect(200),
      ),
    );
    // Both at once; for every other order the change leaves a little later, so that either may win (the outcome is
    // checked whichever did, never the timing).
    const later = (i: number) => new Promise((resolve) => setTimeout(resolve, (i % 2) * 15));
    const results = await Promise.all(
      orders.map((o, i) =>
        Promise.all([
          later(i).then(() => price(a, o.id, { totalFen: 1000 + i, reason: '并发改价' })),
          t.api.post(a.url(`/payments/${prepays[i]!.body.paymentNo}/sandbox-confirm`)).set(bearer(o.buyer.token)),
        ]),
      ),
    );
    for (const [i, o] of orders.entries()) {
      const [change, confirm] = results[i]!;
      expect(confirm.status).toBe(200);
      const row = await t.platform.knex('orders').where({ id: o.id }).first();
      const refunds = await t.platform.knex('refunds').where({ order_id: o.id });
      if (row.status === 'paid') {
        // The payment came first: paid at the price it had; the change was refused.
        expect(change.status).toBe(409);
        expect(change.body.error.reason).toBe('ORDER_PRICE_LOCKED');
        expect(Number(row.total_fen)).toBe(2000);
        expect(Number(row.paid_fen)).toBe(2000);
        expect(refunds).toHaveLength(0);
      } else {
        // The change came first: the old payment is refunded in full, the order waits at its new price.
        expect(change.status).toBe(200);
        expect(row.status).toBe('pending_payment');
        expect(Number(row.total_fen)).toBe(1000 + i);
        expect(Number(row.paid_fen)).toBe(0);
        expect(refunds.map((r) => [r.kind, Number(r.amount_fen)])).toEqual([['price_changed', 2000]]);
      }
      const succeeded = await t.platform.knex('payments').where({ order_id: o.id, status: 'succeeded' });
      for (const p of succeeded)
        if (Number(p.id) === Number(row.payment_id)) expect(Number(p.amount_fen)).toBe(Number(row.total_fen));
    }
  });

  it("is the owner's: staff, who may ship and change addresses, may not change a price", async () => {
    const o = await unpaid(a);
    const staff = { email: `staff-${uid()}@example.com`, password: 'staff-password-1' };
    await t.platform.services.identity.addMerchantUser(
      { requestId: 'test', tenantId: null, actor: { type: 'system', job: 'test' }, log: t.platform.log },
      a.shop.id,
      { ...staff, name: 'Staff', role: 'staff' },
    );
    const token = (await t.api.post(m('/auth/login')).send(staff).expect(200)).body.accessToken as string;
    await t.api
      .put(m(`/orders/${o.id}/price`))
      .set(bearer(token))
      .send({ totalFen: 100, reason: 'x' })
      .expect(403);
    await t.api.get(m('/orders/counts')).set(bearer(token)).expect(200);
  });

  it('another shop can neither read nor change the price', async () => {
    const o = await unpaid(a);
    const r = await price(b, o.id, { totalFen: 1, reason: '别人的订单' }).expect(404);
    expect(r.body.error.reason).toBe('ORDER_NOT_FOUND');
    await t.api
      .get(m(`/orders/${o.id}`))
      .set(bearer(b.merchant))
      .expect(404);
    expect((await getOrder(a, o.id)).totalFen).toBe(2000);
  });
});

describe("changing the address at the shopper's request", () => {
  const address = {
    name: '赵六',
    phone: '13900000000',
    regionCode: '110105',
    province: '北京市',
    city: '北京市',
    district: '朝阳区',
    detail: '新地址 8 号',
    reason: '买家来电改地址',
  };

  it('changes an unpaid or paid order, audited and on the timeline; never once shipped; never another shop', async () => {
    const o = await unpaid(a);
    const changed = (
      await t.api
        .put(m(`/orders/${o.id}/address`))
        .set(bearer(a.merchant))
        .send(address)
        .expect(200)
    ).body;
    expect(changed.address).toMatchObject({
      name: '赵六',
      phone: '13900000000',
      district: '朝阳区',
      detail: '新地址 8 号',
    });
    expect(changed.events.at(-1)).toMatchObject({ type: 'address_changed' });
    const audit = (await auditOf(a, 'order.change_address')).find((e) => e.targetId === String(o.id));
    expect(audit?.data).toMatchObject({ reason: '买家来电改地址', to: { name: '赵六', phone: '139****0000' } });

    const p = await paid(a);
    await t.api
      .put(m(`/orders/${p.id}/address`))
      .set(bearer(a.merchant))
      .send(address)
      .expect(200);
    await ship(a, p.id);
    const locked = await t.api
      .put(m(`/orders/${p.id}/address`))
      .set(bearer(a.merchant))
      .send(address)
      .expect(409);
    expect(locked.body.error).toMatchObject({ reason: 'ORDER_ADDRESS_LOCKED', params: { status: 'shipped' } });

    await t.api
      .put(m(`/orders/${o.id}/address`))
      .set(bearer(a.merchant))
      .send({ ...address, phone: '12345' })
      .expect(400);
    await t.api
      .put(m(`/orders/${o.id}/address`))
      .set(bearer(b.merchant))
      .send(address)
      .expect(404);
    const other = await unpaid(a);
    await t.api
      .put(m(`/orders/${other.id}/address`))
      .set(bearer(b.merchant))
      .send(address)
      .expect(404);
    expect((await getOrder(a, other.id)).address.name).toBe('王五');
  });
});

describe("the merchant's flags", () => {
  it('flags an order with a remark, filters the list and the counts by flag, hides the flag from the shopper', async () => {
    const s = await sellingShop(t);
    const w = await buyer(t, s);
    const red = await unpaid(s, w);
    const plain = await unpaid(s, w);
    const flagged = (
      await t.api
        .put(m(`/orders/${red.id}/remark`))
        .set(bearer(s.merchant))
        .send({ remark: '加急', flag: 'red' })
        .expect(200)
    ).body;
    expect(flagged).toMatchObject({ merchantRemark: '加急', merchantFlag: 'red' });
    // A remark alone keeps the flag.
    await t.api
      .put(m(`/orders/${red.id}/remark`))
      .set(bearer(s.merchant))
      .send({ remark: '加急!' })
      .expect(200);
    expect((await getOrder(s, red.id)).merchantFlag).toBe('red');
    await t.api
      .put(m(`/orders/${red.id}/remark`))
      .set(bearer(s.merchant))
      .send({ remark: '', flag: 'pink' })
      .expect(400);

    const list = async (q: string) =>
      (
        (
          await t.api
            .get(m(`/orders?${q}`))
            .set(bearer(s.merchant))
            .expect(200)
        ).body.items as Array<{ id: number }>
      ).map((o) => o.id);
    expect(await list('flag=red')).toEqual([red.id]);
    expect(await list('flag=none')).toEqual([plain.id]);
    expect(await list('flag=blue')).toEqual([]);
    const counts = (await t.api.get(m('/orders/counts?flag=red')).set(bearer(s.merchant)).expect(200)).body;
    expect(counts.all).toBe(1);

    const seen = (
      await t.api
        .get(s.url(`/orders/${red.id}`))
        .set(bearer(w.token))
        .expect(200)
    ).body;
    expect(seen).not.toHaveProperty('merchantFlag');
    expect(seen).not.toHaveProperty('merchantRemark');

    // Null clears it; another shop can neither set nor see it.
    await t.api
      .put(m(`/orders/${red.id}/remark`))
      .set(bearer(b.merchant))
      .send({ remark: 'x', flag: 'blue' })
      .expect(404);
    await t.api
      .put(m(`/orders/${red.id}/remark`))
      .set(bearer(s.merchant))
      .send({ remark: '', flag: null })
      .expect(200);
    expect((await getOrder(s, red.id)).merchantFlag).toBeNull();
    expect(
      ((await t.api.get(m('/orders?flag=red')).set(bearer(b.merchant)).expect(200)).body.items as unknown[]).length,
    ).toBe(0);
  });
});

describe('bulk shipping', () => {
  it('ships the chosen orders, a parcel each, and reports what became of every one', async () => {
    const p1 = await paid(a);
    const p2 = await paid(a);
    const u = await unpaid(a);
    const theirs = await paid(b);
    const report = (
      await t.api
        .post(m('/orders/bulk-ship'))
        .set(bearer(a.merchant))
        .send({
          items: [
            { orderId: p1.id, carrier: 'SF', trackingNo: 'SF100000001' },
            { orderId: p2.id, carrier: 'ZTO', trackingNo: 'ZT100000002' },
            { orderId: u.id, carrier: 'SF', trackingNo: 'SF100000003' },
            { orderId: theirs.id, carrier: 'SF', trackingNo: 'SF100000004' },
          ],
        })
        .expect(200)
    ).body;
    expect(report.rows.map((r: { orderId: number; outcome: string }) => [r.orderId, r.outcome])).toEqual([
      [p1.id, 'shipped'],
      [p2.id, 'shipped'],
      [u.id, 'not_paid'],
      [theirs.id, 'unknown_order'],
    ]);
    expect(report).toMatchObject({ shipped: 2, unchanged: 0, failed: 2 });
    const shipped = await getOrder(a, p2.id);
    expect(shipped).toMatchObject({ status: 'shipped', shipment: { carrier: 'ZTO', trackingNo: 'ZT100000002' } });
    expect(shipped.events.at(-1)).toMatchObject({ type: 'shipped' });
    expect((await auditOf(a, 'order.ship')).map((e) => e.targetId)).toEqual(
      expect.arrayContaining([String(p1.id), String(p2.id)]),
    );
    expect((await getOrder(b, theirs.id)).status).toBe('paid');
    await t.api
      .post(m('/orders/bulk-ship'))
      .set(bearer(a.merchant))
      .send({ items: [{ orderId: p1.id, carrier: 'XX', trackingNo: 'SF100000001' }] })
      .expect(400);
  });

  it('imports a CSV row by row: shipped, unchanged, and every reason why not', async () => {
    const ok = await paid(a);
    const again = await paid(a);
    const u = await unpaid(a);
    const shippedOther = await paid(a);
    await ship(a, shippedOther.id, 'YT999999999');
    const cancelled = await unpaid(a);
    await t.api
      .post(m(`/orders/${cancelled.id}/cancel`))
      .set(bearer(a.merchant))
      .send({ reason: '取消' })
      .expect(200);
    const group = await paid(a);
    await t.platform
      .knex('orders')
      .where({ id: group.id })
      .update({ activity_kind: 'group_buy', activity_id: 1, waiting_for_group: true });
    const theirs = await paid(b);
    const csv = [
      '订单号,快递公司,运单号,备注',
      `${ok.orderNo},顺丰,SF200000001,x`,
      `${again.orderNo},ZTO,ZT200000002,`,
      `${again.orderNo},中通快递,ZT200000002,`,
      `${u.orderNo},SF,SF200000003,`,
      `${shippedOther.orderNo},SF,SF200000004,`,
      `${cancelled.orderNo},SF,SF200000005,`,
      `${group.orderNo},SF,SF200000006,`,
      `${theirs.orderNo},SF,SF200000007,`,
      `20990101000000123,SF,SF200000008,`,
      `${ok.orderNo},飞鸽快递,SF200000009,`,
      `${ok.orderNo},SF,短,`,
      `,SF,SF200000010,`,
    ].join('\n');
    const report = (
      await t.api
        .post(m('/orders/ship-imports'))
        .set(bearer(a.merchant))
        .attach('file', Buffer.from(csv), 'ship.csv')
        .expect(200)
    ).body;
    expect(report.rows.map((r: { row: number; outcome: string }) => [r.row, r.outcome])).toEqual([
      [2, 'shipped'],
      [3, 'shipped'],
      [4, 'unchanged'],
      [5, 'not_paid'],
      [6, 'already_shipped'],
      [7, 'closed'],
      [8, 'group_not_formed'],
      [9, 'unknown_order'],
      [10, 'unknown_order'],
      [11, 'bad_carrier'],
      [12, 'bad_tracking_no'],
      [13, 'missing_order_no'],
    ]);
    expect(report).toMatchObject({ shipped: 2, unchanged: 1, failed: 9 });
    expect(report.rows[4]).toMatchObject({ status: 'shipped' });
    expect(await getOrder(a, ok.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrier: 'SF', trackingNo: 'SF200000001' },
    });
    expect((await getOrder(a, shippedOther.id)).shipment.trackingNo).toBe('YT999999999');
    for (const id of [u.id, cancelled.id, group.id]) expect((await getOrder(a, id)).shipment).toBeNull();
    expect((await getOrder(b, theirs.id)).status).toBe('paid');
  });

  it('imports an XLSX with English headers; refuses a file without the columns it needs', async () => {
    const p = await paid(a);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('ship');
    sheet.addRow(['orderNo', 'carrier', 'trackingNo']);
    sheet.addRow([p.orderNo, 'jd', 'JD300000001']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const report = (
      await t.api.post(m('/orders/ship-imports')).set(bearer(a.merchant)).attach('file', xlsx, 'ship.xlsx').expect(200)
    ).body;
    expect(report.rows).toEqual([
      {
        row: 2,
        orderId: p.id,
        orderNo: p.orderNo,
        carrier: 'jd',
        trackingNo: 'JD300000001',
        outcome: 'shipped',
        status: null,
      },
    ]);
    const bad = await t.api
      .post(m('/orders/ship-imports'))
      .set(bearer(a.merchant))
      .attach('file', Buffer.from('订单号,运单号\n1,SF1234567\n'), 'bad.csv')
      .expect(400);
    expect(bad.body.error).toMatchObject({ reason: 'SHIP_IMPORT_COLUMNS', params: { missing: 'carrier' } });
  });
});
