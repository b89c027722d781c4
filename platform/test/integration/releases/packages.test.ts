import sharp from 'sharp';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, createShop, merchantLogin, platformLogin } from '../../helpers/fixtures';
import { systemContext } from '../../../src/kernel/context';
import { readZip } from '../../../src/modules/releases';

let t: TestPlatform;
let admin: string;
beforeAll(async () => {
  t = await startTestPlatform();
  admin = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
});
afterAll(() => t.close());

const p = (path: string) => `/platform-api/v1${path}`;

describe('build once, customize many', () => {
  it('builds a template version once, reuses it for the same sources, and makes each shop its own package', async () => {
    const major = 1 + Math.floor(Math.random() * 900);
    const created = (
      await t.api
        .post(p('/templates'))
        .set(bearer(admin))
        .send({ version: `${major}.0.0`, description: '首个版本' })
        .expect(201)
    ).body;
    expect(created.status === 'building' || created.status === 'ready').toBe(true);
    if (created.status === 'building') {
      const jobs = await t.platform.queues.get('template-builds').getJobs(['waiting', 'prioritized', 'delayed']);
      expect(jobs.some((j) => j.name === 'build-template' && j.data.versionId === created.id)).toBe(true);
      // What the worker runs: the real uni builds for mp-weixin, h5 and mp-alipay.
      expect(
        (await t.platform.services.templates.build(systemContext(t.platform.log, 'test'), created.id)).status,
      ).toBe('ready');
    }
    const again = (
      await t.api
        .post(p('/templates'))
        .set(bearer(admin))
        .send({ version: `${major}.0.1` })
        .expect(201)
    ).body;
    expect(again).toMatchObject({
      status: 'ready',
      contentHash: created.contentHash,
      outputs: ['mp-weixin', 'h5', 'mp-alipay'],
    });
    // Every output is stored under the content hash: mp-weixin for packages, h5 for the web shop, mp-alipay for Alipay.
    const h5 = await readZip(await t.platform.storage.getBuffer('private', `templates/${created.contentHash}/h5.zip`));
    expect(h5.has('index.html')).toBe(true);
    const alipay = await readZip(
      await t.platform.storage.getBuffer('private', `templates/${created.contentHash}/mp-alipay.zip`),
    );
    expect(JSON.parse(alipay.get('app.json')!.toString()).pages).toContain('pages/index/index');
    // Alipay's own formats: axml pages, acss styles, mini.project.json.
    expect(alipay.has('pages/index/index.axml')).toBe(true);
    expect(alipay.has('app.acss')).toBe(true);
    expect(alipay.has('mini.project.json')).toBe(true);
    expect(
      (
        await t.api
          .get(p(`/templates/${again.id}/log`))
          .set(bearer(admin))
          .expect(200)
      ).body.log,
    ).toContain('reused');
    await t.api
      .post(p('/templates'))
      .set(bearer(admin))
      .send({ version: `${major}.0.1` })
      .expect(409);
    await t.api.post(p('/templates')).set(bearer(admin)).send({ version: 'latest' }).expect(400);
    const reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
    await t.api
      .post(p('/templates'))
      .set(bearer(reviewer))
      .send({ version: `${major}.0.2` })
      .expect(403);

    // Two shops, each its own package of the newest version.
    const a = await createShop(t, { name: `青禾${uid()}` });
    const b = await createShop(t, { name: `木棉${uid()}` });
    const ctxA = { requestId: 't', tenantId: a.id, actor: { type: 'system' as const, job: 't' }, log: t.platform.log };
    await t.platform.services.authorizations.save(ctxA, {
      authorizerAppid: 'wxa1b2c3d4e5f60718',
      refreshToken: 'r',
      funcInfo: [18],
    });
    const merchantA = (await merchantLogin(t, a.owner)).accessToken;
    await t.api.patch('/merchant-api/v1/shop').set(bearer(merchantA)).send({ themeColor: '#1677ff' }).expect(200);
    const pkg = (await t.api.get('/merchant-api/v1/miniapp/package').set(bearer(merchantA)).expect(200)).body;
    expect(pkg).toMatchObject({ version: `${major}.0.1` });
    const files = await readZip(Buffer.from(await (await fetch(pkg.downloadUrl)).arrayBuffer()));
    const ext = JSON.parse(files.get('ext.json')!.toString());
    expect(ext).toMatchObject({
      extEnable: true,
      extAppid: 'wxa1b2c3d4e5f60718',
      ext: { shopKey: a.slug, apiBase: t.config.publicUrl, themeColor: '#1677ff', templateVersion: `${major}.0.1` },
    });
    expect(JSON.parse(files.get('project.config.json')!.toString())).toMatchObject({
      appid: 'wxa1b2c3d4e5f60718',
      projectname: a.slug,
    });
    const app = JSON.parse(files.get('app.json')!.toString());
    expect(app.window.navigationBarTitleText).toBe(ext.ext.shopName);
    expect(app.tabBar.selectedColor).toBe('#1677ff');
    expect(app.pages).toContain('pages/index/index');
    expect(files.get('theme.wxss')!.toString()).toContain('--sf-theme: #1677ff');
    expect(files.get('app.wxss')!.toString().startsWith('@import "./theme.wxss";')).toBe(true);
    expect(files.has('app.js')).toBe(true);

    // The same settings make no new package; changed settings make a new one.
    expect((await t.api.get('/merchant-api/v1/miniapp/package').set(bearer(merchantA)).expect(200)).body.id).toBe(
      pkg.id,
    );
    await t.api.patch('/merchant-api/v1/shop').set(bearer(merchantA)).send({ themeColor: '#00a870' }).expect(200);
    const repainted = (await t.api.get('/merchant-api/v1/miniapp/package').set(bearer(merchantA)).expect(200)).body;
    expect(repainted.id).not.toBe(pkg.id);

    // The appearance the merchant sets goes into the package: navigation bar, tab bar labels, ext.appearance.
    const appearance = (await t.api.get('/merchant-api/v1/shop/appearance').set(bearer(merchantA)).expect(200)).body;
    const { logoUrl: _logo, share, ...body } = appearance;
    await t.api
      .put('/merchant-api/v1/shop/appearance')
      .set(bearer(merchantA))
      .send({
        ...body,
        share: { title: share.title },
        navigationBar: { backgroundColor: '#1677ff', textStyle: 'white' },
        tabBar: { ...body.tabBar, labels: { ...body.tabBar.labels, cart: '购物袋' } },
      })
      .expect(200);
    const styled = (await t.api.get('/merchant-api/v1/miniapp/package').set(bearer(merchantA)).expect(200)).body;
    const styledFiles = await readZip(Buffer.from(await (await fetch(styled.downloadUrl)).arrayBuffer()));
    const styledApp = JSON.parse(styledFiles.get('app.json')!.toString());
    expect(styledApp.window).toMatchObject({
      navigationBarBackgroundColor: '#1677ff',
      navigationBarTextStyle: 'white',
    });
    expect(styledApp.tabBar.list.find((i: { pagePath: string }) => i.pagePath === 'pages/cart/index').text).toBe(
      '购物袋',
    );
    expect(styledApp.tabBar.labels).toBeUndefined();
    expect(JSON.parse(styledFiles.get('ext.json')!.toString()).ext.appearance).toMatchObject({
      navigationBar: { textStyle: 'white' },
      tabBar: { labels: { cart: '购物袋' } },
    });

    // The tab bar set in the shop designer: the tabs it shows, in order, with their texts, colours and icons (files of
    // the package: app.json takes no other); the shop finds each tab's index in ext.json's tabPages at run time.
    const icon = (
      await t.api
        .post('/merchant-api/v1/storefront/tab-icons')
        .set(bearer(merchantA))
        .attach(
          'file',
          await sharp({ create: { width: 81, height: 81, channels: 4, background: '#e4393c' } })
            .png()
            .toBuffer(),
          'home.png',
        )
        .expect(201)
    ).body as { id: number };
    await t.api
      .put('/merchant-api/v1/storefront/tab-bar')
      .set(bearer(merchantA))
      .send({
        color: '#666666',
        selectedColor: '#e4393c',
        backgroundColor: '#fafafa',
        items: [
          { page: 'home', text: '逛逛', iconId: icon.id },
          { page: 'cart', text: '购物袋' },
          { page: 'user', text: '我' },
        ],
      })
      .expect(200);
    const tabbed = (await t.api.get('/merchant-api/v1/miniapp/package').set(bearer(merchantA)).expect(200)).body;
    const tabbedFiles = await readZip(Buffer.from(await (await fetch(tabbed.downloadUrl)).arrayBuffer()));
    const tabbedApp = JSON.parse(tabbedFiles.get('app.json')!.toString());
    expect(tabbedApp.tabBar).toMatchObject({ color: '#666666', selectedColor: '#e4393c', backgroundColor: '#fafafa' });
    expect(tabbedApp.tabBar.list.map((i: { pagePath: string; text: string }) => [i.pagePath, i.text])).toEqual([
      ['pages/index/index', '逛逛'],
      ['pages/cart/index', '购物袋'],
      ['pages/user/index', '我'],
    ]);
    const home = tabbedApp.tabBar.list[0];
    expect(home.iconPath).toMatch(/^static\/tab-icons\/[0-9a-f]{32}\.png$/);
    expect(home.selectedIconPath).toBe(home.iconPath);
    expect(tabbedApp.tabBar.list[1].iconPath).toBeUndefined();
    expect((await sharp(tabbedFiles.get(home.iconPath)!).metadata()).format).toBe('png');
    const tabbedExt = JSON.parse(tabbedFiles.get('ext.json')!.toString());
    expect(tabbedExt.ext.tabPages).toEqual(['home', 'cart', 'user']);
    // What /wxa/commit sends (the template's code and this ext.json): the same tabs and colours, icons at run time.
    expect(tabbedExt.tabBar).toEqual({
      color: '#666666',
      selectedColor: '#e4393c',
      backgroundColor: '#fafafa',
      list: [
        { pagePath: 'pages/index/index', text: '逛逛' },
        { pagePath: 'pages/cart/index', text: '购物袋' },
        { pagePath: 'pages/user/index', text: '我' },
      ],
    });

    const merchantB = (await merchantLogin(t, b.owner)).accessToken;
    const pkgB = (await t.api.get('/merchant-api/v1/miniapp/package').set(bearer(merchantB)).expect(200)).body;
    const extB = JSON.parse(
      (await readZip(Buffer.from(await (await fetch(pkgB.downloadUrl)).arrayBuffer()))).get('ext.json')!.toString(),
    );
    expect(extB).toMatchObject({ extAppid: 'touristappid', ext: { shopKey: b.slug } });
    expect(pkgB.id).not.toBe(pkg.id);

    const listed = (await t.api.get(p('/templates')).set(bearer(admin)).expect(200)).body;
    expect(listed.items.find((v: { id: number }) => v.id === again.id).tenants).toBeGreaterThanOrEqual(2);
    // The real uni builds of three targets, then six packages: more than the default minute on a busy two-core machine.
  }, 180_000);
});
