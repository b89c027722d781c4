import { QUEUES } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer, createPlatformUser, platformLogin } from '../../platform/test/helpers/fixtures';
import { until } from '../../platform/test/helpers/releases';
import { startWorkers, type RunningWorkers } from '../src/worker';
import { FAST_STALLS, freePort, killHard, workerProcess } from './worker-process';

let t: TestPlatform;
let workers: RunningWorkers | undefined;
let token: string;
let s3Port: number;

beforeAll(async () => {
  s3Port = await freePort();
  t = await startTestPlatform({ EMBEDDED_S3_PORT: String(s3Port) });
  token = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
});
afterAll(async () => {
  await workers?.close();
  await t.close();
});

const p = (path: string) => `/platform-api/v1${path}`;
const version = async (id: number) =>
  (await t.api.get(p('/templates?pageSize=100')).set(bearer(token)).expect(200)).body.items.find(
    (v: { id: number }) => v.id === id,
  );

describe('a template build whose worker dies', () => {
  it('killed twice mid-build, ends failed with the reason, and a retry builds it', async () => {
    // A version whose build failed before: the retry queues a new build job (the first one has ended).
    const [id] = (await t.platform.knex('template_versions').insert({
      version: `9.${Math.floor(Math.random() * 900)}.${Math.floor(Math.random() * 900)}`,
      content_hash: await t.platform.services.templates.contentHash(),
      status: 'failed',
      failure_code: 'JOB_ERROR',
      failure_params: JSON.stringify({ error: 'uni build exited with 1' }),
    })) as [number];
    expect((await version(id)).failure).toEqual({ code: 'JOB_ERROR', params: { error: 'uni build exited with 1' } });
    expect(
      (
        await t.api
          .post(p(`/templates/${id}/retry`))
          .set(bearer(token))
          .expect(200)
      ).body,
    ).toMatchObject({ id, status: 'building', failure: null });
    const queue = t.platform.queues.get(QUEUES.templateBuilds);
    const job = async () => (await queue.getJob(`build-template-${id}-r2`))!;

    // Two worker processes die in the middle of `uni build`.
    for (const stalls of [0, 1]) {
      const child = workerProcess(t.config, s3Port);
      await until(
        async () => ({ state: await (await job()).getState(), stalls: (await job()).stalledCounter }),
        (j) => j.state === 'active' && j.stalls === stalls,
        `worker ${stalls + 1} to take the build`,
        60_000,
      );
      await killHard(child);
    }
    expect((await version(id)).status).toBe('building');

    // The next worker finds the job stalled once too often: BullMQ fails it without building; the version hears of it.
    workers = startWorkers(t.platform, undefined, FAST_STALLS);
    const failed = await until(
      () => version(id),
      (v) => v.status !== 'building',
      'the version to end',
      60_000,
    );
    expect(failed).toMatchObject({ status: 'failed', failure: { code: 'JOB_STALLED', params: {} }, outputs: [] });

    await t.api
      .post(p(`/templates/${id}/retry`))
      .set(bearer(token))
      .expect(200);
    await t.api
      .post(p(`/templates/${id}/retry`))
      .set(bearer(token))
      .expect(409);
    const ready = await until(
      () => version(id),
      (v) => v.status !== 'building',
      'the retried build',
      240_000,
    );
    expect(ready).toMatchObject({ status: 'ready', failure: null, outputs: ['mp-weixin', 'h5', 'mp-alipay'] });
  }, 400_000);

  it('another role cannot retry a build', async () => {
    const reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
    await t.api.post(p('/templates/1/retry')).set(bearer(reviewer)).expect(403);
  });
});
