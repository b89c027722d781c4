import { AUDIT_ACTIONS, defaultAppearance } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, createShop, merchantLogin, platformLogin } from '../../helpers/fixtures';
import { addDocument, signUp } from '../../helpers/onboarding';
import { category, createProduct, productInput } from '../../helpers/catalog';
import { authorizeMiniProgram, deliverTicket, pushSecrets, readyTemplateVersion, until } from '../../helpers/releases';
import { FakeAlipay } from '../../fakes/alipay-gateway';
import { startWorkers, type RunningWorkers } from '../../../../workers/src/worker';

let t: TestPlatform;
let workers: RunningWorkers;
let reviewer: string;
beforeAll(async () => {
  t = await startTestPlatform({ RELEASE_AUDIT_POLL_SECONDS: '3600' });
  workers = startWorkers(t.platform);
  reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
}, 60_000);
afterAll(async () => {
  await workers?.close();
  await t.close();
}, 600_000);

const m = (path: string) => `/merchant-api/v1${path}`;
const onboarding = async (token: string) => (await t.api.get(m('/onboarding')).set(bearer(token)).expect(200)).body;
const firstSteps = async (token: string) =>
  (await t.api.get(m('/onboarding/first-steps')).set(bearer(token)).expect(200)).body;
const done = (steps: { steps: Array<{ key: string; done: boolean }> }) =>
  Object.fromEntries(steps.steps.map((s) => [s.key, s.done]));

describe('the one state of an application', () => {
  it('goes not_started → incomplete → ready_to_submit → in_review → changes_requested → in_review (re-upload) → approved', async () => {
    // Food needs a business license and a food business license.
    const shop = await signUp(t, { subjectType: 'enterprise', categoryCode: 'food' });
    let state = await onboarding(shop.token);
    expect(state).toMatchObject({ state: 'not_started', canSubmit: false });
    const early = await t.api.post(m('/onboarding/submit')).set(bearer(shop.token)).expect(400);
    expect(early.body.error).toMatchObject({ reason: 'DOCUMENTS_MISSING', params: { count: 2 } });

    await addDocument(t, shop.token, 'business_license');
    expect(await onboarding(shop.token)).toMatchObject({ state: 'incomplete', canSubmit: false });
    const food = await addDocument(t, shop.token, 'food_business_license');
    expect(food.status).toBe('draft');
    expect(await onboarding(shop.token)).toMatchObject({ state: 'ready_to_submit', canSubmit: true });

    state = (await t.api.post(m('/onboarding/submit')).set(bearer(shop.token)).expect(200)).body;
    expect(state).toMatchObject({ state: 'in_review', canSubmit: false });

    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${food.id}/reject`)
      .set(bearer(reviewer))
      .send({ reason: 'unreadable', note: '看不清' })
      .expect(200);
    expect(await onboarding(shop.token)).toMatchObject({ state: 'changes_requested', canSubmit: false });

    // The new version goes straight to review: the application is in review again, nothing to submit.
    const again = await addDocument(t, shop.token, 'food_business_license');
    expect(again.status).toBe('pending');
    expect(await onboarding(shop.token)).toMatchObject({ state: 'in_review', canSubmit: false });
    const twice = await t.api.post(m('/onboarding/submit')).set(bearer(shop.token)).expect(409);
    expect(twice.body.error).toMatchObject({ code: 'CONFLICT', reason: 'NOTHING_TO_SUBMIT' });

    const license = (await onboarding(shop.token)).checklist.find(
      (i: { documentType: { code: string } }) => i.documentType.code === 'business_license',
    ).current;
    for (const id of [license.id, again.id]) {
      await t.api
        .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${id}/approve`)
        .set(bearer(reviewer))
        .send({})
        .expect(200);
    }
    expect(await onboarding(shop.token)).toMatchObject({
      state: 'approved',
      canSubmit: false,
      tenant: { status: 'active' },
    });
  });

  it('a document with problems names each field with a reason', async () => {
    const shop = await signUp(t, { subjectType: 'enterprise', categoryCode: 'apparel' });
    const res = await t.api
      .post(m('/qualifications'))
      .set(bearer(shop.token))
      .send({
        typeCode: 'business_license',
        fileIds: [999_999],
        fields: { creditCode: '123' },
        validFrom: '2020-01-01',
        validTo: '2019-01-01',
      })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'DOCUMENT_INCOMPLETE' });
    const reasons = Object.fromEntries(
      res.body.error.details.issues.map((i: { path: string; reason: string }) => [i.path, i.reason]),
    );
    expect(reasons).toMatchObject({
      'body.fields.creditCode': 'DOCUMENT_CREDIT_CODE_INVALID',
      'body.fields.companyName': 'FIELD_REQUIRED',
      'body.validTo': expect.stringMatching(/^DOCUMENT_(VALID_TO_BEFORE_FROM|EXPIRED)$/),
      'body.fileIds': 'DOCUMENT_FILE_NOT_UPLOADED',
    });
  });
});

describe("an approved shop's first steps", () => {
  it('ticks products, payment, appearance and release off from the shop data, and another shop sees only its own', async () => {
    const shop = await createShop(t);
    const other = await createShop(t);
    const token = (await merchantLogin(t, shop.owner)).accessToken;
    const otherToken = (await merchantLogin(t, other.owner)).accessToken;
    const none = { products: false, payment: false, appearance: false, release: false };
    expect(await firstSteps(token)).toEqual({
      steps: ['products', 'payment', 'appearance', 'release'].map((key) => ({ key, done: false })),
      allDone: false,
    });

    await createProduct(t, token, productInput(await category(t, token, '耳机')));
    expect(done(await firstSteps(token))).toEqual({ ...none, products: true });

    // The sandbox of test mode is no payment channel; Alipay's keys are.
    await t.api.put(m('/payment-settings/mode')).set(bearer(token)).send({ testMode: true }).expect(200);
    expect(done(await firstSteps(token)).payment).toBe(false);
    const app = FakeAlipay.appCredentials();
    await t.api
      .put(m('/payment-settings/alipay'))
      .set(bearer(token))
      .send({ appId: app.appId, privateKey: app.privateKeyPem, alipayPublicKey: t.alipay.alipayPublicKeyPem })
      .expect(200);
    expect(done(await firstSteps(token))).toEqual({ ...none, products: true, payment: true });

    const tenant = await t.platform.services.tenants.mustGet(shop.id);
    await t.api
      .put(m('/shop/appearance'))
      .set(bearer(token))
      .send(defaultAppearance({ name: tenant.name, themeColor: '#e4393c' }))
      .expect(200);
    expect(done(await firstSteps(token))).toEqual({ ...none, products: true, payment: true, appearance: true });

    // A release through WeChat: submitted, audited, released.
    await deliverTicket(t);
    // A real uni build of the template (slow on a busy machine).
    const version = await readyTemplateVersion(t, 480_000);
    await t.platform.knex('tenants').where({ id: shop.id }).update({ contact_phone: '13800138000' });
    const appid = await authorizeMiniProgram(t, token);
    const started = (
      await t.api
        .post(m('/miniapp/releases'))
        .set(bearer(token))
        .send({ templateVersionId: version.id, autoRelease: false })
        .expect(201)
    ).body;
    await until(
      async () =>
        (
          await t.api
            .get(m(`/miniapp/releases/${started.id}`))
            .set(bearer(token))
            .expect(200)
        ).body.status,
      (s) => s === 'submitted',
      'the submission',
      120_000,
    );
    expect(done(await firstSteps(token)).release).toBe(false);
    t.wechat.decideAudit(appid, { status: 0 });
    const push = t.wechat.auditEventPush(pushSecrets(t), appid, 'success', {}, t.clock.now());
    await t.api
      .post(`/webhooks/wechat/events/${appid}`)
      .query(push.query)
      .set('content-type', 'text/xml')
      .send(push.body)
      .expect(200);
    await until(
      async () =>
        (
          await t.api
            .get(m(`/miniapp/releases/${started.id}`))
            .set(bearer(token))
            .expect(200)
        ).body.status,
      (s) => s === 'audit_passed',
      'the audit',
    );
    await t.api
      .post(m(`/miniapp/releases/${started.id}/publish`))
      .set(bearer(token))
      .send({})
      .expect(200);

    expect(await firstSteps(token)).toMatchObject({ allDone: true });
    // Nothing of the first shop shows in the other one's steps.
    expect(done(await firstSteps(otherToken))).toEqual(none);
  }, 720_000);
});

describe('the audit log', () => {
  it('records only actions the console can name (declared in contracts)', async () => {
    const actions = (await t.platform.knex('audit_log').distinct('action').pluck('action')) as string[];
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
  });
});
