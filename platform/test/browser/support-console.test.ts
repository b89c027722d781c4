import type { Page } from 'playwright-core';
import type { SupportAgent, SupportConversation, SupportMessage, SupportServerFrame } from '@shopfleet/contracts';
import { DEMO } from '@shopfleet/platform';
import { pngBytes } from '../helpers/catalog';
import { ChatClient } from '../helpers/chat';
import { fromMenu, posted, signInToConsole } from '../helpers/console-steps';
import { demoShopApi, demoSuite, type Bearer } from '../helpers/demo-suite';
import { bearer, merchantLogin, shopperLogin } from '../helpers/fixtures';
import { uid } from '../helpers/test-platform';

const demo = demoSuite();
const M = '/merchant-api/v1';
const WORKSPACE_TITLE = '客服工作台 · Shopfleet';

type Message = Extract<SupportServerFrame, { type: 'message' }>;

async function setStatus(who: Bearer, status: 'online' | 'away' | 'offline'): Promise<void> {
  await demo.site.api.put(`${M}/support/me/status`).set(who).send({ status }).expect(200);
}

/**
 * Ends every conversation of the demo shop that is not ended yet: the shop is shared with the other browser tests of
 * this jest worker, so the queue, the loads and the unread counts start (and are left) empty.
 */
async function closeAll(): Promise<void> {
  for (const view of ['queued', 'open']) {
    const page = await demo.site.api
      .get(`${M}/support/conversations?view=${view}&pageSize=100`)
      .set(demo.merchant)
      .expect(200);
    for (const c of page.body.items as SupportConversation[])
      await demo.site.api.post(`${M}/support/conversations/${c.id}/close`).set(demo.merchant).expect(200);
  }
}

/** A shopper writes to the demo shop through the shop API, as the shop's chat page does without its socket. */
async function write(token: string, text: string): Promise<SupportMessage> {
  const sent = await demo.site.api
    .post(demoShopApi('/support/messages'))
    .set(bearer(token))
    .send({ kind: 'text', clientMsgId: `bt${uid()}${uid()}`, text })
    .expect(201);
  return sent.body as SupportMessage;
}

/** The document title, once it is `title`. */
async function titleIs(page: Page, title: string): Promise<void> {
  await page.waitForFunction((want) => document.title === want, title);
}

const chimes = (page: Page) => page.evaluate(() => (window as unknown as { chimes: number }).chimes);

describe('the 客服 workspace of the console', () => {
  let staff: Bearer;
  const sockets: ChatClient[] = [];
  let quickReplyId: number | null = null;

  beforeAll(async () => {
    staff = bearer(
      (await merchantLogin(demo.site, { email: DEMO.staff.email, password: DEMO.staff.password })).accessToken,
    );
    await setStatus(demo.merchant, 'offline');
    await setStatus(staff, 'offline');
    await closeAll();
  });

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    if (!staff) return;
    await setStatus(demo.merchant, 'offline');
    await setStatus(staff, 'offline');
    await closeAll();
    if (quickReplyId !== null)
      await demo.site.api.delete(`${M}/support/quick-replies/${quickReplyId}`).set(demo.merchant).expect(200);
  });

  it('an agent online gets a shopper’s conversation live, answers with text, emoji, an image and a quick reply, hears of the next one, finds a message in the history, and transfers only to an agent online', async () => {
    const page = await signInToConsole(demo);
    // Each chime starts Web Audio oscillators: count them.
    await page.evaluate(() => {
      const counted = window as unknown as { chimes: number };
      counted.chimes = 0;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
        counted.chimes++;
        return start.apply(this, args);
      };
    });

    await fromMenu(page, 'merchant-support', 'merchant-support-workspace');
    await page.waitForURL(/\/console\/support$/);
    await page.locator('[data-testid="support-workspace"][data-socket="ready"]').waitFor();
    const statusSet = page.waitForResponse(
      (r) => r.url().endsWith(`${M}/support/me/status`) && r.request().method() === 'PUT',
    );
    await page.locator('[data-testid="support-status-online"]').click();
    expect((await statusSet).status()).toBe(200);
    await page.locator('[data-testid="support-status"][data-status="online"]').waitFor();

    // A shopper writes; the conversation comes to the agent's inbox without a reload, unread, and chimes.
    const shopper = await shopperLogin(demo.site, DEMO.tenant.slug);
    const shopperSocket = await ChatClient.connect(demo.site.baseUrl, {
      audience: 'shopper',
      shop: DEMO.tenant.slug,
      token: shopper.accessToken,
    });
    sockets.push(shopperSocket);
    const first = await write(shopper.accessToken, '你好，这个杯子有蓝色的吗？');
    const firstLine = page.locator(`[data-testid="support-inbox-item"][data-conversation="${first.conversationId}"]`);
    await firstLine.locator('[data-testid="support-inbox-preview"]', { hasText: '这个杯子有蓝色的吗' }).waitFor();
    await firstLine.locator('[data-testid="support-inbox-unread"]', { hasText: '1' }).waitFor();
    expect(await firstLine.locator('[data-testid="support-inbox-name"]').textContent()).toContain(
      shopper.phone.slice(-4),
    );
    await page.locator('[data-testid="menu-badge-merchant-support"]', { hasText: '1' }).waitFor();
    await titleIs(page, `(1) ${WORKSPACE_TITLE}`);
    expect(await chimes(page)).toBeGreaterThan(0);

    // Opened: the message, the shopper beside it; read, so the badge and the title's count go.
    await firstLine.click();
    await page.waitForURL(new RegExp(`/console/support\\?c=${first.conversationId}$`));
    await page
      .locator('[data-testid="support-message"][data-seq="1"][data-sender="shopper"]', { hasText: '有蓝色的吗' })
      .waitFor();
    await page.locator('[data-testid="support-shopper-name"]', { hasText: shopper.phone.slice(-4) }).waitFor();
    expect(await page.locator('[data-testid="support-shopper-orders"]').textContent()).toBe('0');
    await page.locator('[data-testid="menu-badge-merchant-support"]').waitFor({ state: 'detached' });
    await titleIs(page, WORKSPACE_TITLE);
    await firstLine.locator('[data-testid="support-inbox-unread"]').waitFor({ state: 'detached' });

    // Text with an emoji from the picker; Shift+Enter is a new line, Enter sends.
    const box = page.locator('textarea[data-testid="support-text"]');
    await box.fill('有的，雾蓝色有货');
    await page.locator('[data-testid="support-emoji"]').click();
    await page.locator('[data-testid="support-emoji-👍"]').click();
    await box.press('Shift+Enter');
    await box.pressSequentially('今天下单明天发');
    const text = '有的，雾蓝色有货👍\n今天下单明天发';
    expect(await box.inputValue()).toBe(text);
    await box.press('Enter');
    const reply = page.locator('[data-testid="support-message"][data-seq="2"][data-sender="agent"]');
    await reply.waitFor();
    expect(await reply.locator('[data-testid="support-message-text"]').textContent()).toBe(text);
    expect(await reply.locator('[data-testid="support-message-author"]').textContent()).toBe(DEMO.owner.name);
    expect(await box.inputValue()).toBe('');
    expect(await page.locator('[data-testid="support-pending"]').count()).toBe(0);
    const heard = await shopperSocket.next<Message>((f) => f.type === 'message' && f.message.seq === 2);
    expect(heard.message).toMatchObject({ sender: 'agent', kind: 'text', text, senderName: DEMO.owner.name });

    // An image: uploaded, sent, shown, enlarged on a click; the shopper gets the same picture.
    const uploaded = posted(page, '/support/images');
    await page.locator('[data-testid="support-image-upload"] input[type="file"]').setInputFiles({
      name: 'blue.png',
      mimeType: 'image/png',
      buffer: await pngBytes('#3366cc', 240, 240),
    });
    expect((await uploaded).status()).toBe(201);
    const picture = page.locator('[data-testid="support-message"][data-seq="3"][data-kind="image"] img');
    await picture.waitFor();
    const seen = await shopperSocket.next<Message>((f) => f.type === 'message' && f.message.seq === 3);
    expect(seen.message).toMatchObject({ sender: 'agent', kind: 'image' });
    expect(seen.message.imageUrl).toBeTruthy();
    expect(await picture.getAttribute('src')).toBe(seen.message.imageUrl);
    await picture.click();
    await page.locator('.el-image-viewer__wrapper').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });

    // A quick reply: added on its page, then put in the message box from the picker and sent.
    await fromMenu(page, 'merchant-support', 'merchant-support-quick-replies');
    await page.waitForURL(/\/console\/support\/quick-replies$/);
    const quickText = `亲，您的订单今天就发出 ${uid()}`;
    await page.locator('[data-testid="quick-reply-new"]').click();
    await page.locator('textarea[data-testid="quick-reply-input"]').fill(quickText);
    const created = posted(page, '/support/quick-replies');
    await page.locator('[data-testid="quick-reply-save"]').click();
    const createdResponse = await created;
    expect(createdResponse.status()).toBe(201);
    quickReplyId = ((await createdResponse.json()) as { id: number }).id;
    await page.locator(`[data-testid="quick-reply-row-${quickReplyId}"]`, { hasText: quickText }).waitFor();
    await page.goBack();
    await page.waitForURL(new RegExp(`/console/support\\?c=${first.conversationId}$`));
    await page.locator('[data-testid="support-message"][data-seq="3"]').waitFor();
    await page.locator('[data-testid="support-quick-replies"]').click();
    await page.locator(`[data-testid="support-quick-reply"][data-id="${quickReplyId}"]`).click();
    expect(await box.inputValue()).toBe(quickText);
    await box.press('Enter');
    await page.locator('[data-testid="support-message"][data-seq="4"]', { hasText: quickText }).waitFor();
    await shopperSocket.next((f) => f.type === 'message' && f.message.seq === 4 && f.message.text === quickText);

    // Another shopper writes while the first conversation is open: a chime, and the count in the title.
    const before = await chimes(page);
    const other = await shopperLogin(demo.site, DEMO.tenant.slug);
    const second = await write(other.accessToken, '请问什么时候发货？');
    const secondLine = page.locator(`[data-testid="support-inbox-item"][data-conversation="${second.conversationId}"]`);
    await secondLine.locator('[data-testid="support-inbox-unread"]', { hasText: '1' }).waitFor();
    await titleIs(page, `(1) ${WORKSPACE_TITLE}`);
    expect(await chimes(page)).toBeGreaterThan(before);
    await secondLine.click();
    await page.locator('[data-testid="support-message"][data-seq="1"]', { hasText: '什么时候发货' }).waitFor();
    await titleIs(page, WORKSPACE_TITLE);

    // 转接: only agents online can be chosen; the staff member is offline, then online.
    const agents = (await demo.site.api.get(`${M}/support/agents`).set(demo.merchant).expect(200))
      .body as SupportAgent[];
    const staffId = agents.find((a) => a.name === DEMO.staff.name)!.userId;
    // Back to the first conversation through a search in the history.
    await page.locator('input[data-testid="support-search"]').fill(quickText.slice(-8));
    await page.locator('input[data-testid="support-search"]').press('Enter');
    const hit = page.locator('[data-testid="support-search-hit"]', { hasText: quickText });
    await hit.waitFor();
    expect(await page.locator('[data-testid="support-search-hit"]').count()).toBe(1);
    expect(await hit.getAttribute('data-conversation')).toBe(String(first.conversationId));
    await hit.click();
    await page.waitForURL(new RegExp(`/console/support\\?c=${first.conversationId}$`));
    await page.locator('[data-testid="support-message"][data-seq="4"]').waitFor();
    await page.locator('[data-testid="support-search-close"]').click();
    await firstLine.waitFor();
    const dialog = page.locator('[data-testid="support-transfer-dialog"]');
    const staffChoice = dialog.locator(`[data-testid="support-transfer-agent"][data-agent="${staffId}"]`);
    await page.locator('[data-testid="support-transfer"]').click();
    await staffChoice.waitFor();
    expect(await staffChoice.getAttribute('data-status')).toBe('offline');
    // The agent themself has it, and nobody else is online: nobody can be chosen.
    for (const choice of await dialog.locator('[data-testid="support-transfer-agent"]').all())
      expect(await choice.getAttribute('class')).toContain('is-disabled');
    expect(await page.locator('[data-testid="support-transfer-confirm"]').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await setStatus(staff, 'online');
    await page.locator('[data-testid="support-transfer"]').click();
    await dialog
      .locator(`[data-testid="support-transfer-agent"][data-agent="${staffId}"][data-status="online"]`)
      .waitFor();
    expect(await staffChoice.getAttribute('class')).not.toContain('is-disabled');
    await staffChoice.click();
    const transferred = posted(page, `/support/conversations/${first.conversationId}/transfer`);
    await page.locator('[data-testid="support-transfer-confirm"]').click();
    expect((await transferred).status()).toBe(200);
    await dialog.waitFor({ state: 'hidden' });
    // No longer the agent's: out of 我的, answered by the staff member now.
    await firstLine.waitFor({ state: 'detached' });
    await page.locator('[data-testid="support-taken"]', { hasText: DEMO.staff.name }).waitFor();
    expect(await box.isDisabled()).toBe(true);
    await page.context().close();
  });
});
