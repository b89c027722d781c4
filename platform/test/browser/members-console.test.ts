import type { MemberDetail, MemberLevel, MemberSettings, Page as ListPage, PointsEntry } from '@shopfleet/contracts';
import { confirm, fromMenu, input, signInToConsole } from '../helpers/console-steps';
import { demoSuite } from '../helpers/demo-suite';
import { manyShoppers } from '../helpers/marketing';

const demo = demoSuite();

/** Six days of rewards, as the form makes them from the shop's: cut to six, or the last repeated. */
const resized = (rewards: number[]) => Array.from({ length: 6 }, (_, i) => rewards[i] ?? rewards[rewards.length - 1]!);
const M = '/merchant-api/v1';

describe('会员 in the console', () => {
  /** The rules as the file found them, put back at the end: the demo shop is shared with the shop's browser tests. */
  let rulesBefore: MemberSettings | null = null;
  /** Levels the test made and did not remove itself. */
  const levels: number[] = [];
  afterAll(async () => {
    const { site, merchant } = demo;
    if (rulesBefore) await site.api.put(`${M}/member-settings`).set(merchant).send(rulesBefore).expect(200);
    for (const id of levels) await site.api.delete(`${M}/member-levels/${id}`).set(merchant);
  });

  it('a merchant adds a level (a taken threshold refused in Chinese), edits the points rules, finds a member and adjusts their points with a reason; the ledger shows it', async () => {
    const { site, merchant, tenantId } = demo;
    const tag = Date.now().toString(36);
    rulesBefore = (await site.api.get(`${M}/member-settings`).set(merchant).expect(200)).body as MemberSettings;

    // A shopper with 200 points, given through the merchant API.
    const [shopper] = await manyShoppers(site, tenantId, 1);
    const shopperId = shopper!.shopperId;
    const nickname = ((await site.platform.knex('shoppers').where({ id: shopperId }).first()) as { nickname: string })
      .nickname;
    await site.api
      .post(`${M}/members/${shopperId}/points`)
      .set(merchant)
      .send({ delta: 200, reason: '注册礼' })
      .expect(200);

    const page = await signInToConsole(demo);

    // 会员 → 会员等级 → 新增等级: 金卡 at a growth of its own, 95% of the price (9.5 折).
    await fromMenu(page, 'merchant-members', 'merchant-member-levels');
    await page.waitForURL(/\/console\/members\/levels$/);
    const threshold = 500_000 + Math.floor(Math.random() * 400_000);
    const name = `金卡${tag}`.slice(0, 20);
    await page.locator('[data-testid="level-new"]').click();
    await input(page, 'level-name').fill(name);
    await input(page, 'level-threshold').fill(String(threshold));
    await input(page, 'level-discount').fill('95');
    await input(page, 'level-name').click();
    await page.locator('[data-testid="level-discount-preview"]', { hasText: '9.5 折' }).waitFor();
    const created = page.waitForResponse(
      (r) => r.url().endsWith(`${M}/member-levels`) && r.request().method() === 'POST',
    );
    await page.locator('[data-testid="level-save"]').click();
    expect((await created).status()).toBe(201);
    const level = (await (await created).json()) as MemberLevel;
    levels.push(level.id);
    expect(level).toMatchObject({ name, growthThreshold: threshold, discountPercent: 95, members: 0 });
    const row = page.locator(`[data-testid="level-row-${level.id}"]`);
    await row.locator('[data-testid="level-row-discount"]', { hasText: '9.5 折' }).waitFor();
    expect(await row.locator('[data-testid="level-row-threshold"]').innerText()).toBe(String(threshold));
    expect(await row.locator('[data-testid="level-row-members"]').innerText()).toBe('0');

    // Another at the same threshold: refused, said next to the threshold from its reason.
    await page.locator('[data-testid="level-new"]').click();
    await input(page, 'level-name').fill(`银卡${tag}`.slice(0, 20));
    await input(page, 'level-threshold').fill(String(threshold));
    await input(page, 'level-name').click();
    await page.locator('[data-testid="level-save"]').click();
    await page
      .locator('[data-testid="level-dialog"] .el-form-item__error', { hasText: '已有等级使用这个成长值门槛' })
      .waitFor();
    await page.locator('[data-testid="level-dialog"] .el-dialog__headerbtn').click();

    // Edited: 90% of the price, 9 折.
    await row.locator('[data-testid="level-edit"]').click();
    expect(await input(page, 'level-name').inputValue()).toBe(name);
    await input(page, 'level-discount').fill('90');
    await input(page, 'level-name').click();
    await page.locator('[data-testid="level-save"]').click();
    await row.locator('[data-testid="level-row-discount"]', { hasText: '9 折' }).waitFor();

    // 积分规则: 2 points per ¥1, a sign-in streak of six days, the sixth worth 30.
    await fromMenu(page, 'merchant-members', 'merchant-member-rules');
    await page.waitForURL(/\/console\/members\/rules$/);
    await page.locator('[data-testid="member-rules"]').waitFor();
    expect(await page.locator('[data-testid="member-rules"]').innerText()).toContain('待发放');
    await input(page, 'rules-earn').fill('2');
    const days = rulesBefore.signInRewards.length;
    if (days === 7) await page.locator('[data-testid="rules-sign-in-remove"]').click();
    else for (let d = days; d < 6; d++) await page.locator('[data-testid="rules-sign-in-add"]').click();
    await input(page, 'rules-sign-in-5').fill('30');
    await input(page, 'rules-earn').click();
    const savedRules = page.waitForResponse(
      (r) => r.url().endsWith(`${M}/member-settings`) && r.request().method() === 'PUT',
    );
    await page.locator('[data-testid="rules-save"]').click();
    expect((await savedRules).status()).toBe(200);
    await page.locator('.el-message--success', { hasText: '积分规则已保存' }).waitFor();
    const rules = (await site.api.get(`${M}/member-settings`).set(merchant).expect(200)).body as MemberSettings;
    expect(rules).toEqual({
      ...rulesBefore,
      earnPointsPerYuan: 2,
      signInRewards: [...resized(rulesBefore.signInRewards).slice(0, 5), 30],
    });

    // 会员列表: found by nickname, 200 available.
    await fromMenu(page, 'merchant-members', 'merchant-members-list');
    await page.waitForURL(/\/console\/members$/);
    await input(page, 'members-search').fill(nickname);
    await page.locator('[data-testid="members-search-submit"]').click();
    const member = page.locator(`[data-testid="member-row-${shopperId}"]`);
    await member.locator('[data-testid="member-points"][data-available="200"]').waitFor();
    expect(await page.locator('[data-testid="members-table"] .el-table__body tr.el-table__row').count()).toBe(1);
    expect(await member.locator('[data-testid="member-level"]').innerText()).toBe('普通会员');
    // At the new level (its threshold far above their growth) there is nobody of that name.
    await page.locator('[data-testid="members-level"]').click();
    await page.locator(`[data-testid="members-level-${level.id}"]:visible`).click();
    await page
      .locator('[data-testid="members-table"] .el-table__empty-text', { hasText: '没有符合条件的会员' })
      .waitFor();
    await page.locator('[data-testid="members-level"]').hover();
    await page.locator('[data-testid="members-level"] .el-select__clear').click();
    await member.waitFor();

    // Its drawer: the figures and the ledger (商家调整 +200 注册礼).
    await member.locator('[data-testid="member-open"]').click();
    const drawer = page.locator('[data-testid="member-drawer"]');
    await drawer.locator('[data-testid="member-available"]', { hasText: '200' }).waitFor();
    await drawer.locator('[data-testid="ledger-kind"][data-kind="adjusted"]', { hasText: '商家调整' }).waitFor();
    await drawer.locator('[data-testid="ledger-reason"]', { hasText: '注册礼' }).waitFor();

    // 调整积分: taking 1,000 is refused (积分不足，可用 200), in the dialog; then +300 for a reason.
    await drawer.locator('[data-testid="member-adjust"]').click();
    const dialog = page.locator('[data-testid="member-adjust-dialog"]');
    await input(dialog, 'member-adjust-delta').fill('-1000');
    await page.locator('textarea[data-testid="member-adjust-reason"]').fill('扣错了');
    await dialog.locator('[data-testid="member-adjust-save"]').click();
    await dialog.locator('[data-testid="member-adjust-error"]', { hasText: '积分不足，可用 200' }).waitFor();
    await input(dialog, 'member-adjust-delta').fill('300');
    await page.locator('textarea[data-testid="member-adjust-reason"]').fill(`活动补偿 ${tag}`);
    const adjusted = page.waitForResponse(
      (r) => r.url().endsWith(`${M}/members/${shopperId}/points`) && r.request().method() === 'POST',
    );
    await dialog.locator('[data-testid="member-adjust-save"]').click();
    expect((await adjusted).status()).toBe(200);
    expect(((await (await adjusted).json()) as MemberDetail).points).toEqual({ available: 500, frozen: 0, debt: 0 });
    await drawer.locator('[data-testid="member-available"]', { hasText: '500' }).waitFor();
    const newest = drawer.locator('[data-testid="member-ledger"] .el-table__body tr.el-table__row').first();
    await newest.locator('[data-testid="ledger-reason"]', { hasText: `活动补偿 ${tag}` }).waitFor();
    expect(await newest.locator('[data-testid="ledger-kind"]').innerText()).toBe('商家调整');
    expect(await newest.locator('[data-testid="ledger-change"]').innerText()).toBe('可用 +300');
    // The list behind the drawer is read again.
    await member.locator('[data-testid="member-points"][data-available="500"]').waitFor();

    const ledger = (await site.api.get(`${M}/members/${shopperId}/points`).set(merchant).expect(200))
      .body as ListPage<PointsEntry>;
    expect(ledger.items.map((e) => [e.kind, e.available, e.reason])).toEqual([
      ['adjusted', 300, `活动补偿 ${tag}`],
      ['adjusted', 200, '注册礼'],
    ]);

    // The level removed after the confirm (the shop's levels as they were).
    await page.keyboard.press('Escape');
    await fromMenu(page, 'merchant-members', 'merchant-member-levels');
    await row.locator('[data-testid="level-delete"]').click();
    await page.locator('.el-message-box', { hasText: `确定删除等级“${name}”吗` }).waitFor();
    await confirm(page);
    await row.waitFor({ state: 'detached' });
    levels.splice(levels.indexOf(level.id), 1);

    // The old 顾客 address lands on the member list.
    await page.goto(`${site.baseUrl}/console/shoppers`);
    await page.waitForURL(/\/console\/members$/);
    await page.context().close();
  });
});
