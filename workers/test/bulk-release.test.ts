import { BULK_RELEASE_JOBS, QUEUES } from '@shopfleet/contracts';
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
import { FAST_STALLS, freePort, killHard, workerProcess } from './worker-process';

let t: TestPlatform;
let workers: RunningWorkers;
let version: { id: number; version: string };
let admin: string;
let s3Port: number;
beforeAll(async () => {
  s3Port = await freePort();
  t = await startTestPlatform({
    RELEASE_BULK_DISPATCH_SECONDS: '0.2',
    RELEASE_AUDIT_POLL_SECONDS: '3600',
    EMBEDDED_S3_PORT: String(s3Port),
  });
  workers = startWorkers(t.platform);
  await deliverTicket(t);
  version = await readyTemplateVersion(t);
  admin = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
}, 240_000);
afterAll(async () => {
  await workers?.close();
  await t.close();
});

const p = (path: string) => `/platform-api/v1${path}`;

interface Shop extends TestShop {
  appid: string | null;
}

async function shop(opts: { authorized?: boolean; status?: 'active' | 'pending_review' } = {}): Promise<Shop> {
  const s = await createShop(t, { status: opts.status ?? 'active' });
  await t.platform.knex('tenants').where({ id: s.id }).update({ contact_phone: '13800138000' });
  const appid =
    opts.authorized === false ? null : await authorizeMiniProgram(t, (await merchantLogin(t, s.owner)).accessToken);
  return { ...s, appid };
}

const bulk = async (id: number) =>
  (
    await t.api
      .get(p(`/releases/bulk/${id}`))
      .set(bearer(admin))
      .expect(200)
  ).body;
const targets = async (id: number) =>
  (
    await t.api
      .get(p(`/releases/bulk/${id}/targets?pageSize=100`))
      .set(bearer(admin))
      .expect(200)
  ).body.items as Array<{
    tenantId: number;
    phase: string;
    state: string;
    releaseStatus: string | null;
    note: string | null;
    noteCode: string | null;
    noteParams: Record<string, unknown>;
  }>;
const targetOf = async (id: number, s: Shop) => (await targets(id)).find((x) => x.tenantId === s.id)!;

/** WeChat's reviewers pass the shop's submission and push the event. */
async function passAudit(s: Shop): Promise<void> {
  t.wechat.decideAudit(s.appid!, { status: 0 });
  const push = t.wechat.auditEventPush(pushSecrets(t), s.appid!, 'success', {}, t.clock.now());
  await t.api
    .post(`/webhooks/wechat/events/${s.appid}`)
    .query(push.query)
    .set('content-type', 'text/xml')
    .send(push.body)
    .expect(200);
}

describe('bulk release by platform staff', () => {
  it('releases to the canary first, waits for staff, then to the rest within the concurrency; pauses and resumes; refuses shops that cannot release', async () => {
    const [a, b, c] = [await shop(), await shop(), await shop()];
    const unauthorized = await shop({ authorized: false });
    const pending = await shop({ authorized: false, status: 'pending_review' });

    const created = (
      await t.api
        .post(p('/releases/bulk'))
        .set(bearer(admin))
        .send({
          templateVersionId: version.id,
          canaryTenantIds: [a.id],
          tenantIds: [b.id, c.id, unauthorized.id, pending.id],
          concurrency: 1,
        })
        .expect(201)
    ).body;
    // Only active shops are targeted.
    expect(created).toMatchObject({
      status: 'canary',
      concurrency: 1,
      autoRelease: true,
      canary: { total: 1 },
      rest: { total: 3 },
    });

    await until(
      () => targetOf(created.id, a),
      (x) => x.releaseStatus === 'submitted',
      'the canary to be submitted',
    );
    expect((await targets(created.id)).filter((x) => x.phase === 'main').every((x) => x.state === 'waiting')).toBe(
      true,
    );
    await passAudit(a);
    const afterCanary = await until(
      () => bulk(created.id),
      (v) => v.status === 'waiting',
      'the canary to be through',
    );
    expect(afterCanary.canary).toMatchObject({ released: 1, inFlight: 0 });
    expect(t.wechat.miniPrograms.get(a.appid!)!.release).toMatchObject({ version: version.version });

    // Staff look at the canary, then continue: one shop at a time.
    await t.api
      .post(p(`/releases/bulk/${created.id}/continue`))
      .set(bearer(admin))
      .expect(200);
    await t.api
      .post(p(`/releases/bulk/${created.id}/continue`))
      .set(bearer(admin))
      .expect(409);
    await until(
      () => targetOf(created.id, b),
      (x) => x.releaseStatus === 'submitted',
      'the first shop of the rest to be submitted',
    );
    expect((await targetOf(created.id, c)).state).toBe('waiting');

    // Paused: what is in flight finishes, nothing new starts.
    expect(
      (
        await t.api
          .post(p(`/releases/bulk/${created.id}/pause`))
          .set(bearer(admin))
          .expect(200)
      ).body.status,
    ).toBe('paused');
    await passAudit(b);
    await until(
      () => targetOf(created.id, b),
      (x) => x.releaseStatus === 'released',
      'the paused batch to finish what it started',
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await targetOf(created.id, c)).state).toBe('waiting');

    await t.api
      .post(p(`/releases/bulk/${created.id}/resume`))
      .set(bearer(admin))
      .expect(200);
    await until(
      () => targetOf(created.id, c),
      (x) => x.releaseStatus === 'submitted',
      'the batch to go on after resuming',
    );
    await passAudit(c);
    const done = await until(
      () => bulk(created.id),
      (v) => v.status === 'done',
      'the batch to finish',
      30_000,
    );
    expect(done.rest).toMatchObject({ total: 3, released: 2, refused: 1, waiting: 0, inFlight: 0 });
    expect(done.finishedAt).toBeTruthy();
    expect((await targetOf(created.id, unauthorized)).note).toContain('Authorize');
    // The refusal is said by its reason, which the console says in the reader's language.
    expect(await targetOf(created.id, unauthorized)).toMatchObject({
      state: 'refused',
      noteCode: 'MINIAPP_NOT_AUTHORIZED',
      noteParams: {},
    });
    expect(await targetOf(created.id, a)).toMatchObject({
      state: 'started',
      note: null,
      noteCode: null,
      noteParams: {},
    });
    expect((await targets(created.id)).some((x) => x.tenantId === pending.id)).toBe(false);
  });

  it('stops for good (the shops not started are skipped), refuses more shops than the audit quota allows, and is for release managers only', async () => {
    const [a, b] = [await shop(), await shop()];
    const created = (
      await t.api
        .post(p('/releases/bulk'))
        .set(bearer(admin))
        .send({ templateVersionId: version.id, canaryTenantIds: [a.id], tenantIds: [b.id] })
        .expect(201)
    ).body;
    const stopped = (
      await t.api
        .post(p(`/releases/bulk/${created.id}/stop`))
        .set(bearer(admin))
        .expect(200)
    ).body;
    expect(stopped).toMatchObject({ status: 'stopped', rest: { skipped: 1, waiting: 0 } });
    await t.api
      .post(p(`/releases/bulk/${created.id}/resume`))
      .set(bearer(admin))
      .expect(409);
    expect(await targetOf(created.id, b)).toMatchObject({
      state: 'skipped',
      note: 'The bulk release was stopped',
      noteCode: 'BULK_RELEASE_STOPPED',
      noteParams: {},
    });

    // Two shops need two audits; the platform has one left this month.
    const rest = t.wechat.quota.rest;
    t.wechat.quota.rest = 1;
    const over = await t.api
      .post(p('/releases/bulk'))
      .set(bearer(admin))
      .send({ templateVersionId: version.id, canaryTenantIds: [a.id], tenantIds: [b.id] });
    t.wechat.quota.rest = rest;
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('needs 2 audits');

    await t.api
      .post(p('/releases/bulk'))
      .set(bearer(admin))
      .send({ templateVersionId: version.id, canaryTenantIds: [] })
      .expect(400);
    await t.api
      .post(p('/releases/bulk'))
      .set(bearer(admin))
      .send({ templateVersionId: version.id, canaryTenantIds: [a.id], concurrency: 0 })
      .expect(400);
    const reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
    await t.api.get(p('/releases/bulk')).set(bearer(reviewer)).expect(403);
    await t.api
      .post(p('/releases/bulk'))
      .set(bearer(reviewer))
      .send({ templateVersionId: version.id, canaryTenantIds: [a.id] })
      .expect(403);
    const merchant = (await merchantLogin(t, a.owner)).accessToken;
    await t.api.get(p('/releases/bulk')).set(bearer(merchant)).expect(401);
  });

  it('a bulk release whose dispatcher outlives two workers ends failed with the reason; a retry goes on with its phase', async () => {
    const a = await shop();
    await workers.close();
    const created = (
      await t.api
        .post(p('/releases/bulk'))
        .set(bearer(admin))
        .send({ templateVersionId: version.id, canaryTenantIds: [a.id], tenantIds: [a.id], concurrency: 1 })
        .expect(201)
    ).body;
    // The batch's row is held (a long transaction elsewhere): each worker process that takes the dispatcher waits on it, and dies.
    const hold = await t.platform.knex.transaction();
    await hold('bulk_releases').where({ id: created.id }).forUpdate().first();
    const queue = t.platform.queues.get(QUEUES.submissions);
    const dispatcher = async () =>
      (await queue.getJobs(['active', 'wait', 'delayed'])).find(
        (j) => j.name === BULK_RELEASE_JOBS.dispatch && j.data.bulkId === created.id,
      );
    try {
      for (const stalls of [0, 1]) {
        const child = workerProcess(t.config, s3Port);
        await until(
          async () => {
            const j = await dispatcher();
            return j ? { state: await j.getState(), stalls: j.stalledCounter } : null;
          },
          (j) => j?.state === 'active' && j.stalls === stalls,
          `worker ${stalls + 1} to take the dispatcher`,
          60_000,
        );
        await killHard(child);
      }
    } finally {
      await hold.rollback();
    }
    expect((await bulk(created.id)).status).toBe('canary');

    // The next worker finds the dispatcher stalled once too often: BullMQ fails it without running it; the batch hears of it.
    workers = startWorkers(t.platform, undefined, FAST_STALLS);
    const failed = await until(
      () => bulk(created.id),
      (b) => b.status !== 'canary',
      'the bulk release to end',
      30_000,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { code: 'JOB_STALLED', params: {} },
      canary: { waiting: 1 },
    });

    const retried = (
      await t.api
        .post(p(`/releases/bulk/${created.id}/retry`))
        .set(bearer(admin))
        .expect(200)
    ).body;
    expect(retried).toMatchObject({ status: 'canary', failure: null });
    await t.api
      .post(p(`/releases/bulk/${created.id}/retry`))
      .set(bearer(admin))
      .expect(409);
    await until(
      () => targetOf(created.id, a),
      (x) => x.releaseStatus === 'submitted',
      'the canary to be submitted after the retry',
      30_000,
    );
    await workers.close();
    workers = startWorkers(t.platform);
  }, 120_000);
});
