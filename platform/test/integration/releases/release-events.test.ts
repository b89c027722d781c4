import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import {
  bearer,
  createPlatformUser,
  createShop,
  merchantLogin,
  platformLogin,
  type TestShop,
} from '../../helpers/fixtures';
import { systemContext } from '../../../src/kernel/context';
import { WechatApiError } from '../../../src/integrations/wechat';
import { ReleaseStopped } from '../../../src/modules/releases';
import { said } from '../../../src/modules/releases/release-texts';

let t: TestPlatform;
let versionId: number;
beforeAll(async () => {
  t = await startTestPlatform();
  // A built version as a row: these tests read releases, they never build or commit one.
  [versionId] = (await t.platform.knex('template_versions').insert({
    version: `9.${uid().slice(0, 6)}.0`,
    content_hash: 'e'.repeat(64),
    status: 'ready',
    object_key: 'x.zip',
  })) as [number];
});
afterAll(async () => {
  await t.close();
});

const m = (path: string) => `/merchant-api/v1${path}`;

/** A release row of the shop, in flight at `status` or ended, and its events as given. */
async function releaseRow(
  shop: TestShop,
  row: Record<string, unknown>,
  events: Array<Record<string, unknown>> = [],
): Promise<number> {
  const [id] = (await t.platform.knex('mp_releases').insert({
    tenant_id: shop.id,
    template_version_id: versionId,
    in_flight: 1,
    status: 'pending',
    appid: `wx${uid().slice(0, 16).padEnd(16, '0')}`,
    user_version: '1.0.0',
    user_desc: '',
    ...row,
  })) as [number];
  for (const e of events)
    await t.platform.knex('mp_release_events').insert({ tenant_id: shop.id, release_id: id, ...e });
  return id;
}

async function shopWithToken(): Promise<{ shop: TestShop; token: string }> {
  const shop = await createShop(t);
  return { shop, token: (await merchantLogin(t, shop.owner)).accessToken };
}

describe('release events and notes are said by code, with the English kept as the fallback', () => {
  it('a release recorded before the codes reads as before: its events and error have no code, their English message is the text', async () => {
    const { shop, token } = await shopWithToken();
    const id = await releaseRow(
      shop,
      {
        in_flight: null,
        status: 'failed',
        error_code: 'stopped',
        error_message: 'The mini-program has no service category in WeChat',
      },
      [
        { status: 'pending', message: 'Release of 1.0.0 requested' },
        { status: 'failed', message: 'The mini-program has no service category in WeChat' },
      ],
    );
    const r = (
      await t.api
        .get(m(`/miniapp/releases/${id}`))
        .set(bearer(token))
        .expect(200)
    ).body;
    expect(r.events).toEqual([
      expect.objectContaining({ status: 'pending', code: null, params: {}, message: 'Release of 1.0.0 requested' }),
      expect.objectContaining({
        status: 'failed',
        code: null,
        params: {},
        message: 'The mini-program has no service category in WeChat',
      }),
    ]);
    expect(r.error).toEqual({
      code: 'stopped',
      message: 'The mini-program has no service category in WeChat',
      reason: null,
      params: {},
    });
  });

  it("a stopped release keeps its reason and params on its error and its failed event: its own code, WeChat's refusal with WeChat's words, a job failure", async () => {
    const { shop, token } = await shopWithToken();
    const ctx = { ...systemContext(t.platform.log, 'test', shop.id), tenantId: shop.id };
    const releases = t.platform.services.releases;
    const read = async (id: number) =>
      (
        await t.api
          .get(m(`/miniapp/releases/${id}`))
          .set(bearer(token))
          .expect(200)
      ).body;

    const noCategory = await releaseRow(shop, { status: 'committed' });
    await releases.stop(ctx, noCategory, new ReleaseStopped(said('NO_SERVICE_CATEGORY')));
    const first = await read(noCategory);
    expect(first.error).toEqual({
      code: 'stopped',
      message: expect.stringContaining('no service category'),
      reason: 'NO_SERVICE_CATEGORY',
      params: {},
    });
    expect(first.events.at(-1)).toMatchObject({
      status: 'failed',
      code: 'NO_SERVICE_CATEGORY',
      params: {},
      message: first.error.message,
    });

    const refused = await releaseRow(shop, { status: 'committed' });
    await releases.stop(ctx, refused, new WechatApiError(87013, '撤回次数达到上限', 'submit_audit'));
    const second = await read(refused);
    expect(second.error).toMatchObject({
      code: 'wechat:87013',
      reason: 'WECHAT_REFUSED',
      params: { errcode: 87013, errmsg: '撤回次数达到上限' },
    });
    expect(second.events.at(-1)).toMatchObject({
      code: 'WECHAT_REFUSED',
      params: { errcode: 87013, errmsg: '撤回次数达到上限' },
      message: 'WeChat refused submit_audit: 87013 撤回次数达到上限',
    });

    const gaveUp = await releaseRow(shop, { status: 'pending' });
    await releases.giveUp(ctx, gaveUp, 'set-domains', {
      code: 'JOB_RETRIES_EXHAUSTED',
      params: { attempts: 8, error: 'connect ECONNREFUSED' },
    });
    const third = await read(gaveUp);
    expect(third.error).toMatchObject({
      code: 'JOB_RETRIES_EXHAUSTED',
      reason: 'JOB_RETRIES_EXHAUSTED',
      params: { attempts: 8, error: 'connect ECONNREFUSED' },
    });
    expect(third.events.at(-1)).toMatchObject({
      code: 'JOB_RETRIES_EXHAUSTED',
      params: { attempts: 8, error: 'connect ECONNREFUSED' },
    });

    // Going on clears the error; the event says so by its code.
    const retried = (
      await t.api
        .post(m(`/miniapp/releases/${gaveUp}/retry`))
        .set(bearer(token))
        .expect(200)
    ).body;
    expect(retried).toMatchObject({ status: 'pending', error: null });
    expect(retried.events.at(-1)).toMatchObject({
      status: 'pending',
      code: 'RELEASE_RETRIED',
      params: {},
      message: 'Retried from pending',
    });
    expect(await t.platform.knex('mp_releases').where({ id: gaveUp }).first('error_reason', 'error_params')).toEqual({
      error_reason: null,
      error_params: null,
    });
  });

  it("a bulk release target's note carries the code of its release's failure; one from before the codes, only its English", async () => {
    const admin = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
    const [coded, old] = [await shopWithToken(), await shopWithToken()];
    const failed = await releaseRow(coded.shop, { status: 'committed' });
    await t.platform.services.releases.stop(
      { ...systemContext(t.platform.log, 'test', coded.shop.id), tenantId: coded.shop.id },
      failed,
      new ReleaseStopped(said('TEMPLATE_NOT_IN_LIBRARY', { version: '1.0.0' })),
    );
    const oldFailed = await releaseRow(old.shop, {
      in_flight: null,
      status: 'failed',
      error_code: 'stopped',
      error_message: 'Something from before',
    });

    const [bulkId] = (await t.platform
      .knex('bulk_releases')
      .insert({ template_version_id: versionId, status: 'done', concurrency: 1, auto_release: true })) as [number];
    await t.platform.knex('bulk_release_targets').insert([
      { bulk_id: bulkId, tenant_id: coded.shop.id, phase: 'canary', state: 'started', release_id: failed },
      { bulk_id: bulkId, tenant_id: old.shop.id, phase: 'main', state: 'started', release_id: oldFailed },
    ]);
    const items = (await t.api.get(`/platform-api/v1/releases/bulk/${bulkId}/targets`).set(bearer(admin)).expect(200))
      .body.items;
    expect(items).toEqual([
      expect.objectContaining({
        tenantId: coded.shop.id,
        releaseStatus: 'failed',
        noteCode: 'TEMPLATE_NOT_IN_LIBRARY',
        noteParams: { version: '1.0.0' },
        note: expect.stringContaining('1.0.0'),
      }),
      expect.objectContaining({
        tenantId: old.shop.id,
        releaseStatus: 'failed',
        noteCode: null,
        noteParams: {},
        note: 'Something from before',
      }),
    ]);
  });
});
