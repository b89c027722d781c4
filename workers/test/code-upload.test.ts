import { generateKeyPairSync } from 'node:crypto';
import { serveOnPort, startTestPlatform, uid, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../platform/test/helpers/fixtures';
import { authorizeMiniProgram, deliverTicket, readyTemplateVersion, until } from '../../platform/test/helpers/releases';
import { product, sellingShop } from '../../platform/test/helpers/orders';
import { runMiniProgram } from '../../platform/test/helpers/mini-program';
import { startWorkers, type RunningWorkers } from '../src/worker';

let t: TestPlatform;
let workers: RunningWorkers;
let version: { id: number; version: string };
let served: Awaited<ReturnType<typeof serveOnPort>> | undefined;
let origin: string;
beforeAll(async () => {
  t = await startTestPlatform();
  workers = startWorkers(t.platform);
  await deliverTicket(t);
  version = await readyTemplateVersion(t);
  served = await serveOnPort(t);
  origin = served.origin;
}, 240_000);
afterAll(async () => {
  await served?.close();
  await workers?.close();
  await t.close();
});

const m = (path: string) => `/merchant-api/v1${path}`;
const newAppid = () =>
  `wx${Array.from({ length: 16 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('')}`;

/** A code-upload key as mp.weixin.qq.com hands it out (RSA, PEM), with WeChat knowing its public half. */
function uploadKey(appid: string, opts: { registered?: boolean } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (opts.registered !== false)
    t.wechatCi.registerApp(appid, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

async function shopWithKey(): Promise<{ shop: TestShop; token: string; appid: string }> {
  const shop = await createShop(t);
  const token = (await merchantLogin(t, shop.owner)).accessToken;
  const appid = newAppid();
  await t.api
    .put(m('/miniapp/upload-key'))
    .set(bearer(token))
    .send({ appid, privateKey: uploadKey(appid), appSecret: 'a'.repeat(32) })
    .expect(200);
  return { shop, token, appid };
}

const upload = async (token: string, id: number) =>
  (
    await t.api
      .get(m(`/miniapp/code-uploads/${id}`))
      .set(bearer(token))
      .expect(200)
  ).body;
const ends = (token: string, id: number) =>
  until(
    () => upload(token, id),
    (u) => u.status === 'uploaded' || u.status === 'failed',
    `upload ${id} to end`,
    60_000,
  );

describe('a shop uploads its own mini-program with its code-upload key (miniprogram-ci)', () => {
  it("uploads the shop's package signed with its key, and the uploaded app finds its shop without ext.json", async () => {
    const s = await sellingShop(t);
    const { productId } = await product(t, s, 10, 1990);
    await t.api
      .put(m('/catalog/home'))
      .set(bearer(s.merchant))
      .send({
        banners: [],
        shortcutCategoryIds: [s.leaf],
        newProductIds: [productId],
        hotProductIds: [productId],
        recommendedProductIds: [],
      })
      .expect(200);
    const appid = newAppid();
    const key = (
      await t.api
        .put(m('/miniapp/upload-key'))
        .set(bearer(s.merchant))
        .send({ appid, privateKey: uploadKey(appid), appSecret: 'b'.repeat(32) })
        .expect(200)
    ).body;
    expect(key).toEqual({ appid, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), updatedAt: expect.any(String) });
    // The key is kept encrypted, never shown again; the AppID is now the shop's (shoppers sign in with it).
    const stored = await t.platform.knex('mp_upload_keys').where({ tenant_id: s.shop.id }).first();
    expect(stored.private_key_enc).not.toContain('PRIVATE KEY');
    const tenantRow = await t.platform.knex('tenants').where({ id: s.shop.id }).first();
    expect(tenantRow.mp_appid).toBe(appid);
    expect(tenantRow.mp_secret_enc).toEqual(expect.any(String));
    expect(tenantRow.mp_secret_enc).not.toContain('b'.repeat(32));

    const started = (
      await t.api
        .post(m('/miniapp/code-uploads'))
        .set(bearer(s.merchant))
        .send({ templateVersionId: version.id, description: '春季上新' })
        .expect(201)
    ).body;
    expect(started).toMatchObject({
      status: 'queued',
      appid,
      version: version.version,
      description: '春季上新',
      robot: 1,
    });
    // One upload at a time.
    await t.api.post(m('/miniapp/code-uploads')).set(bearer(s.merchant)).send({}).expect(409);
    const done = await ends(s.merchant, started.id);
    expect(done).toMatchObject({
      status: 'uploaded',
      attempts: 1,
      error: null,
      wechatVersion: expect.any(String),
      uploadedAt: expect.any(String),
    });
    // Every state change is on its timeline.
    expect(done.events.map((e: { status: string }) => e.status)).toEqual(['queued', 'uploading', 'uploaded']);
    // Each says what happened by a code and its params, the console's to say; the English stays beside it.
    expect(done.events).toEqual([
      expect.objectContaining({
        code: 'UPLOAD_REQUESTED',
        params: { version: version.version, appid },
        message: `Upload of ${version.version} to ${appid} requested`,
      }),
      expect.objectContaining({ code: 'UPLOAD_ATTEMPT', params: { attempt: 1 } }),
      expect.objectContaining({
        code: 'UPLOADED_VERSION',
        params: { wechatVersion: done.wechatVersion },
        message: expect.stringContaining('WeChat took the development version'),
      }),
    ]);

    const taken = t.wechatCi.uploads.filter((u) => u.appid === appid);
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ version: version.version, desc: '春季上新', robot: '1' });
    const files = new Map([...taken[0]!.files].map(([name, data]) => [name.replace(/^\//, ''), data]));
    // The uploaded package is the shop's own mini-program: no third-party ext.json, its settings bundled.
    expect(files.has('ext.json')).toBe(false);
    expect(
      t.wechatCi.calls.find((c) => c.path === '/wxa/ci/upload' && c.query.appid === appid)!.query.extAppId,
    ).toBeUndefined();
    expect(files.get('platform/bundled-config.js')!.toString()).toContain(`"shopKey":"${s.shop.slug}"`);

    // WeChat gives a mini-program uploaded this way no ext config: the app reads its bundled settings.
    const mp = runMiniProgram(files, { apiOrigin: origin, extJson: false });
    const home = mp.page('pages/index/index');
    await mp.settle();
    const requested = mp.calls.filter((c) => c.api === 'request').map((c) => new URL(String(c.args!.url)).pathname);
    expect(requested).toEqual(
      expect.arrayContaining([`/shop-api/v1/shops/${s.shop.slug}`, `/shop-api/v1/shops/${s.shop.slug}/home`]),
    );
    const title = (
      await t.api
        .get(m(`/catalog/products/${productId}`))
        .set(bearer(s.merchant))
        .expect(200)
    ).body.title as string;
    expect(JSON.stringify(home.data)).toContain(title);
    expect(mp.errors).toEqual([]);

    const list = (await t.api.get(m('/miniapp/code-uploads')).set(bearer(s.merchant)).expect(200)).body;
    expect(list).toMatchObject({ total: 1, items: [{ id: started.id, status: 'uploaded' }] });

    // Another mini-program later: the AppSecret given with the first AppID is not kept for the second.
    const next = newAppid();
    await t.api
      .put(m('/miniapp/upload-key'))
      .set(bearer(s.merchant))
      .send({ appid: next, privateKey: uploadKey(next) })
      .expect(200);
    expect(await t.platform.knex('tenants').where({ id: s.shop.id }).first()).toMatchObject({
      mp_appid: next,
      mp_secret_enc: null,
    });
  }, 120_000);

  it('WeChat busy (-1) is retried; a key that does not sign for the AppID, or an address off the IP whitelist, stops the upload with the reason', async () => {
    const busy = await shopWithKey();
    t.wechatCi.failNext('/wxa/ci/upload', -1, 'system error');
    const retried = (await t.api.post(m('/miniapp/code-uploads')).set(bearer(busy.token)).send({}).expect(201)).body;
    const afterRetry = await ends(busy.token, retried.id);
    expect(afterRetry).toMatchObject({ status: 'uploaded', attempts: 2 });
    expect(afterRetry.events.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/tried again.*-1: system error/)]),
    );
    expect(afterRetry.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          status: 'uploading',
          code: 'UPLOAD_ATTEMPT_FAILED',
          params: { error: expect.stringContaining('-1: system error') },
        }),
        expect.objectContaining({ status: 'uploading', code: 'UPLOAD_ATTEMPT', params: { attempt: 2 } }),
      ]),
    );

    // The merchant pasted a key of another mini-program: WeChat cannot open the signature.
    const shop = await createShop(t);
    const token = (await merchantLogin(t, shop.owner)).accessToken;
    const appid = newAppid();
    await t.api
      .put(m('/miniapp/upload-key'))
      .set(bearer(token))
      .send({ appid, privateKey: uploadKey(appid, { registered: false }) })
      .expect(200);
    t.wechatCi.registerApp(
      appid,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const wrongKey = (await t.api.post(m('/miniapp/code-uploads')).set(bearer(token)).send({}).expect(201)).body;
    const rejected = await ends(token, wrongKey.id);
    expect(rejected).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: '-10003', message: expect.stringContaining('key does not belong to this AppID') },
    });
    // The refusal is said by its code, on the error and on the timeline's last event.
    expect(rejected.error).toMatchObject({ reason: 'UPLOAD_KEY_REJECTED', params: {} });
    expect(rejected.events.at(-1)).toMatchObject({ status: 'failed', code: 'UPLOAD_KEY_REJECTED', params: {} });

    const walled = await shopWithKey();
    t.wechatCi.allowedIps.set(walled.appid, ['203.0.113.7']);
    const refused = (await t.api.post(m('/miniapp/code-uploads')).set(bearer(walled.token)).send({}).expect(201)).body;
    const walledOff = await ends(walled.token, refused.id);
    expect(walledOff).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: '-10008', message: expect.stringContaining('127.0.0.1') },
    });
    expect(walledOff.error).toMatchObject({ reason: 'UPLOAD_IP_NOT_ALLOWED', params: { ip: '127.0.0.1' } });
    expect(walledOff.events.at(-1)).toMatchObject({ code: 'UPLOAD_IP_NOT_ALLOWED', params: { ip: '127.0.0.1' } });
    expect(t.wechatCi.uploads.some((u) => u.appid === appid || u.appid === walled.appid)).toBe(false);
    // Once the merchant fixes the whitelist, the next upload goes through.
    t.wechatCi.allowedIps.set(walled.appid, ['127.0.0.1']);
    const again = (await t.api.post(m('/miniapp/code-uploads')).set(bearer(walled.token)).send({}).expect(201)).body;
    expect(await ends(walled.token, again.id)).toMatchObject({ status: 'uploaded' });
  }, 120_000);

  it('refuses a malformed AppID, a key that is not an RSA private key, a bad AppSecret, an AppID of another shop, and a shop authorized to the platform', async () => {
    const shop = await createShop(t);
    const token = (await merchantLogin(t, shop.owner)).accessToken;
    const appid = newAppid();
    const key = uploadKey(appid);
    const put = (body: unknown) =>
      t.api
        .put(m('/miniapp/upload-key'))
        .set(bearer(token))
        .send(body as object);
    expect((await put({ appid: 'wx123', privateKey: key }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await put({
      appid,
      privateKey: `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(200)}\n-----END PRIVATE KEY-----`,
    }).expect(400);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect((await put({ appid, privateKey: ec }).expect(400)).body.error.message).toContain('RSA');
    await put({ appid, privateKey: key, appSecret: 'not-a-secret' }).expect(400);
    await put({ appid, privateKey: key, extra: 1 }).expect(400);
    expect((await t.api.get(m('/miniapp/upload-key')).set(bearer(token)).expect(200)).body).toBeNull();
    // Without a key there is nothing to upload with.
    await t.api.post(m('/miniapp/code-uploads')).set(bearer(token)).send({}).expect(409);

    const other = await shopWithKey();
    expect((await put({ appid: other.appid, privateKey: key }).expect(409)).body.error.message).toContain(
      'another shop',
    );

    const authorized = await createShop(t);
    await t.platform.knex('tenants').where({ id: authorized.id }).update({ contact_phone: '13800138000' });
    const authToken = (await merchantLogin(t, authorized.owner)).accessToken;
    await authorizeMiniProgram(t, authToken);
    await t.api
      .put(m('/miniapp/upload-key'))
      .set(bearer(authToken))
      .send({ appid: newAppid(), privateKey: key })
      .expect(409);
  }, 60_000);

  it('a shop that is not active cannot upload; another shop can neither see nor change the key or the uploads', async () => {
    const { token, appid } = await shopWithKey();
    const started = (await t.api.post(m('/miniapp/code-uploads')).set(bearer(token)).send({}).expect(201)).body;
    await ends(token, started.id);

    const stranger = await createShop(t);
    const strangerToken = (await merchantLogin(t, stranger.owner)).accessToken;
    expect((await t.api.get(m('/miniapp/upload-key')).set(bearer(strangerToken)).expect(200)).body).toBeNull();
    await t.api
      .get(m(`/miniapp/code-uploads/${started.id}`))
      .set(bearer(strangerToken))
      .expect(404);
    expect((await t.api.get(m('/miniapp/code-uploads')).set(bearer(strangerToken)).expect(200)).body.total).toBe(0);
    await t.api.delete(m('/miniapp/upload-key')).set(bearer(strangerToken)).expect(200);
    expect((await t.api.get(m('/miniapp/upload-key')).set(bearer(token)).expect(200)).body).toMatchObject({ appid });

    // A shop under review gives its key but cannot upload yet.
    const pending = await createShop(t, { status: 'pending_review' });
    const pendingToken = (await merchantLogin(t, pending.owner)).accessToken;
    const pendingAppid = newAppid();
    await t.api
      .put(m('/miniapp/upload-key'))
      .set(bearer(pendingToken))
      .send({ appid: pendingAppid, privateKey: uploadKey(pendingAppid) })
      .expect(200);
    expect(
      (await t.api.post(m('/miniapp/code-uploads')).set(bearer(pendingToken)).send({}).expect(403)).body.error.code,
    ).toBe('TENANT_NOT_ACTIVE');

    // The merchant forgets the key: nothing more can be uploaded until it gives one again.
    await t.api.delete(m('/miniapp/upload-key')).set(bearer(token)).expect(200);
    expect((await t.api.get(m('/miniapp/upload-key')).set(bearer(token)).expect(200)).body).toBeNull();
    await t.api.post(m('/miniapp/code-uploads')).set(bearer(token)).send({ description: uid() }).expect(409);
  }, 60_000);
});
