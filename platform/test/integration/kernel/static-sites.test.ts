import { DEMO, seedDemo } from '@shopfleet/platform';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
  await seedDemo(t.platform);
});
afterAll(() => t.close());

describe('the console and the shops’ h5, served by the platform', () => {
  it('/ goes to the console, whose client-side routes all get its index page', async () => {
    await t.api.get('/').expect(302).expect('Location', '/console/');
    const index = await t.api.get('/console/').expect(200);
    expect(index.text).toContain('<div id="app">');
    const deep = await t.api.get('/console/platform/tenants').expect(200);
    expect(deep.text).toBe(index.text);
  });

  it('serves the shared h5 build per shop, with relative assets', async () => {
    await t.api.get(`/s/${DEMO.tenant.slug}`).expect(301).expect('Location', `/s/${DEMO.tenant.slug}/`);
    const page = await t.api.get(`/s/${DEMO.tenant.slug}/`).expect(200);
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(asset).toBeDefined();
    await t.api
      .get(`/s/${DEMO.tenant.slug}/${asset}`)
      .expect(200)
      .expect('Content-Type', /javascript/);
  });

  it('an unknown or malformed shop is a 404', async () => {
    await t.api.get('/s/no-such-shop/').expect(404);
    await t.api.get('/s/NOPE!/').expect(404);
  });

  it('seeding is idempotent', async () => {
    await seedDemo(t.platform);
    const list = await t.platform.services.tenants.list(
      { requestId: 't', tenantId: null, actor: { type: 'system', job: 't' }, log: t.platform.log },
      { q: DEMO.tenant.slug, page: 1, pageSize: 10 },
    );
    expect(list.items.filter((x) => x.slug === DEMO.tenant.slug)).toHaveLength(1);
  });
});
