import { QUEUES, storedErrorReason } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../platform/test/helpers/test-platform';
import {
  bearer,
  createPlatformUser,
  createShop,
  merchantLogin,
  platformLogin,
  type TestShop,
} from '../../platform/test/helpers/fixtures';
import {
  authorizeMiniProgram,
  deliverTicket,
  pushSecrets,
  readyTemplateVersion,
  until,
} from '../../platform/test/helpers/releases';
import { startWorkers, type RunningWorkers } from '../src/worker';

let t: TestPlatform;
let workers: RunningWorkers;
let version: { id: number; version: string };
beforeAll(async () => {
  // Polling is the backstop: an hour here, so these tests see the push do the work unless they ask for a poll.
  t = await startTestPlatform({ RELEASE_PRIVACY_SCAN_RETRY_SECONDS: '0.2', RELEASE_AUDIT_POLL_SECONDS: '3600' });
  workers = startWorkers(t.platform);
  await deliverTicket(t);
  version = await readyTemplateVersion(t);
}, 240_000);
afterAll(async () => {
  await workers?.close();
  await t.close();
});

const m = (path: string) => `/merchant-api/v1${path}`;

async function authorizedShop(
  opts: { category?: string; funcInfo?: number[] } = {},
): Promise<{ shop: TestShop; token: string; appid: string }> {
  const shop = await createShop(t);
  await t.platform
    .knex('tenants')
    .where({ id: shop.id })
    .update({ contact_phone: '13800138000', ...(opts.category ? { category_code: opts.category } : {}) });
  const token = (await merchantLogin(t, shop.owner)).accessToken;
  const appid = await authorizeMiniProgram(t, token, opts.funcInfo);
  return { shop, token, appid };
}

const release = async (token: string, id: number) =>
  (
    await t.api
      .get(m(`/miniapp/releases/${id}`))
      .set(bearer(token))
      .expect(200)
  ).body;
const reaches = (token: string, id: number, status: string, timeoutMs?: number) =>
  until(
    () => release(token, id),
    (r) => r.status === status || (r.status === 'failed' && status !== 'failed'),
    `release ${id} to reach ${status}`,
    timeoutMs,
  );

async function pushAudit(
  appid: string,
  kind: 'success' | 'fail' | 'delay',
  detail: { reason?: string; screenshot?: string } = {},
) {
  const p = t.wechat.auditEventPush(pushSecrets(t), appid, kind, detail, t.clock.now());
  return t.api.post(`/webhooks/wechat/events/${appid}`).query(p.query).set('content-type', 'text/xml').send(p.body);
}

describe('a shop releases its mini-program through WeChat', () => {
  it('sets domains and privacy, commits, shows the trial QR code, waits out the privacy scan, takes the pushed audit result and releases', async () => {
    const { shop, token, appid } = await authorizedShop({ category: 'food' });
    t.wechat.privacyScanMs = 700;
    const started = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    expect(started).toMatchObject({ status: 'pending', inFlight: true, appid, version: version.version });
    // One release in flight per shop.
    await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(409);

    const submitted = await reaches(token, started.id, 'submitted');
    t.wechat.privacyScanMs = 0;
    const mp = t.wechat.miniPrograms.get(appid)!;
    expect(mp.domains).toMatchObject({ action: 'set', requestdomain: [new URL(t.config.publicUrl).origin] });
    expect(mp.privacy).toMatchObject({ privacy_ver: 2, owner_setting: { notice_method: expect.any(String) } });
    // The commit carries the shop's ext.json and the version; the template came from the draft box.
    expect(mp.exp).toMatchObject({
      userVersion: version.version,
      extJson: { extEnable: true, extAppid: appid, ext: { shopKey: shop.slug } },
    });
    expect(t.wechat.templates.some((tpl) => tpl.user_version === version.version)).toBe(true);
    // The privacy scan made WeChat answer 61039 first: the release waited and submitted without committing again.
    const commits = t.wechat.calls.filter((c) => c.path === '/wxa/commit' && JSON.stringify(c.body).includes(appid));
    expect(commits).toHaveLength(1);
    expect(submitted.events.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('privacy scan')]),
    );
    // Each event says what happened by a code and its params (the console says them in Chinese); the English stays beside it.
    expect(submitted.events.map((e: { code: string }) => e.code)).toEqual([
      'RELEASE_REQUESTED',
      'DOMAINS_SET',
      'PRIVACY_SET',
      'CODE_COMMITTED',
      'TRIAL_QRCODE_READY',
      'PRIVACY_SCAN_WAITING',
      'AUDIT_SUBMITTED',
    ]);
    expect(submitted.events[0]).toMatchObject({
      status: 'pending',
      params: { version: version.version },
      message: `Release of ${version.version} requested`,
    });
    expect(submitted.events.find((e: { code: string }) => e.code === 'CODE_COMMITTED').params).toEqual({
      templateId: expect.any(Number),
    });
    expect(submitted.events.at(-1)).toMatchObject({
      status: 'submitted',
      code: 'AUDIT_SUBMITTED',
      params: { auditId: mp.audit!.auditid },
      message: `Submitted for audit (audit ${mp.audit!.auditid})`,
    });
    // item_list names the shop's category (food) as WeChat lists it, on pages the code has.
    expect(mp.audit!.body.item_list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ address: 'pages/index/index', second_class: '食品', first_id: 304, second_id: 321 }),
      ]),
    );
    expect(mp.audit!.body.ugc_declare).toMatchObject({ scene: [2, 4], method: [3], has_audit_team: 1 });
    expect(submitted.auditId).toBe(mp.audit!.auditid);
    // The trial QR code is stored and shown through a short-lived link.
    expect(submitted.trialQrcodeUrl).toBeTruthy();
    const qr = await fetch(submitted.trialQrcodeUrl);
    expect(qr.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await qr.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    // WeChat's reviewers pass it and push the event (no audit id in it); the second push changes nothing.
    t.wechat.decideAudit(appid, { status: 0 });
    expect((await pushAudit(appid, 'success')).text).toBe('success');
    expect((await pushAudit(appid, 'success')).text).toBe('success');
    const passed = await release(token, started.id);
    expect(passed.status).toBe('audit_passed');
    expect(passed.events.filter((e: { status: string }) => e.status === 'audit_passed')).toHaveLength(1);
    expect(passed.events.at(-1)).toMatchObject({ status: 'audit_passed', code: 'AUDIT_PASSED_PUSHED', params: {} });

    // The merchant releases to 10% first, widens to 50%, then to everyone.
    await t.api
      .post(m(`/miniapp/releases/${started.id}/publish`))
      .set(bearer(token))
      .send({ grayPercentage: 10 })
      .expect(200);
    expect(t.wechat.miniPrograms.get(appid)!.grayPercentage).toBe(10);
    await t.api
      .post(m(`/miniapp/releases/${started.id}/publish`))
      .set(bearer(token))
      .send({ grayPercentage: 5 })
      .expect(409);
    expect(
      (
        await t.api
          .post(m(`/miniapp/releases/${started.id}/publish`))
          .set(bearer(token))
          .send({ grayPercentage: 50 })
          .expect(200)
      ).body,
    ).toMatchObject({ status: 'gray', grayPercentage: 50 });
    const full = (
      await t.api
        .post(m(`/miniapp/releases/${started.id}/publish`))
        .set(bearer(token))
        .send({})
        .expect(200)
    ).body;
    expect(full).toMatchObject({ status: 'released', inFlight: false, grayPercentage: null });
    expect(
      full.events.slice(-3).map((e: { status: string; code: string; params: object }) => [e.status, e.code, e.params]),
    ).toEqual([
      ['gray', 'GRAY_RELEASED', { percentage: 10 }],
      ['gray', 'GRAY_RELEASED', { percentage: 50 }],
      ['released', 'RELEASED', {}],
    ]);
    expect(t.wechat.miniPrograms.get(appid)!.release).toMatchObject({ version: version.version });
    // The release body is an empty JSON object, never nothing (44002).
    expect(t.wechat.calls.filter((c) => c.path === '/wxa/release').at(-1)!.body).toEqual({});

    // Staff see the audit quota one submission lower.
    const admin = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
    const quota = (await t.api.get('/platform-api/v1/releases/audit-quota').set(bearer(admin)).expect(200)).body;
    expect(quota).toMatchObject({ limit: 20, rest: t.wechat.quota.rest });
    const reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
    await t.api.get('/platform-api/v1/releases/audit-quota').set(bearer(reviewer)).expect(403);
  });

  it('a second release can be rolled back to the first; an audit rejection stops with the reason; releases stay within their shop', async () => {
    const { token, appid } = await authorizedShop();
    const first = (
      await t.api
        .post(m('/miniapp/releases'))
        .set(bearer(token))
        .send({ templateVersionId: version.id, autoRelease: true })
        .expect(201)
    ).body;
    await reaches(token, first.id, 'submitted');
    t.wechat.decideAudit(appid, { status: 0 });
    await pushAudit(appid, 'success');
    // autoRelease: the queue releases as soon as the audit passes.
    await reaches(token, first.id, 'released');
    // Staff see which shops run the version, and through which release.
    const admin = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
    const liveRelease = async () => {
      const shops = (
        await t.api.get(`/platform-api/v1/templates/${version.id}/shops?pageSize=100`).set(bearer(admin)).expect(200)
      ).body.items as Array<{ appid: string; releaseId: number; status: string }>;
      return shops.find((s) => s.appid === appid);
    };
    expect(await liveRelease()).toMatchObject({ releaseId: first.id, status: 'released' });

    const second = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    await reaches(token, second.id, 'submitted');
    t.wechat.decideAudit(appid, { status: 0 });
    await pushAudit(appid, 'success');
    await reaches(token, second.id, 'audit_passed');
    await t.api
      .post(m(`/miniapp/releases/${second.id}/publish`))
      .set(bearer(token))
      .send({})
      .expect(200);
    expect((await liveRelease())?.releaseId).toBe(second.id);
    // Only the latest release can be rolled back.
    await t.api
      .post(m(`/miniapp/releases/${first.id}/rollback`))
      .set(bearer(token))
      .expect(409);
    const rolledBack = (
      await t.api
        .post(m(`/miniapp/releases/${second.id}/rollback`))
        .set(bearer(token))
        .expect(200)
    ).body;
    expect(rolledBack.status).toBe('rolled_back');
    expect(rolledBack.events.at(-1)).toMatchObject({ status: 'rolled_back', code: 'ROLLED_BACK', params: {} });
    expect(t.wechat.miniPrograms.get(appid)!.release).toMatchObject({ version: version.version });
    expect(t.wechat.miniPrograms.get(appid)!.release!.desc.endsWith(`#r${first.id}`)).toBe(true);
    // After the rollback the first release is live again.
    expect((await liveRelease())?.releaseId).toBe(first.id);
    const listed = (
      await t.api.get('/platform-api/v1/templates?pageSize=100').set(bearer(admin)).expect(200)
    ).body.items.find((v: { id: number }) => v.id === version.id);
    expect(listed.live).toBeGreaterThanOrEqual(1);

    const third = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    await reaches(token, third.id, 'submitted');
    t.wechat.decideAudit(appid, { status: 1, reason: '小程序首页存在测试内容', screenshot: 'media1|media2' });
    await pushAudit(appid, 'fail', { reason: '小程序首页存在测试内容', screenshot: 'media1|media2' });
    const rejected = await release(token, third.id);
    expect(rejected).toMatchObject({
      status: 'audit_failed',
      inFlight: false,
      auditReason: '小程序首页存在测试内容',
      auditScreenshots: ['media1', 'media2'],
    });
    // WeChat's words are a param, shown as they came.
    expect(rejected.events.at(-1)).toMatchObject({
      status: 'audit_failed',
      code: 'AUDIT_REJECTED_PUSHED',
      params: { reason: '小程序首页存在测试内容' },
    });

    // Another shop can neither see nor act on these releases.
    const other = await createShop(t);
    const otherToken = (await merchantLogin(t, other.owner)).accessToken;
    await t.api
      .get(m(`/miniapp/releases/${third.id}`))
      .set(bearer(otherToken))
      .expect(404);
    await t.api
      .post(m(`/miniapp/releases/${second.id}/rollback`))
      .set(bearer(otherToken))
      .expect(404);
    await t.api
      .post(m(`/miniapp/releases/${third.id}/cancel`))
      .set(bearer(otherToken))
      .expect(404);
    expect((await t.api.get(m('/miniapp/releases')).set(bearer(otherToken)).expect(200)).body.total).toBe(0);
    const mine = (await t.api.get(m('/miniapp/releases')).set(bearer(token)).expect(200)).body;
    expect(mine.items.map((r: { id: number }) => r.id)).toEqual([third.id, second.id, first.id]);
  });

  it('refuses a shop that is not active or not authorized for code management, and forged or undecryptable pushes', async () => {
    const pending = await createShop(t, { status: 'pending_review' });
    const pendingToken = (await merchantLogin(t, pending.owner)).accessToken;
    const notActive = await t.api.post(m('/miniapp/releases')).set(bearer(pendingToken)).send({}).expect(403);
    expect(notActive.body.error).toMatchObject({ code: 'TENANT_NOT_ACTIVE', reason: 'SHOP_NOT_ACTIVE_FOR_RELEASE' });

    const unauthorized = await createShop(t);
    const unauthorizedToken = (await merchantLogin(t, unauthorized.owner)).accessToken;
    expect(
      (await t.api.post(m('/miniapp/releases')).set(bearer(unauthorizedToken)).send({}).expect(409)).body.error.reason,
    ).toBe('CONTACT_PHONE_REQUIRED');
    await t.platform.knex('tenants').where({ id: unauthorized.id }).update({ contact_phone: '13800138000' });
    expect(
      (await t.api.post(m('/miniapp/releases')).set(bearer(unauthorizedToken)).send({}).expect(409)).body.error.reason,
    ).toBe('MINIAPP_NOT_AUTHORIZED');
    const { token: noCodeToken } = await authorizedShop({ funcInfo: [17] });
    expect(
      (await t.api.post(m('/miniapp/releases')).set(bearer(noCodeToken)).send({}).expect(409)).body.error,
    ).toMatchObject({ reason: 'MINIAPP_PERMISSION_MISSING', params: { sets: '18' } });
    await t.api.post(m('/miniapp/releases')).set(bearer(noCodeToken)).send({ templateVersionId: 'x' }).expect(400);
    await t.api
      .post(m('/miniapp/releases'))
      .set(bearer(noCodeToken))
      .send({ templateVersionId: 99_999_999 })
      .expect(409);
    // Staff of the shop may look but not release.
    const shop = await createShop(t);
    const staffToken = (await merchantLogin(t, shop.staff)).accessToken;
    await t.api.post(m('/miniapp/releases')).set(bearer(staffToken)).send({}).expect(403);

    const { token, appid } = await authorizedShop();
    const r = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    await reaches(token, r.id, 'submitted');
    const forged = t.wechat.auditEventPush(pushSecrets(t), appid, 'success', {}, t.clock.now());
    forged.query.msg_signature = '0'.repeat(40);
    expect(
      (
        await t.api
          .post(`/webhooks/wechat/events/${appid}`)
          .query(forged.query)
          .set('content-type', 'text/xml')
          .send(forged.body)
      ).status,
    ).toBe(400);
    const otherKey = t.wechat.auditEventPush(
      { ...pushSecrets(t), aesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj' },
      appid,
      'success',
      {},
      t.clock.now(),
    );
    expect(
      (
        await t.api
          .post(`/webhooks/wechat/events/${appid}`)
          .query(otherKey.query)
          .set('content-type', 'text/xml')
          .send(otherKey.body)
      ).status,
    ).toBe(400);
    expect((await release(token, r.id)).status).toBe('submitted');
    // The merchant withdraws it from audit.
    const cancelled = (
      await t.api
        .post(m(`/miniapp/releases/${r.id}/cancel`))
        .set(bearer(token))
        .expect(200)
    ).body;
    expect(cancelled).toMatchObject({ status: 'cancelled', inFlight: false });
    expect(cancelled.events.at(-1)).toMatchObject({ code: 'CANCELLED_BY_MERCHANT', params: {} });
    expect(t.wechat.miniPrograms.get(appid)!.audit!.status).toBe(3);
  });
});

describe('faults along the way', () => {
  it('renews a token WeChat refuses mid-flow (40001), retries WeChat being busy, and polls for the audit when no push comes', async () => {
    const { token, appid } = await authorizedShop();
    t.wechat.failNext('/wxa/commit', 40001, 'access_token expired');
    t.wechat.failNext('/wxa/get_qrcode', -1, 'system error');
    const r = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    await reaches(token, r.id, 'submitted', 30_000);
    expect((await release(token, r.id)).trialQrcodeUrl).toBeTruthy();
    expect(t.wechat.miniPrograms.get(appid)!.exp).toBeTruthy();

    // No push: the poll job (delayed an hour here) is run now and finds the result.
    t.wechat.decideAudit(appid, { status: 0 });
    const poll = await t.platform.queues.get(QUEUES.submissions).getJob(`r${r.id}-poll-audit`);
    await poll!.promote();
    await reaches(token, r.id, 'audit_passed');
    expect((await release(token, r.id)).events.some((e: { message: string }) => e.message.includes('polled'))).toBe(
      true,
    );
    expect((await release(token, r.id)).events.at(-1)).toMatchObject({
      status: 'audit_passed',
      code: 'AUDIT_PASSED_POLLED',
    });
  });

  it('a gray release can be withdrawn', async () => {
    const { token, appid } = await authorizedShop();
    const r = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    await reaches(token, r.id, 'submitted');
    t.wechat.decideAudit(appid, { status: 0 });
    await pushAudit(appid, 'success');
    await t.api
      .post(m(`/miniapp/releases/${r.id}/publish`))
      .set(bearer(token))
      .send({ grayPercentage: 20 })
      .expect(200);
    await t.api
      .post(m(`/miniapp/releases/${r.id}/cancel`))
      .set(bearer(token))
      .expect(409);
    const withdrawn = (
      await t.api
        .post(m(`/miniapp/releases/${r.id}/rollback`))
        .set(bearer(token))
        .expect(200)
    ).body;
    expect(withdrawn).toMatchObject({ status: 'rolled_back', inFlight: false });
    expect(withdrawn.events.at(-1)).toMatchObject({ code: 'GRAY_WITHDRAWN', params: {} });
    expect(t.wechat.miniPrograms.get(appid)!.grayPercentage).toBeUndefined();
    // WeChat refusing a second withdrawal is a 409 with its reason, not a 500.
    await t.api
      .post(m(`/miniapp/releases/${r.id}/rollback`))
      .set(bearer(token))
      .expect(409);
  });

  it('a delayed audit (weapp_audit_delay) is shown as such and still ends with the pushed result', async () => {
    const { token, appid } = await authorizedShop();
    const r = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    await reaches(token, r.id, 'submitted');
    t.wechat.decideAudit(appid, { status: 4, reason: '审核排队中' });
    await pushAudit(appid, 'delay', { reason: '审核排队中' });
    const delayed = await release(token, r.id);
    expect(delayed).toMatchObject({ status: 'audit_delayed', inFlight: true });
    expect(delayed.events.at(-1)).toMatchObject({ code: 'AUDIT_DELAYED_PUSHED', params: { reason: '审核排队中' } });
    t.wechat.decideAudit(appid, { status: 0 });
    await pushAudit(appid, 'success');
    expect((await release(token, r.id)).status).toBe('audit_passed');
  });

  it('stops with the reason when WeChat refuses for good (quota spent, 85085), and a new release can start', async () => {
    const { token } = await authorizedShop();
    const rest = t.wechat.quota.rest;
    t.wechat.quota.rest = 0;
    const r = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    const failed = await reaches(token, r.id, 'failed');
    t.wechat.quota.rest = rest;
    expect(failed).toMatchObject({
      inFlight: false,
      error: { code: 'wechat:85085', message: expect.stringContaining('quota') },
    });
    // The console says it from the code, in the merchant's language.
    expect(storedErrorReason(failed.error.code)).toBe('WECHAT_AUDIT_QUOTA_EXHAUSTED');
    // …and by the reason it carries, as does the timeline's failed event.
    expect(failed.error).toMatchObject({ reason: 'WECHAT_AUDIT_QUOTA_EXHAUSTED', params: {} });
    expect(failed.events.at(-1)).toMatchObject({
      status: 'failed',
      code: 'WECHAT_AUDIT_QUOTA_EXHAUSTED',
      params: {},
      message: expect.stringContaining('quota'),
    });
    await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201);
  });

  it('a worker stopped in the middle of a commit is picked up by another, which neither repeats finished steps nor commits twice', async () => {
    const { token, appid } = await authorizedShop();
    // The worker that dies: the commit reaches WeChat, and the worker is gone before it hears back.
    await workers.close();
    const dying = startWorkers(t.platform, undefined, { lockDurationMs: 1500, stalledIntervalMs: 500 });
    t.wechat.hang('/wxa/commit', true);
    const r = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    await until(
      async () => t.wechat.miniPrograms.get(appid)?.exp,
      (exp) => exp !== undefined,
      'the commit to reach WeChat',
    );
    await dying.kill();
    t.wechat.hang('/wxa/commit', false);
    expect((await release(token, r.id)).status).toBe('privacy_set');

    workers = startWorkers(t.platform, undefined, { lockDurationMs: 1500, stalledIntervalMs: 500 });
    const done = await reaches(token, r.id, 'submitted', 30_000);
    expect(
      t.wechat.calls.filter((c) => c.path === '/wxa/commit' && JSON.stringify(c.body).includes(appid)),
    ).toHaveLength(1);
    expect(
      done.events.map((e: { status: string }) => e.status).filter((s: string) => s === 'domains_set'),
    ).toHaveLength(1);
    expect(done.events.some((e: { message: string }) => e.message.includes('after a restart'))).toBe(true);
    expect(done.events.filter((e: { code: string }) => e.code === 'CODE_COMMITTED_EARLIER')).toHaveLength(1);
  });

  it('a release whose step outlives two workers ends failed with the reason; a retry goes on from there and commits once', async () => {
    const { token, appid } = await authorizedShop();
    await workers.close();
    const domainCalls = () => t.wechat.calls.filter((c) => c.path === '/wxa/modify_domain').length;
    const before = domainCalls();
    // WeChat takes the domains and never answers; each worker that runs the step dies waiting.
    t.wechat.hang('/wxa/modify_domain', true);
    const r = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    for (const n of [1, 2]) {
      const dying = startWorkers(t.platform, undefined, { lockDurationMs: 1500, stalledIntervalMs: 500 });
      await until(
        async () => domainCalls(),
        (calls) => calls >= before + n,
        `worker ${n} to call WeChat`,
      );
      await dying.kill();
    }
    t.wechat.hang('/wxa/modify_domain', false);
    expect((await release(token, r.id)).status).toBe('pending');

    // The next worker finds the step stalled once too often: BullMQ fails it without running it; the release hears of it.
    workers = startWorkers(t.platform, undefined, { lockDurationMs: 1500, stalledIntervalMs: 500 });
    const failed = await reaches(token, r.id, 'failed', 30_000);
    expect(failed).toMatchObject({
      inFlight: false,
      error: { code: 'JOB_STALLED', reason: 'JOB_STALLED', params: {} },
    });
    expect(failed.events.at(-1)).toMatchObject({ status: 'failed', code: 'JOB_STALLED', params: {} });

    const retried = (
      await t.api
        .post(m(`/miniapp/releases/${r.id}/retry`))
        .set(bearer(token))
        .expect(200)
    ).body;
    expect(retried).toMatchObject({ status: 'pending', inFlight: true, error: null });
    expect(retried.events.at(-1)).toMatchObject({
      status: 'pending',
      code: 'RELEASE_RETRIED',
      params: {},
      message: 'Retried from pending',
    });
    await t.api
      .post(m(`/miniapp/releases/${r.id}/retry`))
      .set(bearer(token))
      .expect(409);
    const submitted = await reaches(token, r.id, 'submitted', 30_000);
    expect(
      t.wechat.calls.filter((c) => c.path === '/wxa/commit' && JSON.stringify(c.body).includes(appid)),
    ).toHaveLength(1);
    expect(submitted.events.map((e: { status: string }) => e.status)).toEqual(
      expect.arrayContaining(['failed', 'pending', 'domains_set', 'committed', 'submitted']),
    );
  });

  it('only a failed release can be retried, and only by its own shop', async () => {
    const { token } = await authorizedShop();
    const r = (
      await t.api.post(m('/miniapp/releases')).set(bearer(token)).send({ templateVersionId: version.id }).expect(201)
    ).body;
    await reaches(token, r.id, 'submitted');
    expect(
      (
        await t.api
          .post(m(`/miniapp/releases/${r.id}/retry`))
          .set(bearer(token))
          .expect(409)
      ).body.error.details,
    ).toEqual({ status: 'submitted' });
    const other = await authorizedShop();
    await t.api
      .post(m(`/miniapp/releases/${r.id}/retry`))
      .set(bearer(other.token))
      .expect(404);
  });
});
