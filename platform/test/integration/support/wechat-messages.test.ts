import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer } from '../../helpers/fixtures';
import { buyer, product, sellingShop, systemCtx, type SellingShop } from '../../helpers/orders';
import { QUEUES } from '@shopfleet/contracts';
import { pngBytes } from '../../helpers/catalog';
import { authorizeMiniProgram, deliverTicket, pushSecrets } from '../../helpers/releases';

let t: TestPlatform;
let pictures: http.Server;
let pictureUrl: string;
beforeAll(async () => {
  t = await startTestPlatform({ WECHAT_SUPPORT_REPLY_TID: '4321' });
  await deliverTicket(t);
  // Where WeChat keeps the pictures users send (a PicUrl to download).
  const png = await pngBytes('#cc3344', 320, 240);
  pictures = http.createServer((_req, res) => {
    res.setHeader('content-type', 'image/png');
    res.end(png);
  });
  await new Promise<void>((resolve) => pictures.listen(0, '127.0.0.1', resolve));
  pictureUrl = `http://127.0.0.1:${(pictures.address() as AddressInfo).port}/mmbiz/pic.png`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => pictures.close(() => resolve()));
  await t?.close();
});

const M = '/merchant-api/v1';
const id = () => `c${uid()}${uid()}`;

/** A selling shop whose mini-program is authorized to the platform. */
async function shopWithMiniProgram(): Promise<SellingShop & { appid: string }> {
  const s = await sellingShop(t);
  return { ...s, appid: await authorizeMiniProgram(t, s.merchant) };
}

/** WeChat pushes a user's message to the platform's message-and-event URL. */
async function push(
  appid: string,
  openid: string,
  message: { text: string } | { picUrl: string } | { title: string; pagePath: string },
  sentAt = t.clock.now(),
) {
  const p = t.wechat.customerServicePush(pushSecrets(t), appid, openid, message, t.clock.now(), sentAt);
  return t.api
    .post(`/webhooks/wechat/events/${appid}`)
    .query(p.query)
    .set('content-type', 'text/xml')
    .send(p.body)
    .expect(200);
}

const inbox = async (s: SellingShop) =>
  (await t.api.get(`${M}/support/conversations?view=queued`).set(bearer(s.merchant)).expect(200)).body;

const reply = (s: SellingShop, conversationId: number, message: Record<string, unknown>) =>
  t.api
    .post(`${M}/support/conversations/${conversationId}/messages`)
    .set(bearer(s.merchant))
    .send({ clientMsgId: id(), ...message });

describe("WeChat's customer-service messages (the mini-program's contact button)", () => {
  it('a user’s messages reach the shop’s inbox once; the answers go back through WeChat', async () => {
    const s = await shopWithMiniProgram();
    const openid = `o${uid()}${uid()}`;
    const p = t.wechat.customerServicePush(
      pushSecrets(t),
      s.appid,
      openid,
      { text: '你好，能开发票吗' },
      t.clock.now(),
    );
    const send = () =>
      t.api.post(`/webhooks/wechat/events/${s.appid}`).query(p.query).set('content-type', 'text/xml').send(p.body);
    expect((await send().expect(200)).text).toBe('success');
    // WeChat sends a push again when it got no answer in time: still one message.
    await send().expect(200);
    await push(s.appid, openid, { picUrl: pictureUrl });
    await push(s.appid, openid, { title: '保温杯', pagePath: 'pages/product/index?id=1' });

    const queued = await inbox(s);
    expect(queued.items).toHaveLength(1);
    const c = queued.items[0];
    expect(c).toMatchObject({ channel: 'wechat', status: 'queued', unread: 3 });
    const history = (await t.api.get(`${M}/support/conversations/${c.id}/messages`).set(bearer(s.merchant)).expect(200))
      .body;
    expect(history.items.map((m: { kind: string; text: string | null }) => [m.kind, m.text])).toEqual([
      ['text', '你好，能开发票吗'],
      ['image', null],
      ['text', '[小程序] 保温杯'],
    ]);
    // The picture was read and kept as the shop's own image.
    expect(history.items[1].imageUrl).toMatch(/^http/);

    // The agent answers with text and an image: WeChat gets them as customer-service messages to that user.
    const answered = (await reply(s, c.id, { kind: 'text', text: '可以的，下单时填写抬头' }).expect(201)).body;
    expect(answered).toMatchObject({ seq: 4, sender: 'agent' });
    const image = (
      await t.api
        .post(`${M}/support/images`)
        .set(bearer(s.merchant))
        .attach('file', await pngBytes('#3344cc', 200, 200), 'invoice.png')
        .expect(201)
    ).body;
    await reply(s, c.id, { kind: 'image', imageId: image.id }).expect(201);
    const sent = t.wechat.customMessages.filter((m) => m.appid === s.appid && m.touser === openid);
    expect(sent.map((m) => m.msgtype)).toEqual(['text', 'image']);
    expect(sent[0]!.content).toBe('可以的，下单时填写抬头');

    // A token WeChat no longer takes is renewed once, transparently.
    t.wechat.expireAuthorizerTokens();
    await reply(s, c.id, { kind: 'text', text: '还有其他问题吗' }).expect(201);
    // A product card is not a customer-service message WeChat takes from us.
    const item = await product(t, s, 5, 1_000);
    const card = await reply(s, c.id, { kind: 'product', productId: item.productId }).expect(409);
    expect(card.body.error.reason).toBe('SUPPORT_KIND_NOT_ALLOWED');
  });

  it('after 48 hours without a word from the user, WeChat takes no answer: nothing is sent, nothing stored', async () => {
    const s = await shopWithMiniProgram();
    const openid = `o${uid()}${uid()}`;
    await push(s.appid, openid, { text: '在吗' }, new Date(t.clock.now().getTime() - 49 * 3_600_000));
    const c = (await inbox(s)).items[0];
    const before = t.wechat.customMessages.length;
    const late = await reply(s, c.id, { kind: 'text', text: '抱歉久等' }).expect(409);
    expect(late.body.error.reason).toBe('SUPPORT_WECHAT_WINDOW_CLOSED');
    expect(t.wechat.customMessages).toHaveLength(before);
    const history = (await t.api.get(`${M}/support/conversations/${c.id}/messages`).set(bearer(s.merchant)).expect(200))
      .body;
    expect(history.lastSeq).toBe(1);
    // The user writes again: the window opens again.
    await push(s.appid, openid, { text: '还在吗' });
    await reply(s, c.id, { kind: 'text', text: '在的' }).expect(201);
  });

  it('a push for a mini-program of no shop, or one that fails its signature, changes nothing', async () => {
    const s = await shopWithMiniProgram();
    const p = t.wechat.customerServicePush(pushSecrets(t), s.appid, `o${uid()}`, { text: '伪造' }, t.clock.now());
    await t.api
      .post(`/webhooks/wechat/events/${s.appid}`)
      .query({ ...p.query, msg_signature: '0'.repeat(40) })
      .set('content-type', 'text/xml')
      .send(p.body)
      .expect(400);
    await push('wxnotashop0000001', `o${uid()}`, { text: '没人' });
    expect((await inbox(s)).total).toBe(0);
  });
});

describe('subscribe messages (订阅消息): a reply the shopper has not read', () => {
  it('reaches WeChat once per acceptance, a minute later, only while unread', async () => {
    const s = await shopWithMiniProgram();
    const b = await buyer(t, s);
    const openid = `o${uid()}${uid()}`;
    await t.platform.knex('shoppers').where({ id: b.shopperId }).update({ openid });
    await t.api.put(`${M}/support/me/status`).set(bearer(s.merchant)).send({ status: 'online' }).expect(200);
    const first = (
      await t.api
        .post(s.url('/support/messages'))
        .set(bearer(b.token))
        .send({ kind: 'text', clientMsgId: id(), text: '请问发票怎么开' })
        .expect(201)
    ).body;
    // The mini-program asks for the shop's own template (added to it from WeChat's library, once).
    const mine = (await t.api.get(s.url('/support')).set(bearer(b.token)).expect(200)).body;
    expect(mine.subscribeTemplateId).toEqual(expect.any(String));
    expect((await t.api.get(s.url('/support')).set(bearer(b.token)).expect(200)).body.subscribeTemplateId).toBe(
      mine.subscribeTemplateId,
    );

    const answered = (await reply(s, first.conversationId, { kind: 'text', text: '下单时填写抬头即可' }).expect(201))
      .body;
    const queued = await t.platform.queues.get(QUEUES.support).getJob(`sn-${s.shop.id}-${first.conversationId}`);
    expect(queued?.data).toEqual({ tenantId: s.shop.id, conversationId: first.conversationId, seq: answered.seq });
    const ctx = systemCtx(t, s.shop.id);
    const notify = () => t.platform.services.support.notifyReply(ctx, first.conversationId, answered.seq);
    // Not accepted yet: nothing goes to WeChat.
    expect(await notify()).toBe('no_credit');
    // The shopper accepts in wx.requestSubscribeMessage, and the mini-program says so.
    t.wechat.acceptSubscription(s.appid, openid, mine.subscribeTemplateId);
    await t.api
      .post(s.url('/support/subscribe'))
      .set(bearer(b.token))
      .send({ templateId: mine.subscribeTemplateId, accepted: true })
      .expect(200);
    expect(await notify()).toBe('sent');
    const sent = t.wechat.subscribeMessages.filter((m) => m.touser === openid);
    expect(sent).toEqual([
      expect.objectContaining({ templateId: mine.subscribeTemplateId, page: 'pages/support/chat' }),
    ]);
    expect(sent[0]!.data.thing2!.value).toBe('下单时填写抬头即可');
    // One acceptance, one message.
    expect(await notify()).toBe('no_credit');
    // Read meanwhile: no message.
    await t.api.post(s.url('/support/read')).set(bearer(b.token)).send({ seq: answered.seq }).expect(200);
    expect(await notify()).toBe('read');
  });
});
