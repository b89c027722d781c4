import { QueueEvents } from 'bullmq';
import { QUALIFICATION_JOBS, QUEUES } from '@shopfleet/contracts';
import { queuePrefix } from '@shopfleet/platform';
import { startTestPlatform, testNames, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer, createPlatformUser, platformLogin } from '../../platform/test/helpers/fixtures';
import { addDocument, day, signUp, type SignedUpShop } from '../../platform/test/helpers/onboarding';
import { startWorkers, type RunningWorkers } from '../src/worker';

let t: TestPlatform;
let workers: RunningWorkers;
let events: QueueEvents;
let reviewer: string;
beforeAll(async () => {
  // The expiry job sweeps every shop of its database, and one run here is 50 years ahead: a database
  // (and buckets) of its own, so it never suspends the shops of the other tests of this jest worker.
  const names = testNames();
  t = await startTestPlatform({
    DATABASE_URL: `mysql://root@127.0.0.1:3306/${names.database}_expiry`,
    S3_BUCKET_PRIVATE: `${names.bucket}-expiry-private`,
    S3_BUCKET_PUBLIC: `${names.bucket}-expiry-public`,
    REDIS_PREFIX: `sft_${process.env.SF_TEST_RUN ?? 'local'}_q${Date.now()}`,
    QUALIFICATION_REMINDER_DAYS: '30',
    QUALIFICATION_GRACE_DAYS: '15',
  });
  workers = startWorkers(t.platform);
  events = new QueueEvents(QUEUES.qualifications, {
    connection: { host: '127.0.0.1', port: 6379 },
    prefix: queuePrefix(t.config.REDIS_PREFIX),
  });
  await events.waitUntilReady();
  reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
});
afterAll(async () => {
  await events.close();
  await workers.close();
  await t.close();
});

/** Runs the daily job through the real queue and worker, as if the day were `at`. */
async function runExpiryJob(at: Date): Promise<{ reminded: number; expired: number; suspended: number }> {
  const job = await t.platform.queues
    .get(QUEUES.qualifications)
    .add(QUALIFICATION_JOBS.checkExpiry, { now: at.toISOString() });
  return (await job.waitUntilFinished(events, 30_000)) as { reminded: number; expired: number; suspended: number };
}

const status = async (shop: SignedUpShop) =>
  (await t.api.get('/merchant-api/v1/onboarding').set(bearer(shop.token)).expect(200)).body.tenant;
const kinds = async (shop: SignedUpShop) =>
  (await t.api.get('/merchant-api/v1/notifications?pageSize=100').set(bearer(shop.token)).expect(200)).body.items.map(
    (n: { kind: string }) => n.kind,
  );

async function activeShopExpiringIn(days: number): Promise<{ shop: SignedUpShop; validTo: string }> {
  const shop = await signUp(t);
  const validTo = day(t, days);
  const doc = await addDocument(t, shop.token, 'business_license', { validTo });
  await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200);
  await t.api
    .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${doc.id}/approve`)
    .set(bearer(reviewer))
    .send({})
    .expect(200);
  expect((await status(shop)).status).toBe('active');
  return { shop, validTo };
}

const at = (validTo: string, offsetDays: number) =>
  new Date(Date.parse(`${validTo}T04:00:00Z`) + offsetDays * 86_400_000);

describe('the qualification expiry watch, under a controlled clock', () => {
  it('reminds 30 days before, tells the merchant to renew at expiry, suspends after the grace period — each once', async () => {
    const { shop, validTo } = await activeShopExpiringIn(60);

    await runExpiryJob(at(validTo, -40));
    expect(await kinds(shop)).not.toContain('qualification.expiring');

    const first = await runExpiryJob(at(validTo, -29));
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    expect(await kinds(shop)).toContain('qualification.expiring');
    await runExpiryJob(at(validTo, -28));
    expect((await kinds(shop)).filter((k: string) => k === 'qualification.expiring')).toHaveLength(1);

    await runExpiryJob(at(validTo, 1));
    expect(await kinds(shop)).toContain('qualification.expired');
    expect((await status(shop)).status).toBe('active');

    await runExpiryJob(at(validTo, 15));
    expect((await status(shop)).status).toBe('active');

    await runExpiryJob(at(validTo, 16));
    const suspended = await status(shop);
    expect(suspended.status).toBe('suspended');
    expect(suspended.suspensionReason).toContain('营业执照');
    await runExpiryJob(at(validTo, 17));
    const k = await kinds(shop);
    expect(k.filter((x: string) => x === 'tenant.suspended')).toHaveLength(1);
    expect(k.filter((x: string) => x === 'qualification.expired')).toHaveLength(1);
    expect(t.email.sent.filter((m) => m.to === shop.email && m.subject === '店铺已暂停')).toHaveLength(1);

    // Each says what happened by its text code and params, for the console to say in the reader's language.
    const listed = (await t.api.get('/merchant-api/v1/notifications?pageSize=100').set(bearer(shop.token)).expect(200))
      .body.items;
    const said = (kind: string) =>
      listed
        .filter((n: { kind: string }) => n.kind === kind)
        .map((n: { textCode: string; textParams: unknown }) => ({ textCode: n.textCode, textParams: n.textParams }));
    const document = { code: 'business_license', nameZh: '营业执照', nameEn: 'Business license' };
    expect(said('qualification.expiring')).toEqual([
      { textCode: 'DOCUMENT_EXPIRING', textParams: { document, validTo } },
    ]);
    expect(said('qualification.expired')).toEqual([
      { textCode: 'DOCUMENT_EXPIRED', textParams: { document, validTo, graceDays: 15 } },
    ]);
    expect(said('tenant.suspended')).toEqual([
      { textCode: 'SHOP_SUSPENDED_DOCUMENT_LAPSED', textParams: { document, graceDays: 15 } },
    ]);
  });

  it('a renewed document, once approved, reinstates a tenant suspended for expiry', async () => {
    const { shop, validTo } = await activeShopExpiringIn(20);
    t.clock.set(at(validTo, 20).toISOString());
    try {
      await runExpiryJob(at(validTo, 20));
      expect((await status(shop)).status).toBe('suspended');
      const renewal = await addDocument(t, shop.token, 'business_license', {
        validFrom: day(t, -1),
        validTo: day(t, 365 * 5),
      });
      expect(renewal.status).toBe('pending');
      await t.api
        .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${renewal.id}/approve`)
        .set(bearer(reviewer))
        .send({})
        .expect(200);
      const after = await status(shop);
      expect(after).toMatchObject({ status: 'active', suspensionReason: null });
      expect(await kinds(shop)).toContain('tenant.reinstated');
      const result = await runExpiryJob(at(validTo, 21));
      expect(result.suspended).toBe(0);
      expect((await status(shop)).status).toBe('active');
    } finally {
      t.clock.current = new Date();
    }
  });

  it('a long-term document never expires', async () => {
    const shop = await signUp(t);
    const doc = await addDocument(t, shop.token, 'business_license', { longTerm: true, validTo: undefined });
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${doc.id}/approve`)
      .set(bearer(reviewer))
      .send({})
      .expect(200);
    await runExpiryJob(new Date(Date.now() + 50 * 365 * 86_400_000));
    expect((await status(shop)).status).toBe('active');
    expect(await kinds(shop)).not.toContain('qualification.expiring');
  });
});
