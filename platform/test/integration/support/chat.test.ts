import WebSocket from 'ws';
import type { SupportMessage, SupportServerFrame } from '@shopfleet/contracts';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, merchantLogin } from '../../helpers/fixtures';
import { buyer, placeOrder, product, sellingShop, type SellingShop } from '../../helpers/orders';
import { ChatClient, serveChat } from '../../helpers/chat';

let t: TestPlatform;
let served: Awaited<ReturnType<typeof serveChat>>;
const clients: ChatClient[] = [];
beforeAll(async () => {
  t = await startTestPlatform();
  served = await serveChat(t);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await served?.close();
  await t?.close();
});

const M = '/merchant-api/v1';
const id = () => `c${uid()}${uid()}`;

async function connect(who: Parameters<typeof ChatClient.connect>[1], origin = served.origin) {
  const c = await ChatClient.connect(origin, who);
  clients.push(c);
  return c;
}

const shopperSocket = (s: SellingShop, token: string, origin?: string) =>
  connect({ audience: 'shopper', shop: s.shop.slug, token }, origin);
const agentSocket = (token: string, origin?: string) => connect({ audience: 'merchant', token }, origin);

const online = (s: SellingShop, token = s.merchant) =>
  t.api.put(`${M}/support/me/status`).set(bearer(token)).send({ status: 'online' }).expect(200);

/** Sends over the socket and waits for its acknowledgement (or error). */
async function say(c: ChatClient, text: string, conversationId?: number) {
  const clientMsgId = id();
  c.send({ type: 'send', conversationId, message: { kind: 'text', clientMsgId, text } });
  return c.next<Extract<SupportServerFrame, { type: 'ack' | 'error' }>>(
    (f) => (f.type === 'ack' || f.type === 'error') && f.clientMsgId === clientMsgId,
  );
}

const seqs = (list: SupportMessage[]) => list.map((m) => m.seq);

describe('a conversation, live', () => {
  it('the first message waits in the queue; an agent coming online gets it; both sides get each message once, in order', async () => {
    const s = await sellingShop(t);
    const b = await buyer(t, s);
    const shopper = await shopperSocket(s, b.token);
    expect((await t.api.get(s.url('/support')).set(bearer(b.token)).expect(200)).body).toMatchObject({
      conversationId: null,
      agentsOnline: false,
    });

    const first = await say(shopper, '你好，请问有货吗？');
    if (first.type !== 'ack') throw new Error(JSON.stringify(first));
    expect(first.message).toMatchObject({ seq: 1, sender: 'shopper', kind: 'text', text: '你好，请问有货吗？' });
    const conversationId = first.message.conversationId;
    const queued = (await t.api.get(`${M}/support/conversations?view=queued`).set(bearer(s.merchant)).expect(200)).body;
    expect(queued.items.map((c: { id: number }) => c.id)).toEqual([conversationId]);
    expect(queued.items[0]).toMatchObject({
      status: 'queued',
      unread: 1,
      lastMessage: { preview: '你好，请问有货吗？' },
    });

    // The agent comes online: the queue is handed out, and every agent's inbox hears of it.
    const agent = await agentSocket(s.merchant);
    await online(s);
    const assigned = await agent.next<Extract<SupportServerFrame, { type: 'conversation' }>>(
      (f) => f.type === 'conversation' && f.conversation.id === conversationId && f.conversation.status === 'open',
    );
    expect(assigned.conversation.agentId).not.toBeNull();
    agent.send({ type: 'resume', conversations: [{ id: conversationId, afterSeq: 0 }] });
    await agent.next((f) => f.type === 'resumed' && f.conversationId === conversationId);
    expect(seqs(agent.messages(conversationId))).toEqual([1]);

    const reply = await say(agent, '有的，今天下单明天发货', conversationId);
    expect(reply).toMatchObject({ type: 'ack', message: { seq: 2, sender: 'agent' } });
    await shopper.next((f) => f.type === 'message' && f.message.seq === 2);
    await say(shopper, '好的，谢谢');
    await agent.next((f) => f.type === 'message' && f.message.seq === 3);
    // Each side got each message once, in order (its own ones as well, for its other devices).
    expect(seqs(shopper.messages(conversationId))).toEqual([1, 2, 3]);
    expect(seqs(agent.messages(conversationId))).toEqual([1, 2, 3]);
    expect(shopper.messages(conversationId)[1]).toMatchObject({ senderName: expect.any(String) });

    // Unread both ways, and read.
    expect((await t.api.get(s.url('/support')).set(bearer(b.token)).expect(200)).body).toMatchObject({
      conversationId,
      lastSeq: 3,
      unread: 1,
      status: 'open',
      agentsOnline: true,
    });
    await t.api.post(s.url('/support/read')).set(bearer(b.token)).send({ seq: 3 }).expect(200);
    expect((await t.api.get(s.url('/support')).set(bearer(b.token)).expect(200)).body.unread).toBe(0);
    await agent.next((f) => f.type === 'read' && f.by === 'shopper' && f.seq === 3);
    const me = (await t.api.get(`${M}/support/me`).set(bearer(s.merchant)).expect(200)).body;
    expect(me).toMatchObject({ status: 'online', unread: 2, queued: 0 });
  });

  it('a conversation that reached a socket live, then resumed from an older seq, is not delivered twice', async () => {
    const s = await sellingShop(t);
    const b = await buyer(t, s);
    await online(s);
    const agent = await agentSocket(s.merchant);
    const shopper = await shopperSocket(s, b.token);
    const first = await say(shopper, '第一条');
    if (first.type !== 'ack') throw new Error('not sent');
    const conversationId = first.message.conversationId;
    await agent.next((f) => f.type === 'message' && f.message.seq === 1);
    await say(shopper, '第二条');
    await agent.next((f) => f.type === 'message' && f.message.seq === 2);
    // The console opens it and resumes from what it had stored (nothing): no message comes twice.
    agent.send({ type: 'resume', conversations: [{ id: conversationId, afterSeq: 0 }] });
    await agent.next((f) => f.type === 'resumed' && f.conversationId === conversationId);
    await say(shopper, '第三条');
    await agent.next((f) => f.type === 'message' && f.message.seq === 3);
    expect(seqs(agent.messages(conversationId))).toEqual([1, 2, 3]);
  });

  it('a retry with the same client id stores nothing new; text is kept as text', async () => {
    const s = await sellingShop(t);
    const b = await buyer(t, s);
    const body = { kind: 'text', clientMsgId: id(), text: '<b>加粗</b><script>alert(1)</script>' };
    const once = (await t.api.post(s.url('/support/messages')).set(bearer(b.token)).send(body).expect(201)).body;
    const twice = (await t.api.post(s.url('/support/messages')).set(bearer(b.token)).send(body).expect(201)).body;
    expect(twice.seq).toBe(once.seq);
    expect(once.text).toBe('<b>加粗</b><script>alert(1)</script>');
    const history = (await t.api.get(s.url('/support/messages')).set(bearer(b.token)).expect(200)).body;
    expect(history.items).toHaveLength(1);
  });

  it('a shopper who reconnects resumes after the last seq it has: nothing lost, nothing twice', async () => {
    const s = await sellingShop(t);
    const b = await buyer(t, s);
    await online(s);
    const shopper = await shopperSocket(s, b.token);
    const opened = await say(shopper, '我的快递到哪了');
    if (opened.type !== 'ack') throw new Error('not sent');
    const conversationId = opened.message.conversationId;
    await shopper.next((f) => f.type === 'message' && f.message.seq === 1);
    await shopper.close();

    // While the shopper is away, the agent answers three times.
    for (const text of ['您好', '已经在路上了', '预计明天到']) await say(await agentFor(s), text, conversationId);
    const back = await shopperSocket(s, b.token);
    back.send({ type: 'resume', conversations: [{ id: conversationId, afterSeq: 1 }] });
    await back.next((f) => f.type === 'resumed' && f.conversationId === conversationId);
    expect(seqs(back.messages(conversationId))).toEqual([2, 3, 4]);
    // Live again after the catch-up.
    await say(await agentFor(s), '还有别的问题吗', conversationId);
    await back.next((f) => f.type === 'message' && f.message.seq === 5);
    expect(seqs(back.messages(conversationId))).toEqual([2, 3, 4, 5]);
  });

  it('cards: a product; the shopper’s own order; never another shopper’s order', async () => {
    const s = await sellingShop(t);
    const b = await buyer(t, s);
    const other = await buyer(t, s);
    const item = await product(t, s, 10, 2_990);
    const order = await placeOrder(t, s, b, [{ skuId: item.skuId, quantity: 1 }]);
    const theirs = await placeOrder(t, s, other, [{ skuId: item.skuId, quantity: 1 }]);
    const card = (
      await t.api
        .post(s.url('/support/messages'))
        .set(bearer(b.token))
        .send({ kind: 'product', clientMsgId: id(), productId: item.productId })
        .expect(201)
    ).body;
    expect(card).toMatchObject({ kind: 'product', card: { type: 'product', id: item.productId, priceFen: 2_990 } });
    const orderCard = (
      await t.api
        .post(s.url('/support/messages'))
        .set(bearer(b.token))
        .send({ kind: 'order', clientMsgId: id(), orderId: order.id })
        .expect(201)
    ).body;
    expect(orderCard.card).toMatchObject({ type: 'order', id: order.id, status: 'pending_payment' });
    await t.api
      .post(s.url('/support/messages'))
      .set(bearer(b.token))
      .send({ kind: 'order', clientMsgId: id(), orderId: theirs.id })
      .expect(404);
    // The conversation started with the product.
    const inbox = (await t.api.get(`${M}/support/conversations?view=queued`).set(bearer(s.merchant)).expect(200)).body;
    expect(inbox.items[0].startedWith).toMatchObject({ type: 'product', id: item.productId });
    const detail = (
      await t.api.get(`${M}/support/conversations/${inbox.items[0].id}`).set(bearer(s.merchant)).expect(200)
    ).body;
    expect(detail).toMatchObject({ orderCount: 1, recentOrders: [{ id: order.id }] });
    // Agents send text, images and products; not the shopper's orders.
    await t.api
      .post(`${M}/support/conversations/${inbox.items[0].id}/messages`)
      .set(bearer(s.merchant))
      .send({ kind: 'order', clientMsgId: id(), orderId: order.id })
      .expect(409);
  });
});

/** The shop owner's agent socket (one per shop, reused). */
const agents = new Map<number, ChatClient>();
async function agentFor(s: SellingShop): Promise<ChatClient> {
  const known = agents.get(s.shop.id);
  if (known) return known;
  const c = await agentSocket(s.merchant);
  agents.set(s.shop.id, c);
  return c;
}

describe('agents', () => {
  it('new conversations go to the least busy online agent; a transfer goes only to one online; closing frees the load', async () => {
    const s = await sellingShop(t);
    const staff = (await merchantLogin(t, s.shop.staff)).accessToken;
    await online(s);
    await online(s, staff);
    const shoppers = await Promise.all([0, 1, 2, 3].map(() => buyer(t, s)));
    for (const b of shoppers)
      await t.api
        .post(s.url('/support/messages'))
        .set(bearer(b.token))
        .send({ kind: 'text', clientMsgId: id(), text: '在吗' })
        .expect(201);
    const agentsNow = (await t.api.get(`${M}/support/agents`).set(bearer(s.merchant)).expect(200)).body;
    expect(agentsNow.map((a: { load: number }) => a.load)).toEqual([2, 2]);
    const mine = (await t.api.get(`${M}/support/conversations?view=mine`).set(bearer(s.merchant)).expect(200)).body;
    expect(mine.total).toBe(2);

    const staffId = agentsNow.find((a: { name: string; userId: number }) => a.userId !== mine.items[0].agentId).userId;
    await t.api.put(`${M}/support/me/status`).set(bearer(staff)).send({ status: 'away' }).expect(200);
    const refused = await t.api
      .post(`${M}/support/conversations/${mine.items[0].id}/transfer`)
      .set(bearer(s.merchant))
      .send({ agentId: staffId })
      .expect(409);
    expect(refused.body.error.reason).toBe('SUPPORT_AGENT_NOT_ONLINE');
    await online(s, staff);
    const moved = (
      await t.api
        .post(`${M}/support/conversations/${mine.items[0].id}/transfer`)
        .set(bearer(s.merchant))
        .send({ agentId: staffId })
        .expect(200)
    ).body;
    expect(moved).toMatchObject({ agentId: staffId, status: 'open' });
    // The agent who no longer has it cannot answer it.
    const taken = await t.api
      .post(`${M}/support/conversations/${mine.items[0].id}/messages`)
      .set(bearer(s.merchant))
      .send({ kind: 'text', clientMsgId: id(), text: '我来' })
      .expect(409);
    expect(taken.body.error.reason).toBe('SUPPORT_CONVERSATION_TAKEN');
    await t.api.post(`${M}/support/conversations/${mine.items[1].id}/close`).set(bearer(s.merchant)).expect(200);
    const after = (await t.api.get(`${M}/support/agents`).set(bearer(s.merchant)).expect(200)).body;
    expect(after.map((a: { load: number }) => a.load).sort()).toEqual([0, 3]);
  });

  it('thirty first messages at once: thirty conversations, spread evenly over the agents online', async () => {
    const s = await sellingShop(t);
    const staff = (await merchantLogin(t, s.shop.staff)).accessToken;
    await online(s);
    await online(s, staff);
    const shoppers = await Promise.all(Array.from({ length: 30 }, () => buyer(t, s)));
    const sent = await Promise.all(
      shoppers.map((b) =>
        t.api
          .post(s.url('/support/messages'))
          .set(bearer(b.token))
          .send({ kind: 'text', clientMsgId: id(), text: '同时到达' }),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(new Set(sent.map((r) => r.body.conversationId)).size).toBe(30);
    const loads = (await t.api.get(`${M}/support/agents`).set(bearer(s.merchant)).expect(200)).body;
    expect(loads.map((a: { load: number }) => a.load)).toEqual([15, 15]);
  });

  it('search, quick replies, and the limits: size, rate, images that are not the sender’s', async () => {
    const s = await sellingShop(t);
    const b = await buyer(t, s);
    const send = (text: string) =>
      t.api.post(s.url('/support/messages')).set(bearer(b.token)).send({ kind: 'text', clientMsgId: id(), text });
    await send('请问这件羽绒服有黑色吗').expect(201);
    const hits = (await t.api.get(`${M}/support/search?q=羽绒服`).set(bearer(s.merchant)).expect(200)).body;
    expect(hits.items).toHaveLength(1);
    expect(hits.items[0].message.text).toContain('羽绒服');
    expect((await t.api.get(`${M}/support/search?q=100%25`).set(bearer(s.merchant)).expect(200)).body.total).toBe(0);

    const quick = (
      await t.api.post(`${M}/support/quick-replies`).set(bearer(s.merchant)).send({ text: '亲，在的' }).expect(201)
    ).body;
    await t.api.put(`${M}/support/quick-replies/${quick.id}`).set(bearer(s.merchant)).send({ text: '亲，在的～' });
    expect((await t.api.get(`${M}/support/quick-replies`).set(bearer(s.merchant)).expect(200)).body).toEqual([
      { id: quick.id, text: '亲，在的～' },
    ]);

    const long = await send('长'.repeat(1_001)).expect(400);
    expect(long.body.error.code).toBe('VALIDATION_FAILED');
    await t.api
      .post(s.url('/support/messages'))
      .set(bearer(b.token))
      .send({ kind: 'image', clientMsgId: id(), imageId: 999_999_999 })
      .expect(400);
    const results = [];
    for (let i = 0; i < 21; i++) results.push((await send(`第 ${i} 条`)).status);
    expect(results.filter((x) => x === 429)).not.toHaveLength(0);
    const limited = await send('再来一条').expect(429);
    expect(limited.body.error.reason).toBe('SUPPORT_TOO_FAST');
  });
});

describe('isolation', () => {
  it('no shopper reads another’s conversation; no shop another’s; sockets are refused another shop’s token', async () => {
    const [s, other] = await Promise.all([sellingShop(t), sellingShop(t)]);
    const b = await buyer(t, s);
    const stranger = await buyer(t, s);
    const sent = (
      await t.api
        .post(s.url('/support/messages'))
        .set(bearer(b.token))
        .send({ kind: 'text', clientMsgId: id(), text: '私密问题' })
        .expect(201)
    ).body;
    // Another shopper has their own (empty) conversation, and cannot resume this one.
    expect((await t.api.get(s.url('/support/messages')).set(bearer(stranger.token)).expect(200)).body.items).toEqual(
      [],
    );
    const theirSocket = await shopperSocket(s, stranger.token);
    theirSocket.send({ type: 'resume', conversations: [{ id: sent.conversationId, afterSeq: 0 }] });
    await theirSocket.next((f) => f.type === 'error' && f.reason === 'SUPPORT_CONVERSATION_NOT_FOUND');
    expect(theirSocket.messages()).toEqual([]);

    // Another shop's staff neither see nor answer it, over the API or the socket.
    await t.api.get(`${M}/support/conversations/${sent.conversationId}`).set(bearer(other.merchant)).expect(404);
    await t.api
      .post(`${M}/support/conversations/${sent.conversationId}/messages`)
      .set(bearer(other.merchant))
      .send({ kind: 'text', clientMsgId: id(), text: '你好' })
      .expect(404);
    expect((await t.api.get(`${M}/support/search?q=私密`).set(bearer(other.merchant)).expect(200)).body.total).toBe(0);
    const otherAgent = await agentSocket(other.merchant);
    otherAgent.send({ type: 'watch', conversationId: sent.conversationId, afterSeq: 0 });
    await otherAgent.next((f) => f.type === 'error' && f.reason === 'SUPPORT_CONVERSATION_NOT_FOUND');
    const reply = await say(otherAgent, '插话', sent.conversationId);
    expect(reply).toMatchObject({ type: 'error', code: 'NOT_FOUND' });

    // A shopper's token of one shop is refused in another's; a shopper's token is not an agent's; no token, no socket.
    await expect(shopperSocket(other, b.token)).rejects.toThrow('refused: 401');
    await expect(agentSocket(b.token)).rejects.toThrow('refused: 401');
    await expect(agentSocket('nope')).rejects.toThrow('refused: 401');
    // An upgrade anywhere else is answered too, never left hanging.
    const elsewhere = new WebSocket(`${served.origin.replace(/^http/, 'ws')}/ws/other`);
    const status = await new Promise<number>((resolve, reject) => {
      elsewhere.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      elsewhere.once('open', () => reject(new Error('opened')));
      elsewhere.once('error', () => undefined);
    });
    expect(status).toBe(404);
  });
});

describe('two API processes', () => {
  it('a message sent through one reaches a client connected to the other, both ways', async () => {
    // A second platform on the same MySQL and Redis, as a second API process would be.
    const second = await startTestPlatform({
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_PREFIX: t.config.REDIS_PREFIX,
    });
    const servedTwo = await serveChat(second);
    try {
      const s = await sellingShop(t);
      const b = await buyer(t, s);
      await online(s);
      const shopper = await shopperSocket(s, b.token, served.origin);
      const agent = await agentSocket(s.merchant, servedTwo.origin);
      const opened = await say(shopper, '两个进程之间能收到吗');
      if (opened.type !== 'ack') throw new Error('not sent');
      const conversationId = opened.message.conversationId;
      await agent.next((f) => f.type === 'message' && f.message.seq === 1);
      await say(agent, '能收到', conversationId);
      await shopper.next((f) => f.type === 'message' && f.message.seq === 2);
      expect(seqs(shopper.messages(conversationId))).toEqual([1, 2]);
      expect(seqs(agent.messages(conversationId))).toEqual([1, 2]);
    } finally {
      await servedTwo.close();
      await second.close();
    }
  });
});
