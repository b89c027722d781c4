import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, createShop, merchantLogin, platformLogin } from '../../helpers/fixtures';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(() => t.close());

describe('Bull Board', () => {
  it('is closed to anonymous callers and merchants', async () => {
    await t.api.get('/platform-api/v1/queues/').expect(401);
    const shop = await createShop(t);
    const merchant = await merchantLogin(t, shop.owner);
    await t.api.get('/platform-api/v1/queues/').set(bearer(merchant.accessToken)).expect(401);
    await t.api.post('/platform-api/v1/auth/queue-session').set(bearer(merchant.accessToken)).expect(401);
  });

  it('is closed to reviewers', async () => {
    const reviewer = await platformLogin(t, await createPlatformUser(t, 'reviewer'));
    const refused = await t.api.get('/platform-api/v1/queues/').set(bearer(reviewer.accessToken)).expect(403);
    expect(refused.body.error).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'PERMISSION_REQUIRED',
      params: { permission: 'platform:queue:manage' },
    });
    await t.api.post('/platform-api/v1/auth/queue-session').set(bearer(reviewer.accessToken)).expect(403);
  });

  it('opens for an admin through the short-lived cookie the console sets', async () => {
    const admin = await platformLogin(t, await createPlatformUser(t, 'admin'));
    const session = await t.api.post('/platform-api/v1/auth/queue-session').set(bearer(admin.accessToken)).expect(200);
    const cookie = session.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Path=\/platform-api\/v1\/queues/);
    const page = await t.api.get('/platform-api/v1/queues/').set('Cookie', cookie.split(';')[0]!).expect(200);
    expect(page.text.toLowerCase()).toContain('<!doctype html>');
    const api = await t.api.get('/platform-api/v1/queues/api/queues').set('Cookie', cookie.split(';')[0]!).expect(200);
    expect(JSON.stringify(api.body)).toContain('maintenance');
  });
});
