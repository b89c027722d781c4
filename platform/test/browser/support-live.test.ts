import sharp from 'sharp';
import type { SupportConversation } from '@shopfleet/contracts';
import { fromMenu, signInToConsole } from '../helpers/console-steps';
import { demoSuite } from '../helpers/demo-suite';
import { field, phone, shopHome, signInByPhone, visible } from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1';
const SHOPPER_PHONE = '13600000083';

/** Ends the demo shop's open conversations and sets its owner offline: the shop is shared by this worker's tests. */
async function settle(): Promise<void> {
  for (const view of ['queued', 'open']) {
    const page = await demo.site.api
      .get(`${M}/support/conversations?view=${view}&pageSize=100`)
      .set(demo.merchant)
      .expect(200);
    for (const c of page.body.items as SupportConversation[])
      await demo.site.api.post(`${M}/support/conversations/${c.id}/close`).set(demo.merchant).expect(200);
  }
  await demo.site.api.put(`${M}/support/me/status`).set(demo.merchant).send({ status: 'offline' }).expect(200);
}

const png = (color: string) =>
  sharp({ create: { width: 240, height: 240, channels: 3, background: color } })
    .png()
    .toBuffer();

describe('a shopper on the h5 shop and an agent in the console, chatting live', () => {
  beforeAll(settle);
  afterAll(settle);

  it('each side sees the other’s words and images as they are sent, with no reload', async () => {
    // The agent, at desktop size, online in the 客服 workspace.
    const agent = await signInToConsole(demo);
    await fromMenu(agent, 'merchant-support', 'merchant-support-workspace');
    await agent.locator('[data-testid="support-workspace"][data-socket="ready"]').waitFor();
    await agent.locator('[data-testid="support-status-online"]').click();
    await agent.locator('[data-testid="support-status"][data-status="online"]').waitFor();

    // The shopper, on a phone, opens the shop's chat and writes.
    const { page: shopper } = await phone(demo);
    const shopperId = await signInByPhone(demo, shopper, SHOPPER_PHONE);
    await shopper.goto(`${shopHome(demo.site)}#/pages/support/chat`);
    await shopper
      .locator('[data-testid="support-status"][data-online="true"]:visible', { hasText: '客服在线' })
      .waitFor();
    await field(shopper, 'support-input').fill('你好，保温杯能装热水吗？');
    await visible(shopper, 'support-send').click();

    // It reaches the agent's inbox live; the agent opens it and answers.
    const line = agent.locator('[data-testid="support-inbox-item"]', { hasText: '保温杯能装热水吗' });
    await line.waitFor();
    await line.click();
    await agent
      .locator('[data-testid="support-message"][data-sender="shopper"]', { hasText: '保温杯能装热水吗' })
      .waitFor();
    const box = agent.locator('textarea[data-testid="support-text"]');
    await box.fill('可以的，能保温 12 小时');
    await box.press('Enter');
    await shopper
      .locator('[data-testid="support-message"][data-side="agent"][data-state="sent"]:visible', {
        hasText: '能保温 12 小时',
      })
      .waitFor();

    // The shopper sends a photo: the agent sees it at once.
    const chooser = shopper.waitForEvent('filechooser');
    await visible(shopper, 'support-image-pick').click();
    await (await chooser).setFiles({ name: 'cup.png', mimeType: 'image/png', buffer: await png('#5f8cd9') });
    await agent.locator('[data-testid="support-message"][data-sender="shopper"][data-kind="image"] img').waitFor();

    // The agent answers with a photo: the shopper sees it at once.
    await agent.locator('[data-testid="support-image-upload"] input[type="file"]').setInputFiles({
      name: 'colors.png',
      mimeType: 'image/png',
      buffer: await png('#d95f8c'),
    });
    await shopper
      .locator('[data-testid="support-message"][data-side="agent"][data-state="sent"]:visible')
      .locator('[data-testid="support-image"]')
      .waitFor();

    // Both sides hold the same conversation, in the same order, once.
    const stored = (
      await demo.site.api.get(`${M}/support/conversations?view=mine`).set(demo.merchant).expect(200)
    ).body.items.find((c: SupportConversation) => c.shopper?.id === shopperId) as SupportConversation;
    expect(stored.lastSeq).toBe(4);
    const seqs = await shopper
      .locator('[data-testid="support-message"]:visible')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));
    expect(seqs).toEqual([1, 2, 3, 4]);
    const agentSeqs = await agent
      .locator('[data-testid="support-message"]')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));
    expect(agentSeqs).toEqual([1, 2, 3, 4]);
  });
});
