import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { ALERTS_WS_PATH, type AlertServerFrame, type Notification } from '@shopfleet/contracts';
import { alertsGateway, redisAlertsBus } from '../../../src/modules/notifications';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, merchantLogin } from '../../helpers/fixtures';
import { buyer, paySandbox, placeOrder, product, sellingShop, systemCtx, type SellingShop } from '../../helpers/orders';

let t: TestPlatform;
let server: Server;
let origin: string;
const sockets: AlertSocket[] = [];
/** A second gateway whose staff member has only `review:review:manage` (no role lacks the orders permission today). */
let narrow: ReturnType<typeof alertsGateway>;
let narrowOrigin: string;
let narrowServer: Server;
let narrowTenant = 0;

async function listen(): Promise<{ server: Server; origin: string }> {
  const s = await new Promise<Server>((resolve) => {
    const x = t.app.listen(0, '127.0.0.1', () => resolve(x));
  });
  return { server: s, origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  t = await startTestPlatform();
  ({ server, origin } = await listen());
  await t.platform.services.chat.attach(server);
  await t.platform.services.alerts.attach(server);
  ({ server: narrowServer, origin: narrowOrigin } = await listen());
  narrow = alertsGateway({
    bus: redisAlertsBus(t.platform.redis, t.config.REDIS_PREFIX),
    authenticate: async () => ({
      type: 'merchant',
      userId: 1,
      tenantId: narrowTenant,
      role: 'staff',
      permissions: ['review:review:manage'],
    }),
    log: t.platform.log,
  });
  await narrow.attach(narrowServer);
});
afterAll(async () => {
  for (const s of sockets) s.ws.close();
  await narrow?.close();
  await t?.platform.services.alerts.close();
  await t?.platform.services.chat.close();
  for (const s of [server, narrowServer]) {
    s?.closeAllConnections();
    await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }
  await t?.close();
});

/** An alerts socket as the console holds it: every frame it got, and a way to wait for one. */
class AlertSocket {
  readonly frames: AlertServerFrame[] = [];
  private waiters: Array<{ test: (f: AlertServerFrame) => boolean; resolve: (f: AlertServerFrame) => void }> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as AlertServerFrame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.test(frame) ? (w.resolve(frame), false) : true));
    });
  }
  next(test: (f: AlertServerFrame) => boolean): Promise<AlertServerFrame> {
    const seen = this.frames.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
  alerts(): Notification[] {
    return this.frames.flatMap((f) => (f.type === 'alert' ? [f.notification] : []));
  }
}

async function connect(token: string, at = origin): Promise<AlertSocket> {
  const ws = new WebSocket(`${at.replace(/^http/, 'ws')}${ALERTS_WS_PATH}?${new URLSearchParams({ token })}`);
  const socket = new AlertSocket(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => resolve());
  });
  sockets.push(socket);
  await socket.next((f) => f.type === 'ready');
  return socket;
}

const alertFor = (code: string, orderNo: string) => (f: AlertServerFrame) =>
  f.type === 'alert' && f.notification.textCode === code && f.notification.textParams.orderNo === orderNo;

async function paidOrder(s: SellingShop) {
  const item = await product(t, s, 10, 1234);
  const by = await buyer(t, s);
  const order = await placeOrder(t, s, by, [{ skuId: item.skuId, quantity: 2 }]);
  await paySandbox(t, s, by.token, order.id);
  return { order, by, skuId: item.skuId };
}

const bell = async (token: string) =>
  (await t.api.get('/merchant-api/v1/notifications').query({ pageSize: 50 }).set(bearer(token)).expect(200)).body as {
    items: Notification[];
    unread: number;
  };

describe('live alerts in the console', () => {
  it("a paid order and an after-sales request reach the shop's staff live and in the bell, never another shop", async () => {
    const a = await sellingShop(t);
    const b = await sellingShop(t);
    const owner = await connect(a.merchant);
    const staff = await connect((await merchantLogin(t, a.shop.staff)).accessToken);
    const other = await connect(b.merchant);

    const { order, by, skuId } = await paidOrder(a);
    for (const socket of [owner, staff]) {
      const frame = await socket.next(alertFor('ORDER_PAID', order.orderNo));
      expect(frame).toMatchObject({
        notification: { textParams: { orderNo: order.orderNo, amount: '¥24.68' }, data: { orderId: order.id } },
      });
    }
    const inBell = (await bell(a.merchant)).items.find((n) => n.textCode === 'ORDER_PAID');
    expect(inBell).toMatchObject({ title: '新订单', readAt: null, data: { orderId: order.id } });

    const opened = (
      await t.api
        .post(a.url('/after-sales'))
        .set(bearer(by.token))
        .send({ orderId: order.id, skuId, quantity: 1, kind: 'refund_only', reason: 'quality', description: '有划痕' })
        .expect(201)
    ).body as { caseNo: string };
    const asked = await owner.next(alertFor('AFTER_SALES_REQUESTED', order.orderNo));
    expect(asked).toMatchObject({ notification: { textParams: { caseNo: opened.caseNo } } });

    // Shop b's own alert arrives after a's were published on the same channel: a's never reached b's console.
    const theirs = await paidOrder(b);
    await other.next(alertFor('ORDER_PAID', theirs.order.orderNo));
    expect(other.alerts().map((n) => n.textParams.orderNo)).toEqual([theirs.order.orderNo]);
    expect((await bell(b.merchant)).items.map((n) => n.textParams.orderNo)).not.toContain(order.orderNo);
    // Nor can b mark a's alert read.
    await t.api.post(`/merchant-api/v1/notifications/${inBell!.id}/read`).set(bearer(b.merchant)).expect(404);
  });

  it('a staff member without the permission an alert needs hears nothing of it and does not see it in the bell', async () => {
    const a = await sellingShop(t);
    narrowTenant = a.shop.id;
    const reader = await connect('any', narrowOrigin);
    const { order, by, skuId } = await paidOrder(a);
    // The shopper receives the order and reviews it: that alert, published after the order's on the same channel,
    // arrives; the order's never did.
    await t.api
      .post(`/merchant-api/v1/orders/${order.id}/ship`)
      .set(bearer(a.merchant))
      .send({ carrier: 'ZTO', trackingNo: `ZT${uid()}` })
      .expect(200);
    await t.api
      .post(a.url(`/orders/${order.id}/confirm-receipt`))
      .set(bearer(by.token))
      .expect(200);
    await t.api
      .post(a.url(`/orders/${order.id}/reviews`))
      .set(bearer(by.token))
      .send({ items: [{ skuId, rating: 4, content: '不错' }] })
      .expect(201);
    const reviewed = await reader.next(alertFor('REVIEW_POSTED', order.orderNo));
    expect(reviewed).toMatchObject({ notification: { textParams: { rating: 4 }, data: { orderId: order.id } } });
    expect(reader.alerts().map((n) => n.textCode)).toEqual(['REVIEW_POSTED']);

    const narrowCtx = {
      ...systemCtx(t, a.shop.id),
      actor: {
        type: 'merchant' as const,
        userId: 1,
        tenantId: a.shop.id,
        role: 'staff' as const,
        permissions: ['review:review:manage' as const],
      },
    };
    const seen = await t.platform.services.notifications.list(narrowCtx, 1, 50);
    expect(seen.items.map((n) => n.textCode)).toEqual(['REVIEW_POSTED']);
    expect(seen.unread).toBe(1);
    const orderAlert = (await bell(a.merchant)).items.find((n) => n.textCode === 'ORDER_PAID')!;
    await expect(t.platform.services.notifications.markRead(narrowCtx, orderAlert.id)).rejects.toMatchObject({
      reason: 'NOTIFICATION_NOT_FOUND',
    });
  });

  it('the socket is refused without a merchant token; another path is answered with a 404', async () => {
    const s = await sellingShop(t);
    const by = await buyer(t, s);
    await expect(connect(by.token)).rejects.toThrow('refused: 401');
    await expect(connect(`nope${uid()}`)).rejects.toThrow('refused: 401');
    const elsewhere = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws/other`);
    const status = await new Promise<number>((resolve, reject) => {
      elsewhere.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      elsewhere.once('open', () => reject(new Error('opened')));
      elsewhere.once('error', () => undefined);
    });
    expect(status).toBe(404);
  });
});
