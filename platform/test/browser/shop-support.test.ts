import sharp from 'sharp';
import type { Page } from 'playwright-core';
import type { ShopSupport, SupportConversation, SupportMessage } from '@shopfleet/contracts';
import { DEMO } from '@shopfleet/platform';
import { yuan } from '../helpers/browser';
import { addressByApi, demoProduct, demoShopApi, demoSuite, shopperBearer, type Bearer } from '../helpers/demo-suite';
import { eventually, field, phone, shopHome, signInByPhone, visible } from '../helpers/shop-steps';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();
const M = '/merchant-api/v1';
const SHOPPER_PHONE = '13600000081';
const MUG = '北欧陶瓷马克杯';

/**
 * Lets the test take the page's network away from its chat, as a phone losing its signal: every WebSocket the page
 * opens is kept, `drop()` closes them, and while `blocked` a new one goes nowhere (it fails as a refused one would).
 */
async function holdSockets(page: Page): Promise<{ drop(): Promise<void>; block(on: boolean): Promise<void> }> {
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    const held = { sockets: [] as WebSocket[], blocked: false };
    (window as unknown as { __chat: typeof held }).__chat = held;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(held.blocked ? 'ws://127.0.0.1:9/' : url, protocols);
        held.sockets.push(this);
      }
    };
  });
  type Held = { __chat: { sockets: WebSocket[]; blocked: boolean } };
  return {
    drop: () =>
      page.evaluate(() => {
        for (const s of (window as unknown as Held).__chat.sockets) s.close();
      }),
    block: (on) =>
      page.evaluate((value) => {
        (window as unknown as Held).__chat.blocked = value;
      }, on),
  };
}

/** A bubble of the chat by its seq (and side). */
const bubble = (page: Page, seq: number, side?: 'shopper' | 'agent') =>
  page.locator(
    `[data-testid="support-message"][data-seq="${seq}"]${side ? `[data-side="${side}"]` : ''}[data-state="sent"]:visible`,
  );

/** The seqs of the bubbles the chat shows, in order. */
const shownSeqs = (page: Page) =>
  page
    .locator('[data-testid="support-message"]:visible')
    .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));

async function mine(shopper: Bearer): Promise<ShopSupport> {
  return (await demo.site.api.get(demoShopApi('/support')).set(shopper).expect(200)).body as ShopSupport;
}

/** An agent's reply through the merchant API, as the console sends it. */
async function reply(conversationId: number, text: string): Promise<SupportMessage> {
  const sent = await demo.site.api
    .post(`${M}/support/conversations/${conversationId}/messages`)
    .set(demo.merchant)
    .send({ kind: 'text', clientMsgId: `agent${uid()}${uid()}`, text })
    .expect(201);
  return sent.body as SupportMessage;
}

const agentStatus = (status: 'online' | 'offline') =>
  demo.site.api.put(`${M}/support/me/status`).set(demo.merchant).send({ status }).expect(200);

describe('customer service in the h5 shop', () => {
  it('a shopper asks about a product with its card, words and a photo; the agent’s replies come live, are counted on the home page while away, and nothing is lost or doubled when the connection drops', async () => {
    const { site } = demo;
    // Nobody is online yet: the shopper's message waits in the queue.
    await agentStatus('offline');
    try {
      const { context, page } = await phone(demo);
      const sockets = await holdSockets(page);
      const shopperId = await signInByPhone(demo, page, SHOPPER_PHONE);
      const shopper = await shopperBearer(demo, shopperId);
      const mugId = await demoProduct(demo, MUG);
      const mug = (await site.api.get(demoShopApi(`/products/${mugId}`)).expect(200)).body as { priceFen: number };

      // The product page's 客服 opens the chat, offering to send the product.
      await page.goto(`${shopHome(site)}#/pages/product/detail?id=${mugId}`);
      await visible(page, 'support-entry').filter({ hasText: '客服' }).click();
      await page.locator('.uni-page-head__title:visible', { hasText: '在线客服' }).waitFor();
      await page
        .locator('[data-testid="support-status"][data-online="false"]:visible', {
          hasText: '当前无客服在线，留言后会尽快回复',
        })
        .waitFor();
      const offer = visible(page, 'support-offer');
      await offer
        .filter({ hasText: MUG })
        .filter({ hasText: yuan(mug.priceFen) })
        .waitFor();
      await visible(page, 'support-offer-send').filter({ hasText: '发送这个商品' }).click();
      const card = bubble(page, 1, 'shopper').locator('[data-testid="support-card"][data-type="product"]');
      await card
        .filter({ hasText: MUG })
        .filter({ hasText: yuan(mug.priceFen) })
        .waitFor();
      expect(await page.locator('[data-testid="support-offer"]:visible').count()).toBe(0);

      // Words with an emoji from the panel; markup stays text.
      const words = '请问能进洗碗机吗？<b>急</b>';
      await field(page, 'support-input').fill(words);
      await visible(page, 'support-emoji-toggle').click();
      await page.locator('[data-testid="support-emoji"]:visible', { hasText: '👍' }).click();
      await visible(page, 'support-send').click();
      const text = bubble(page, 2, 'shopper').locator('[data-testid="support-text"]');
      await text.waitFor();
      expect(await text.innerText()).toBe(`${words}👍`);
      expect(await text.locator('b').count()).toBe(0);

      // A photo: uploaded, then sent.
      const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#d98c5f' } })
        .png()
        .toBuffer();
      const chooser = page.waitForEvent('filechooser');
      await visible(page, 'support-image-pick').click();
      await (await chooser).setFiles({ name: 'mug.png', mimeType: 'image/png', buffer: png });
      await bubble(page, 3, 'shopper').locator('[data-testid="support-image"]').waitFor();

      // The merchant's queue has the conversation, started with the product.
      const queued = (await site.api.get(`${M}/support/conversations?view=queued`).set(demo.merchant).expect(200)).body
        .items as SupportConversation[];
      const conversation = queued.find((c) => c.shopper?.id === shopperId)!;
      expect(conversation).toMatchObject({
        status: 'queued',
        lastSeq: 3,
        startedWith: { type: 'product', id: mugId },
        lastMessage: { kind: 'image' },
      });

      // The agent comes online (the queue is handed to them) and answers: the reply shows at once, with their name.
      await agentStatus('online');
      const answer = await reply(conversation.id, '可以的，放心使用 😊');
      expect(answer.seq).toBe(4);
      const agentName = answer.senderName!;
      expect(agentName).toBe(DEMO.owner.name);
      const answered = bubble(page, 4, 'agent');
      await answered.filter({ hasText: '可以的，放心使用 😊' }).waitFor();
      expect(await answered.locator('[data-testid="support-sender"]').innerText()).toBe(agentName);
      await page
        .locator('[data-testid="support-status"][data-online="true"]:visible', { hasText: '客服在线' })
        .waitFor();
      await visible(page, 'support-agent')
        .filter({ hasText: `${agentName} 为你服务` })
        .waitFor();
      // Seen on the page: read.
      await eventually(async () => (await mine(shopper)).unread === 0);

      // Away from the chat, a reply comes: the home page's 客服 counts it, and opening the chat reads it.
      await page.goto(`${shopHome(site)}#/pages/user/index`);
      await visible(page, 'phone-masked').waitFor();
      await reply(conversation.id, '还有其他问题吗？');
      await page.goto(shopHome(site));
      const entry = visible(page, 'support-entry');
      await entry.locator('[data-testid="support-unread"]', { hasText: '1' }).waitFor();
      await entry.click();
      await bubble(page, 5, 'agent').filter({ hasText: '还有其他问题吗？' }).waitFor();
      expect(await page.locator('[data-testid="support-offer"]:visible').count()).toBe(0);
      await eventually(async () => (await mine(shopper)).unread === 0);
      await page.goBack();
      await visible(page, 'shop-name').waitFor();
      await eventually(async () => (await page.locator('[data-testid="support-unread"]:visible').count()) === 0);

      // The connection drops and cannot come back for a while: the replies sent meanwhile come with the resume once it
      // is back, each once, in order.
      await visible(page, 'support-entry').click();
      await bubble(page, 5).waitFor();
      await sockets.block(true);
      await sockets.drop();
      const reconnecting = page.locator('[data-testid="support-reconnecting"]:visible', {
        hasText: '网络连接中断，正在重新连接…',
      });
      await reconnecting.waitFor();
      await reply(conversation.id, '消息一：今天发货');
      await reply(conversation.id, '消息二：顺丰包邮');
      expect(await page.locator('[data-testid="support-message"][data-seq="6"]').count()).toBe(0);
      await sockets.block(false);
      await bubble(page, 6, 'agent').filter({ hasText: '消息一：今天发货' }).waitFor();
      await bubble(page, 7, 'agent').filter({ hasText: '消息二：顺丰包邮' }).waitFor();
      await reconnecting.waitFor({ state: 'hidden' });
      expect(await shownSeqs(page)).toEqual([1, 2, 3, 4, 5, 6, 7]);

      // Written while the connection is down, a message goes through the API.
      await sockets.block(true);
      await sockets.drop();
      await reconnecting.waitFor();
      await field(page, 'support-input').fill('好的，谢谢');
      await visible(page, 'support-send').click();
      await bubble(page, 8, 'shopper').filter({ hasText: '好的，谢谢' }).waitFor();
      await sockets.block(false);
      await reconnecting.waitFor({ state: 'hidden' });
      expect(await shownSeqs(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

      // Live again on the new socket; and a reload shows the same history, once.
      await reply(conversation.id, '消息三：已发出');
      await bubble(page, 9, 'agent').filter({ hasText: '消息三：已发出' }).waitFor();
      expect(await shownSeqs(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await page.reload();
      await bubble(page, 9).waitFor();
      expect(await shownSeqs(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await reply(conversation.id, '消息四：请注意查收');
      await bubble(page, 10, 'agent').filter({ hasText: '消息四：请注意查收' }).waitFor();
      expect(await shownSeqs(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await eventually(async () => (await mine(shopper)).unread === 0);

      // The order page's 联系客服 offers the order; its card opens the order.
      const skuId = (
        (await site.api.get(demoShopApi(`/products/${mugId}`)).expect(200)).body.skus as Array<{ id: number }>
      )[0]!.id;
      const addressId = await addressByApi(demo, shopper, {
        name: '郑十',
        phone: '13700000081',
        detail: '客服路 8 号',
      });
      const placed = await site.api
        .post(demoShopApi('/orders'))
        .set(shopper)
        .set('Idempotency-Key', `support-${uid()}`)
        .send({ items: [{ skuId, quantity: 1 }], addressId })
        .expect(201);
      const order = placed.body as { id: number; orderNo: string };
      await page.goto(`${shopHome(site)}#/pages/order/detail?id=${order.id}`);
      await visible(page, 'order-no').filter({ hasText: order.orderNo }).waitFor();
      await visible(page, 'support-entry').filter({ hasText: '联系客服' }).click();
      await visible(page, 'support-offer')
        .filter({ hasText: `订单号 ${order.orderNo}` })
        .waitFor();
      await visible(page, 'support-offer-send').filter({ hasText: '发送这个订单' }).click();
      const orderCard = bubble(page, 11, 'shopper').locator('[data-testid="support-card"][data-type="order"]');
      await orderCard
        .filter({ hasText: `订单号 ${order.orderNo}` })
        .filter({ hasText: '待付款' })
        .waitFor();
      await orderCard.click();
      await page.locator('[data-testid="order-status"][data-status="pending_payment"]:visible').waitFor();
      expect(await visible(page, 'order-no').innerText()).toBe(order.orderNo);

      // A long conversation opens at its newest 30 messages; the older ones come when asked for.
      for (let n = 1; n <= 25; n++) await reply(conversation.id, `第 ${n} 条说明`);
      await page.goto(`${shopHome(site)}#/pages/support/chat`);
      await bubble(page, 36, 'agent').filter({ hasText: '第 25 条说明' }).waitFor();
      expect(await shownSeqs(page)).toEqual(Array.from({ length: 30 }, (_, i) => 7 + i));
      await visible(page, 'support-older').filter({ hasText: '查看更早的消息' }).click();
      await bubble(page, 1).waitFor();
      expect(await shownSeqs(page)).toEqual(Array.from({ length: 36 }, (_, i) => 1 + i));
      expect(await page.locator('[data-testid="support-older"]:visible').count()).toBe(0);

      // A message that cannot go (no socket, no network) shows as failed; 重发 sends it again with the same id.
      await sockets.block(true);
      await sockets.drop();
      await reconnecting.waitFor();
      const sends: string[] = [];
      await page.route('**/support/messages', async (route) => {
        sends.push((route.request().postDataJSON() as { clientMsgId: string }).clientMsgId);
        await route.abort('internetdisconnected');
      });
      await field(page, 'support-input').fill('断网时写的');
      await visible(page, 'support-send').click();
      const failed = page.locator('[data-testid="support-message"][data-state="failed"]:visible', {
        hasText: '断网时写的',
      });
      await failed.locator('[data-testid="support-error"]', { hasText: '网络连接失败' }).waitFor();
      await page.unroute('**/support/messages');
      const resent = page.waitForResponse((r) => r.url().endsWith(demoShopApi('/support/messages')));
      await failed.locator('[data-testid="support-retry"]').click();
      const stored = (await (await resent).json()) as SupportMessage;
      expect(stored).toMatchObject({ seq: 37, clientMsgId: sends[0], text: '断网时写的' });
      await bubble(page, 37, 'shopper').filter({ hasText: '断网时写的' }).waitFor();
      expect(new Set(sends).size).toBe(1);
      await sockets.block(false);
      await reconnecting.waitFor({ state: 'hidden' });

      // Writing faster than the shop takes messages: the refusal is said in the shopper's words. The twenty go out at
      // once and the shopper's message right after; on a machine so busy that the limit's window (10 s) ran out first,
      // the message is sent and the shopper writes again after another twenty.
      let refused = false;
      for (let attempt = 1; attempt <= 3 && !refused; attempt++) {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            site.api
              .post(demoShopApi('/support/messages'))
              .set(shopper)
              .send({ kind: 'text', clientMsgId: `fast${uid()}${i + 1}`, text: `连发 ${i + 1}` }),
          ),
        );
        const text = `再发一条 ${attempt}`;
        await field(page, 'support-input').fill(text);
        await visible(page, 'support-send').click();
        const mine = page.locator('[data-testid="support-message"]:visible', { hasText: text });
        refused = await Promise.race([
          mine
            .and(page.locator('[data-state="failed"]'))
            .locator('[data-testid="support-error"]', { hasText: '发送太快了，请稍后再发' })
            .waitFor()
            .then(
              () => true,
              () => false,
            ),
          // The other wait ends with the page (and is answered here, not left unhandled).
          mine
            .and(page.locator('[data-state="sent"]'))
            .waitFor()
            .then(
              () => false,
              () => false,
            ),
        ]);
      }
      expect(refused).toBe(true);

      await context.close();
    } finally {
      await agentStatus('offline');
    }
  });
});
