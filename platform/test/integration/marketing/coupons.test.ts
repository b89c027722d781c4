import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, shopperLogin } from '../../helpers/fixtures';
import { buyer, paySandbox, placeOrder, product, sellingShop, type SellingShop } from '../../helpers/orders';
import { manyShoppers, templateBody } from '../../helpers/marketing';

let t: TestPlatform;
let a: SellingShop;
let b: SellingShop;
beforeAll(async () => {
  t = await startTestPlatform();
  [a, b] = await Promise.all([sellingShop(t), sellingShop(t)]);
});
afterAll(async () => {
  await t?.close();
});

const M = '/merchant-api/v1';

async function create(s: SellingShop, over: Record<string, unknown> = {}) {
  const res = await t.api.post(`${M}/coupon-templates`).set(bearer(s.merchant)).send(templateBody(t, over)).expect(201);
  return res.body as { id: number; issued: number; displayStatus: string; totalQuantity: number; name: string };
}

const issuesOf = (res: { body: { error: { details?: { issues?: unknown[] } } } }) => res.body.error.details?.issues;

describe('coupon templates: what the merchant writes', () => {
  it('creates each kind, and reads it back with its figures and display status', async () => {
    const off = await create(a);
    expect(off).toMatchObject({ kind: 'amount_off', issued: 0, used: 0, remaining: 100, displayStatus: 'running' });
    const pct = await create(a, {
      kind: 'percent_off',
      amountOffFen: undefined,
      discountPercent: 15,
      maxOffFen: 5_000,
      thresholdFen: 0,
      scope: 'products',
      scopeIds: [1, 2],
      excludedProductIds: [3],
    });
    expect(pct).toMatchObject({ discountPercent: 15, maxOffFen: 5_000, amountOffFen: null, scopeIds: [1, 2] });
    const free = await create(a, { kind: 'no_threshold', thresholdFen: 0, amountOffFen: 500 });
    expect(free).toMatchObject({ kind: 'no_threshold', thresholdFen: 0 });
    const got = await t.api.get(`${M}/coupon-templates/${off.id}`).set(bearer(a.merchant)).expect(200);
    expect(got.body).toMatchObject({ id: off.id, issued: 0, remaining: 100 });
  });

  it.each([
    ['a negative amount', { amountOffFen: -1 }, 'body.amountOffFen', 'too_small'],
    [
      'a percent of 100',
      { kind: 'percent_off', amountOffFen: undefined, discountPercent: 100 },
      'body.discountPercent',
      'too_big',
    ],
    [
      'a threshold not above the amount off',
      { thresholdFen: 1_000 },
      'body.thresholdFen',
      'COUPON_THRESHOLD_NOT_ABOVE_AMOUNT',
    ],
    ['a percent on an amount-off coupon', { discountPercent: 10 }, 'body.discountPercent', 'COUPON_KIND_FIELDS'],
    [
      'a no-threshold coupon with a threshold',
      { kind: 'no_threshold', thresholdFen: 5 },
      'body.thresholdFen',
      'COUPON_KIND_FIELDS',
    ],
    ['a claim period that ends first', { claimTo: '2020-01-01T00:00:00Z' }, 'body.claimTo', 'COUPON_DATES_REVERSED'],
    [
      'validity given both ways',
      { validFrom: '2030-01-01T00:00:00Z', validTo: '2030-02-01T00:00:00Z' },
      'body.validDays',
      'COUPON_VALIDITY_ONE_WAY',
    ],
    ['validity given neither way', { validDays: undefined }, 'body.validDays', 'COUPON_VALIDITY_ONE_WAY'],
    [
      'fixed validity that ends before it starts',
      { validDays: undefined, validFrom: '2030-02-01T00:00:00Z', validTo: '2030-01-01T00:00:00Z' },
      'body.validTo',
      'COUPON_DATES_REVERSED',
    ],
    ['a product scope with no products', { scope: 'products' }, 'body.scopeIds', 'COUPON_SCOPE_IDS'],
    ['a total of 0', { totalQuantity: 0 }, 'body.totalQuantity', 'too_small'],
  ])('refuses %s (400, with the reason)', async (_name, over, path, why) => {
    const res = await t.api
      .post(`${M}/coupon-templates`)
      .set(bearer(a.merchant))
      .send(templateBody(t, over))
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(issuesOf(res)).toEqual(
      expect.arrayContaining([
        expect.objectContaining(
          why === why.toUpperCase() ? { path, code: 'custom', reason: why } : { path, code: why },
        ),
      ]),
    );
  });

  it('lists by display status, paged', async () => {
    const s = await sellingShop(t);
    const running = await create(s);
    const later = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const soon = await create(s, { claimFrom: later });
    const stopped = await create(s);
    await t.api.post(`${M}/coupon-templates/${stopped.id}/stop`).set(bearer(s.merchant)).expect(200);
    const ids = async (status?: string) =>
      (
        await t.api
          .get(`${M}/coupon-templates`)
          .query(status ? { status } : {})
          .set(bearer(s.merchant))
          .expect(200)
      ).body.items.map((i: { id: number }) => i.id);
    expect(await ids()).toEqual([stopped.id, soon.id, running.id]);
    expect(await ids('running')).toEqual([running.id]);
    expect(await ids('not_started')).toEqual([soon.id]);
    expect(await ids('stopped')).toEqual([stopped.id]);
    expect(await ids('ended')).toEqual([]);
    const page = await t.api
      .get(`${M}/coupon-templates`)
      .query({ pageSize: 2, page: 2 })
      .set(bearer(s.merchant))
      .expect(200);
    expect(page.body).toMatchObject({ total: 3, page: 2, items: [{ id: running.id }] });
  });

  it('changes the name and the total, never the total below what is issued', async () => {
    const tpl = await create(a, { totalQuantity: 3, issueMode: 'send' });
    const [one, two] = await manyShoppers(t, a.shop.id, 2);
    await t.api
      .post(`${M}/coupon-templates/${tpl.id}/send`)
      .set(bearer(a.merchant))
      .send({ shopperIds: [one!.shopperId, two!.shopperId] })
      .expect(200);
    const low = await t.api
      .patch(`${M}/coupon-templates/${tpl.id}`)
      .set(bearer(a.merchant))
      .send({ totalQuantity: 1 })
      .expect(409);
    expect(low.body.error).toMatchObject({ reason: 'COUPON_TOTAL_BELOW_ISSUED', params: { issued: 2 } });
    const ok = await t.api
      .patch(`${M}/coupon-templates/${tpl.id}`)
      .set(bearer(a.merchant))
      .send({ name: '新名字', totalQuantity: 2 })
      .expect(200);
    expect(ok.body).toMatchObject({ name: '新名字', totalQuantity: 2, issued: 2, remaining: 0 });
    const nothing = await t.api.patch(`${M}/coupon-templates/${tpl.id}`).set(bearer(a.merchant)).send({}).expect(400);
    expect(issuesOf(nothing)).toEqual([expect.objectContaining({ reason: 'NOTHING_TO_UPDATE' })]);
  });

  it('stop makes claims 409 and keeps the coupons issued; copy makes a new running template at zero', async () => {
    const tpl = await create(a, { perShopperLimit: 2 });
    const me = await buyer(t, a);
    await t.api
      .post(a.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(me.token))
      .expect(201);
    const stopped = await t.api.post(`${M}/coupon-templates/${tpl.id}/stop`).set(bearer(a.merchant)).expect(200);
    expect(stopped.body).toMatchObject({ status: 'stopped', displayStatus: 'stopped', issued: 1 });
    const refused = await t.api
      .post(a.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(me.token))
      .expect(409);
    expect(refused.body.error.reason).toBe('COUPON_NOT_CLAIMABLE');
    const mine = await t.api.get(a.url('/coupons')).set(bearer(me.token)).expect(200);
    expect(mine.body.items.map((c: { templateId: number }) => c.templateId)).toContain(tpl.id);

    const copy = await t.api
      .post(`${M}/coupon-templates/${tpl.id}/copy`)
      .set(bearer(a.merchant))
      .send({ name: '复制的券' })
      .expect(201);
    expect(copy.body).toMatchObject({
      name: '复制的券',
      status: 'running',
      issued: 0,
      kind: 'amount_off',
      thresholdFen: 10_000,
      perShopperLimit: 2,
    });
    expect(copy.body.id).not.toBe(tpl.id);
    await t.api
      .post(a.url(`/coupon-templates/${copy.body.id}/claim`))
      .set(bearer(me.token))
      .expect(201);
    const audit = await t.platform
      .knex('audit_log')
      .where({ tenant_id: a.shop.id, target_type: 'coupon_template' })
      .whereIn('target_id', [String(tpl.id), String(copy.body.id)])
      .pluck('action');
    expect(audit).toEqual(
      expect.arrayContaining(['coupon.template.create', 'coupon.template.stop', 'coupon.template.copy']),
    );
  });
});

describe('copying an ended campaign', () => {
  it('keeps its periods unless new ones are given; new ones are checked as a new template’s are', async () => {
    const day = 86_400_000;
    const now = t.clock.now().getTime();
    const at = (ms: number) => new Date(now + ms).toISOString();
    const ended = await create(a, {
      claimFrom: at(-10 * day),
      claimTo: at(-2 * day),
      validDays: undefined,
      validFrom: at(-10 * day),
      validTo: at(-day),
    });
    expect(ended.displayStatus).toBe('ended');
    const copyOf = (body: Record<string, unknown>) =>
      t.api.post(`${M}/coupon-templates/${ended.id}/copy`).set(bearer(a.merchant)).send(body);

    expect((await copyOf({}).expect(201)).body).toMatchObject({ displayStatus: 'ended', validTo: at(-day) });

    const half = await copyOf({ claimFrom: at(0) }).expect(400);
    expect(issuesOf(half)).toEqual([
      expect.objectContaining({ path: 'body.claimTo', reason: 'COUPON_CLAIM_PERIOD_WHOLE' }),
    ]);
    // A new claim period with the old fixed validity: coupons claimed now would be expired already.
    const stale = await copyOf({ claimFrom: at(-3_600_000), claimTo: at(7 * day) }).expect(400);
    expect(issuesOf(stale)).toEqual([
      expect.objectContaining({ path: 'body.validTo', reason: 'COUPON_DATES_REVERSED' }),
    ]);
    const both = await copyOf({ claimFrom: at(-3_600_000), claimTo: at(7 * day), validDays: 3, validTo: at(9 * day) });
    expect(both.status).toBe(400);
    expect(issuesOf(both)).toEqual([
      expect.objectContaining({ path: 'body.validDays', reason: 'COUPON_VALIDITY_ONE_WAY' }),
    ]);

    const fresh = await copyOf({ claimFrom: at(-3_600_000), claimTo: at(7 * day), validDays: 3 }).expect(201);
    expect(fresh.body).toMatchObject({
      displayStatus: 'running',
      validDays: 3,
      validFrom: null,
      validTo: null,
      issued: 0,
    });
    const me = await buyer(t, a);
    const claimed = await t.api
      .post(a.url(`/coupon-templates/${fresh.body.id}/claim`))
      .set(bearer(me.token))
      .expect(201);
    expect(claimed.body.templateId).toBe(fresh.body.id);
  });
});

describe('the coupon centre, claims and my coupons', () => {
  it('says whether I can still claim, and why not; my coupons shows mine only, by state', async () => {
    const s = await sellingShop(t);
    const tpl = await create(s, { totalQuantity: 2, perShopperLimit: 1 });
    const sendOnly = await create(s, { issueMode: 'send' });
    const [me, other, third] = await Promise.all([buyer(t, s), buyer(t, s), buyer(t, s)]);
    const centre = async (token: string) =>
      (await t.api.get(s.url('/coupon-templates')).set(bearer(token)).expect(200)).body;
    expect((await centre(me.token)).map((c: { id: number }) => c.id)).toEqual([tpl.id]);
    expect(await centre(me.token)).toEqual([expect.objectContaining({ canClaim: true, claimedByMe: 0 })]);

    const claimed = await t.api
      .post(s.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(me.token))
      .expect(201);
    expect(claimed.body).toMatchObject({
      templateId: tpl.id,
      state: 'unused',
      kind: 'amount_off',
      amountOffFen: 1_000,
    });
    expect(new Date(claimed.body.validTo).getTime() - new Date(claimed.body.validFrom).getTime()).toBe(7 * 86_400_000);
    expect(await centre(me.token)).toEqual([
      expect.objectContaining({ canClaim: false, cannotClaimReason: 'CLAIM_LIMIT_REACHED', claimedByMe: 1 }),
    ]);
    const again = await t.api
      .post(s.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(me.token))
      .expect(409);
    expect(again.body.error).toMatchObject({ reason: 'CLAIM_LIMIT_REACHED', params: { limit: 1 } });

    await t.api
      .post(s.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(other.token))
      .expect(201);
    expect(await centre(third.token)).toEqual([
      expect.objectContaining({ canClaim: false, cannotClaimReason: 'COUPON_SOLD_OUT' }),
    ]);
    const sold = await t.api
      .post(s.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(third.token))
      .expect(409);
    expect(sold.body.error.reason).toBe('COUPON_SOLD_OUT');
    const notMine = await t.api
      .post(s.url(`/coupon-templates/${sendOnly.id}/claim`))
      .set(bearer(third.token))
      .expect(409);
    expect(notMine.body.error.reason).toBe('COUPON_NOT_CLAIMABLE');

    const mine = await t.api.get(s.url('/coupons')).set(bearer(me.token)).expect(200);
    expect(mine.body).toMatchObject({ total: 1, items: [{ id: claimed.body.id }] });
    const theirs = await t.api.get(s.url('/coupons')).set(bearer(other.token)).expect(200);
    expect(theirs.body.items.map((c: { id: number }) => c.id)).not.toContain(claimed.body.id);

    // Eight days later the coupon (valid 7 days) is expired, not unused.
    const before = t.clock.now();
    t.clock.set(new Date(before.getTime() + 8 * 86_400_000).toISOString());
    try {
      expect((await t.api.get(s.url('/coupons')).set(bearer(me.token)).expect(200)).body.total).toBe(0);
      const expired = await t.api.get(s.url('/coupons')).query({ state: 'expired' }).set(bearer(me.token)).expect(200);
      expect(expired.body.items).toEqual([expect.objectContaining({ id: claimed.body.id, state: 'expired' })]);
    } finally {
      t.clock.set(before.toISOString());
    }
    const tpl2 = await t.api.get(`${M}/coupon-templates/${tpl.id}`).set(bearer(s.merchant)).expect(200);
    expect(tpl2.body).toMatchObject({ issued: 2, remaining: 0 });
  });

  it('a new-shoppers coupon is refused to a shopper with a paid order', async () => {
    const tpl = await create(a, { audience: 'new_shoppers' });
    const veteran = await buyer(t, a);
    const { skuId } = await product(t, a, 10);
    const order = await placeOrder(t, a, veteran, [{ skuId, quantity: 1 }]);
    await paySandbox(t, a, veteran.token, order.id);
    const refused = await t.api
      .post(a.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(veteran.token))
      .expect(409);
    expect(refused.body.error.reason).toBe('COUPON_NEW_SHOPPERS_ONLY');
    const centre = await t.api.get(a.url('/coupon-templates')).set(bearer(veteran.token)).expect(200);
    expect(centre.body.find((c: { id: number }) => c.id === tpl.id)).toMatchObject({
      canClaim: false,
      cannotClaimReason: 'COUPON_NEW_SHOPPERS_ONLY',
    });
    const newcomer = await buyer(t, a);
    await t.api
      .post(a.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(newcomer.token))
      .expect(201);
  });
});

describe('sending coupons to shoppers', () => {
  it('each shopper all or nothing, within the total and the per-shopper limit; only send-mode templates', async () => {
    const tpl = await create(a, { issueMode: 'send', totalQuantity: 5, perShopperLimit: 2 });
    const [s1, s2, s3, s4] = await manyShoppers(t, a.shop.id, 4);
    const foreign = (await manyShoppers(t, b.shop.id, 1))[0]!;
    const first = await t.api
      .post(`${M}/coupon-templates/${tpl.id}/send`)
      .set(bearer(a.merchant))
      .send({ shopperIds: [s1!.shopperId, s2!.shopperId, foreign.shopperId], quantity: 2 })
      .expect(200);
    expect(first.body).toEqual({
      sent: [s1!.shopperId, s2!.shopperId],
      refused: [{ shopperId: foreign.shopperId, reason: 'SHOPPER_NOT_FOUND' }],
    });
    // s1 holds its limit: its send rolls back and leaves the last coupon to s3; then s4 finds none left.
    const send = (shopperIds: number[]) =>
      t.api.post(`${M}/coupon-templates/${tpl.id}/send`).set(bearer(a.merchant)).send({ shopperIds }).expect(200);
    expect((await send([s1!.shopperId, s3!.shopperId])).body).toEqual({
      sent: [s3!.shopperId],
      refused: [{ shopperId: s1!.shopperId, reason: 'CLAIM_LIMIT_REACHED' }],
    });
    expect((await send([s4!.shopperId])).body).toEqual({
      sent: [],
      refused: [{ shopperId: s4!.shopperId, reason: 'COUPON_SOLD_OUT' }],
    });
    const rows = await t.platform.knex('coupons').where({ tenant_id: a.shop.id, template_id: tpl.id });
    expect(rows).toHaveLength(5);
    expect(rows.filter((r: { shopper_id: number }) => Number(r.shopper_id) === s1!.shopperId)).toHaveLength(2);
    expect((await t.api.get(`${M}/coupon-templates/${tpl.id}`).set(bearer(a.merchant))).body.issued).toBe(5);
    const s4Coupons = await t.api.get(a.url('/coupons')).set(bearer(s4!.token)).expect(200);
    expect(s4Coupons.body.total).toBe(0);

    const claimOnly = await create(a);
    const refused = await t.api
      .post(`${M}/coupon-templates/${claimOnly.id}/send`)
      .set(bearer(a.merchant))
      .send({ shopperIds: [s4!.shopperId] })
      .expect(409);
    expect(refused.body.error.reason).toBe('COUPON_NOT_SENDABLE');
    const twice = await t.api
      .post(`${M}/coupon-templates/${tpl.id}/send`)
      .set(bearer(a.merchant))
      .send({ shopperIds: [s3!.shopperId, s3!.shopperId] })
      .expect(400);
    expect(issuesOf(twice)).toEqual([expect.objectContaining({ reason: 'SHOPPERS_REPEATED' })]);
  });
});

describe('two shops: nothing crosses', () => {
  it("another shop's merchant can neither read nor change, stop, copy or send a template", async () => {
    const tpl = await create(a, { issueMode: 'send' });
    const other = (await merchantLogin(t, b.shop.owner)).accessToken;
    const target = (await manyShoppers(t, b.shop.id, 1))[0]!;
    const calls = [
      t.api.get(`${M}/coupon-templates/${tpl.id}`),
      t.api.patch(`${M}/coupon-templates/${tpl.id}`).send({ name: 'x' }),
      t.api.post(`${M}/coupon-templates/${tpl.id}/stop`),
      t.api.post(`${M}/coupon-templates/${tpl.id}/copy`).send({}),
      t.api.post(`${M}/coupon-templates/${tpl.id}/send`).send({ shopperIds: [target.shopperId] }),
    ];
    for (const call of calls) {
      const res = await call.set(bearer(other)).expect(404);
      expect(res.body.error.reason).toBe('COUPON_TEMPLATE_NOT_FOUND');
    }
    const list = await t.api.get(`${M}/coupon-templates`).set(bearer(other)).expect(200);
    expect(list.body.items.map((i: { id: number }) => i.id)).not.toContain(tpl.id);
    const after = await t.api.get(`${M}/coupon-templates/${tpl.id}`).set(bearer(a.merchant)).expect(200);
    expect(after.body).toMatchObject({ name: tpl.name, status: 'running', issued: 0 });
  });

  it("a shopper of shop B can neither claim shop A's template nor see shop A's coupons", async () => {
    const tpl = await create(a);
    const mineInA = await buyer(t, a);
    await t.api
      .post(a.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(mineInA.token))
      .expect(201);
    const inB = await buyer(t, b);
    // Through shop B's path: no such template there.
    const viaB = await t.api
      .post(b.url(`/coupon-templates/${tpl.id}/claim`))
      .set(bearer(inB.token))
      .expect(404);
    expect(viaB.body.error.reason).toBe('COUPON_TEMPLATE_NOT_FOUND');
    // Through shop A's path with shop B's token: the wrong shop.
    const viaA = await t.api.post(a.url(`/coupon-templates/${tpl.id}/claim`)).set(bearer(inB.token));
    expect(viaA.status).toBe(403);
    expect(viaA.body.error.code).toBe('WRONG_SHOP');
    expect((await t.api.get(a.url('/coupons')).set(bearer(inB.token))).status).toBe(403);
    expect((await t.api.get(b.url('/coupons')).set(bearer(inB.token)).expect(200)).body.total).toBe(0);
    expect(
      (await t.api.get(b.url('/coupon-templates')).set(bearer(inB.token)).expect(200)).body.map(
        (c: { id: number }) => c.id,
      ),
    ).not.toContain(tpl.id);
  });

  it('a staff member may manage coupons; an unsigned shopper may not claim', async () => {
    const shop = await createShop(t);
    const staff = (await merchantLogin(t, shop.staff)).accessToken;
    await t.api.post(`${M}/coupon-templates`).set(bearer(staff)).send(templateBody(t)).expect(201);
    await t.api.get(a.url('/coupons')).expect(401);
  });
});

describe('新人券: coupons given at first sign-in', () => {
  it('each new shopper gets one of each running first-sign-in template, until its total runs out', async () => {
    const s = await sellingShop(t);
    const tpl = await create(s, {
      issueMode: 'first_sign_in',
      kind: 'no_threshold',
      thresholdFen: 0,
      amountOffFen: 500,
      totalQuantity: 2,
    });
    const other = await create(s, { issueMode: 'claim' });
    const phones = ['13911110001', '13911110002', '13911110003'];
    const tokens = [];
    for (const phone of phones) tokens.push((await shopperLogin(t, s.shop.slug, phone)).accessToken);
    const mine = async (token: string) =>
      (await t.api.get(s.url('/coupons')).set(bearer(token)).expect(200)).body.items.map(
        (c: { templateId: number }) => c.templateId,
      );
    expect(await mine(tokens[0]!)).toEqual([tpl.id]);
    expect(await mine(tokens[1]!)).toEqual([tpl.id]);
    expect(await mine(tokens[2]!)).toEqual([]);
    const read = await t.api.get(`${M}/coupon-templates/${tpl.id}`).set(bearer(s.merchant)).expect(200);
    expect(read.body).toMatchObject({ issued: 2, remaining: 0 });
    expect((await t.api.get(`${M}/coupon-templates/${other.id}`).set(bearer(s.merchant))).body.issued).toBe(0);
  });

  it('two first sign-ins of one phone at once give one coupon', async () => {
    const s = await sellingShop(t);
    const tpl = await create(s, {
      issueMode: 'first_sign_in',
      kind: 'no_threshold',
      thresholdFen: 0,
      amountOffFen: 500,
    });
    const phone = '13922220001';
    await t.api.post(`/shop-api/v1/shops/${s.shop.slug}/auth/sms-code`).send({ phone }).expect(200);
    const code = t.sms.lastCodeFor(phone);
    // One code works once: the second request fails to verify, or signs in the same shopper; either way one coupon.
    await Promise.all(
      [0, 1].map(() => t.api.post(`/shop-api/v1/shops/${s.shop.slug}/auth/phone`).send({ phone, code })),
    );
    const rows = await t.platform.knex('coupons').where({ tenant_id: s.shop.id, template_id: tpl.id });
    expect(rows).toHaveLength(1);
  });
});
