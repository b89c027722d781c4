import type { OrderTracking } from '@shopfleet/contracts';
import { Kuaidi100Client } from '../../../src/integrations/kuaidi100';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, paySandbox, placeOrder, product, sellingShop, type SellingShop } from '../../helpers/orders';
import { FakeKuaidi100 } from '../../fakes/kuaidi100-server';
import { pdfText as readPdf } from '../../helpers/pdf';

const M = '/merchant-api/v1';
let t: TestPlatform;
/** The same database, with no tracking provider and no Chinese font where PDF_CJK_FONT points. */
let bare: TestPlatform;
const kuaidi100 = new FakeKuaidi100();

beforeAll(async () => {
  await kuaidi100.start();
  t = await startTestPlatform({
    KUAIDI100_API_URL: kuaidi100.url,
    KUAIDI100_CUSTOMER: kuaidi100.customer,
    KUAIDI100_KEY: kuaidi100.key,
  });
  bare = await startTestPlatform({ PDF_CJK_FONT: '/nonexistent/NotoSansCJK-Regular.ttc' });
});
afterAll(async () => {
  await bare?.close();
  await t?.close();
  await kuaidi100.close();
});

/** A paid order of shop `s` (two lines), shipped with `carrier` and a new tracking number when asked. */
async function order(s: SellingShop, ship?: 'ZTO' | 'SF') {
  const [one, two] = [await product(t, s, 10, 1990), await product(t, s, 10, 500)];
  const by = await buyer(t, s);
  const o = await placeOrder(t, s, by, [
    { skuId: one.skuId, quantity: 2 },
    { skuId: two.skuId, quantity: 1 },
  ]);
  await paySandbox(t, s, by.token, o.id);
  const trackingNo = `${ship ?? 'X'}${uid()}${uid()}`.toUpperCase();
  if (ship)
    await t.api
      .post(`${M}/orders/${o.id}/ship`)
      .set(bearer(s.merchant))
      .send({ carrier: ship, trackingNo })
      .expect(200);
  return { ...o, by, trackingNo };
}

/** The PDF's text without white space (a line may break anywhere), and its pages. */
async function pdfText(bytes: Buffer): Promise<{ text: string; pages: number }> {
  const { text, pages } = await readPdf(bytes);
  return { text: text.replace(/\s+/g, ''), pages };
}

const print = (api: TestPlatform['api'], token: string, kind: string, ids: number[]) =>
  api
    .get(`${M}/order-prints`)
    .query({ kind, ids: ids.join(',') })
    .set(bearer(token))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

describe('printing', () => {
  it('packing lists of several orders are one PDF, a page each, with the order numbers, the lines and the receiver', async () => {
    const s = await sellingShop(t);
    const [a, b] = [await order(s), await order(s, 'ZTO')];
    const res = await print(t.api, s.merchant, 'packing_list', [a.id, b.id]).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = await pdfText(bytes);
    expect(pages).toBe(2);
    for (const no of [a.orderNo, b.orderNo]) expect(text).toContain(no);
    expect(text).toContain('发货单');
    expect(text).toContain('王五');
    expect(text).toContain('¥39.80');
  });

  it("a shipping label says the receiver, the carrier's number and the order number", async () => {
    const s = await sellingShop(t);
    const shipped = await order(s, 'ZTO');
    const { text, pages } = await pdfText(
      (await print(t.api, s.merchant, 'shipping_label', [shipped.id]).expect(200)).body as Buffer,
    );
    expect(pages).toBe(1);
    expect(text).toContain(shipped.orderNo);
    expect(text).toContain(shipped.trackingNo);
    expect(text).toContain('中通快递');
    expect(text).toContain('福建省福州市鼓楼区测试路1号');
  });

  it("another shop's order is not found, alone or among the merchant's own; bad ids are refused", async () => {
    const a = await sellingShop(t);
    const b = await sellingShop(t);
    const theirs = await order(a);
    const mine = await order(b);
    for (const ids of [[theirs.id], [mine.id, theirs.id]]) {
      const res = await t.api
        .get(`${M}/order-prints`)
        .query({ kind: 'packing_list', ids: ids.join(',') })
        .set(bearer(b.merchant))
        .expect(404);
      expect(res.body.error.reason).toBe('ORDER_NOT_FOUND');
    }
    for (const query of [{ kind: 'packing_list', ids: 'x,1' }, { kind: 'invoice', ids: String(mine.id) }, {}])
      await t.api.get(`${M}/order-prints`).query(query).set(bearer(b.merchant)).expect(400);
  });

  it('without the Chinese font the print says so (503), never a 500', async () => {
    const s = await sellingShop(bare);
    const res = await bare.api
      .get(`${M}/order-prints`)
      .query({ kind: 'packing_list', ids: '1' })
      .set(bearer(s.merchant))
      .expect(404);
    expect(res.body.error.reason).toBe('ORDER_NOT_FOUND');
    const o = await order(s);
    const missing = await bare.api
      .get(`${M}/order-prints`)
      .query({ kind: 'packing_list', ids: String(o.id) })
      .set(bearer(s.merchant))
      .expect(503);
    expect(missing.body.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'PRINT_FONT_MISSING' });
  });
});

describe('tracking', () => {
  const track = (s: SellingShop, token: string, id: number, api = t.api) =>
    api.get(s.url(`/orders/${id}/tracking`)).set(bearer(token));

  it("the parcel's route from Kuaidi100, newest first, for its shopper and its merchant; asked once for both", async () => {
    const s = await sellingShop(t);
    const o = await order(s, 'ZTO');
    kuaidi100.addParcel('zhongtong', o.trackingNo, {
      state: '5',
      data: [
        { time: '2026-12-05 09:12:00', context: '【福州】已揽收', location: '福州' },
        { time: '2026-12-06 08:30:00', context: '【鼓楼区】派件中，快递员 13800000000', location: '福州市鼓楼区' },
        { time: '2026-12-05 21:40:00', context: '离开【福州转运中心】' },
      ],
    });
    const before = kuaidi100.queries.length;
    const shopper = (await track(s, o.by.token, o.id).expect(200)).body as OrderTracking;
    expect(shopper).toMatchObject({
      carrier: 'ZTO',
      carrierName: '中通快递',
      trackingNo: o.trackingNo,
      status: 'live',
      state: 'out_for_delivery',
    });
    expect(shopper.carrierUrl).toContain(o.trackingNo);
    expect(shopper.checkpoints.map((c) => c.at)).toEqual([
      '2026-12-06T00:30:00.000Z',
      '2026-12-05T13:40:00.000Z',
      '2026-12-05T01:12:00.000Z',
    ]);
    expect(shopper.checkpoints[0]).toMatchObject({ location: '福州市鼓楼区' });
    expect(shopper.checkpoints[1]!.location).toBeNull();
    const merchant = (await t.api.get(`${M}/orders/${o.id}/tracking`).set(bearer(s.merchant)).expect(200))
      .body as OrderTracking;
    expect(merchant).toEqual(shopper);
    // Cached: the provider was asked once, with the receiver's phone.
    expect(kuaidi100.queries.slice(before)).toEqual([{ com: 'zhongtong', num: o.trackingNo, phone: '13700000000' }]);
  });

  it('a 顺丰 parcel is asked with the receiver phone; none yet is not_found; the provider failing is unavailable', async () => {
    const s = await sellingShop(t);
    const sf = await order(s, 'SF');
    kuaidi100.addParcel('shunfeng', sf.trackingNo, {
      state: '3',
      phone: '13700000000',
      data: [{ time: '2026-12-06 10:00:00', context: '已签收' }],
    });
    expect((await track(s, sf.by.token, sf.id).expect(200)).body).toMatchObject({ status: 'live', state: 'delivered' });

    const early = await order(s, 'ZTO');
    expect((await track(s, early.by.token, early.id).expect(200)).body).toMatchObject({
      status: 'not_found',
      state: null,
      checkpoints: [],
      trackingNo: early.trackingNo,
    });

    for (const failure of ['601', '502', 'http502']) {
      const failing = await order(s, 'ZTO');
      kuaidi100.failWith = failure;
      try {
        const body = (await track(s, failing.by.token, failing.id).expect(200)).body as OrderTracking;
        expect(body).toMatchObject({ status: 'unavailable', checkpoints: [], trackingNo: failing.trackingNo });
      } finally {
        kuaidi100.failWith = null;
      }
    }
  });

  it('a query signed with another key is refused by the provider (503), and said as unavailable', async () => {
    const client = new Kuaidi100Client({ customer: kuaidi100.customer, key: 'not-the-key' }, { url: kuaidi100.url });
    expect(await client.query({ carrier: 'ZTO', trackingNo: 'ZT123456', phone: null })).toEqual({
      status: 'unavailable',
      why: 'returnCode 503: 验证签名失败',
    });
  });

  it('an order not shipped is a 409; another shopper, another shop and its merchant find nothing', async () => {
    const a = await sellingShop(t);
    const b = await sellingShop(t);
    const unshipped = await order(a);
    expect((await track(a, unshipped.by.token, unshipped.id).expect(409)).body.error.reason).toBe('ORDER_NOT_SHIPPED');
    const shipped = await order(a, 'ZTO');
    const stranger = await buyer(t, a);
    expect((await track(a, stranger.token, shipped.id).expect(404)).body.error.reason).toBe('ORDER_NOT_FOUND');
    const elsewhere = await buyer(t, b);
    await track(b, elsewhere.token, shipped.id).expect(404);
    await t.api.get(`${M}/orders/${shipped.id}/tracking`).set(bearer(b.merchant)).expect(404);
  });

  it('with no provider configured: the tracking number and the carrier page, nothing else', async () => {
    const s = await sellingShop(bare);
    const product1 = await product(bare, s, 5, 100);
    const by = await buyer(bare, s);
    const o = await placeOrder(bare, s, by, [{ skuId: product1.skuId, quantity: 1 }]);
    await paySandbox(bare, s, by.token, o.id);
    await bare.api
      .post(`${M}/orders/${o.id}/ship`)
      .set(bearer(s.merchant))
      .send({ carrier: 'YTO', trackingNo: 'YT1234567890' })
      .expect(200);
    const body = (await track(s, by.token, o.id, bare.api).expect(200)).body as OrderTracking;
    expect(body).toEqual({
      carrier: 'YTO',
      carrierName: '圆通速递',
      trackingNo: 'YT1234567890',
      carrierUrl: 'https://www.kuaidi100.com/chaxun?com=yuantong&nu=YT1234567890',
      status: 'not_configured',
      state: null,
      checkpoints: [],
      checkedAt: null,
    });
  });
});
