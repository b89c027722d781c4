import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../helpers/fixtures';

let t: TestPlatform;
let shop: TestShop;
let merchant: string;
const secrets = () => ({
  token: t.config.WECHAT_COMPONENT_TOKEN!,
  aesKey: t.config.WECHAT_COMPONENT_AES_KEY!,
  componentAppid: t.config.WECHAT_COMPONENT_APPID!,
});
beforeAll(async () => {
  t = await startTestPlatform();
  shop = await createShop(t);
  merchant = (await merchantLogin(t, shop.owner)).accessToken;
});
afterAll(() => t.close());

async function push(
  fields: Record<string, string>,
  tamper?: (p: { query: Record<string, string>; body: string }) => void,
) {
  const p = t.wechat.componentPush(
    secrets(),
    { AppId: secrets().componentAppid, CreateTime: String(Math.floor(t.clock.now().getTime() / 1000)), ...fields },
    t.clock.now(),
  );
  tamper?.(p);
  return t.api.post('/webhooks/wechat/component').query(p.query).set('content-type', 'text/xml').send(p.body);
}

async function deliverTicket(): Promise<string> {
  const ticket = `ticket@@@${uid()}`;
  t.wechat.registerComponent(t.config.WECHAT_COMPONENT_APPID!, t.config.WECHAT_COMPONENT_APPSECRET!, ticket);
  const res = await push({ InfoType: 'component_verify_ticket', ComponentVerifyTicket: ticket });
  expect(res.status).toBe(200);
  expect(res.text).toBe('success');
  return ticket;
}

describe('WeChat third-party platform authorization', () => {
  it('keeps the verify ticket WeChat pushes, and refuses forged, altered or stale pushes', async () => {
    const ticket = await deliverTicket();
    expect(await t.platform.redis.get(t.platform.componentTokens.ticketKey())).toBe(ticket);
    const forged = await push(
      { InfoType: 'component_verify_ticket', ComponentVerifyTicket: 'forged' },
      (p) => (p.query.msg_signature = '0'.repeat(40)),
    );
    expect(forged.status).toBe(400);
    const altered = await push(
      { InfoType: 'component_verify_ticket', ComponentVerifyTicket: 'altered' },
      (p) =>
        (p.body = p.body.replace(
          /<Encrypt><!\[CDATA\[(.)/,
          (_m, c: string) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`,
        )),
    );
    expect(altered.status).toBe(400);
    const stale = t.wechat.componentPush(
      secrets(),
      { InfoType: 'component_verify_ticket', ComponentVerifyTicket: 'stale' },
      new Date(t.clock.now().getTime() - 3600_000),
    );
    expect(
      (
        await t.api
          .post('/webhooks/wechat/component')
          .query(stale.query)
          .set('content-type', 'text/xml')
          .send(stale.body)
      ).status,
    ).toBe(400);
    const otherKey = t.wechat.componentPush(
      { ...secrets(), aesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj' },
      { InfoType: 'component_verify_ticket', ComponentVerifyTicket: 'k' },
      t.clock.now(),
    );
    expect(
      (
        await t.api
          .post('/webhooks/wechat/component')
          .query(otherKey.query)
          .set('content-type', 'text/xml')
          .send(otherKey.body)
      ).status,
    ).toBe(400);
    expect(await t.platform.redis.get(t.platform.componentTokens.ticketKey())).toBe(ticket);
  });

  it('the merchant authorizes from the console link; WeChat sends the browser back; a revocation push removes it', async () => {
    await deliverTicket();
    const before = (await t.api.get('/merchant-api/v1/wechat/authorization').set(bearer(merchant)).expect(200)).body;
    expect(before).toMatchObject({ authorized: false, appid: null, available: true });

    const link = (
      await t.api.post('/merchant-api/v1/wechat/authorization/link').set(bearer(merchant)).send({}).expect(200)
    ).body;
    const url = new URL(link.url);
    expect(url.origin + url.pathname).toBe('https://mp.weixin.qq.com/cgi-bin/componentloginpage');
    expect(url.searchParams.get('component_appid')).toBe(t.config.WECHAT_COMPONENT_APPID);
    expect(url.searchParams.get('auth_type')).toBe('2');
    const redirect = new URL(url.searchParams.get('redirect_uri')!);
    const appid = `wx${uid()}${uid()}`;
    const authCode = t.wechat.authorize(url.searchParams.get('pre_auth_code')!, {
      appid,
      refreshToken: 'refreshtoken@@@1',
      funcInfo: [17, 18, 19],
    });

    // A forged state cannot bind the mini-program to another shop.
    const forged = await t.api
      .get(
        `${redirect.pathname}?state=${encodeURIComponent(`${shop.id + 1}.9999999999.${'A'.repeat(43)}`)}&auth_code=${encodeURIComponent(authCode)}`,
      )
      .expect(302);
    expect(forged.headers.location).toContain('result=failed');

    const back = await t.api
      .get(`${redirect.pathname}${redirect.search}&auth_code=${encodeURIComponent(authCode)}&expires_in=3600`)
      .expect(302);
    expect(back.headers.location).toBe('/console/miniapp/authorization?result=authorized');
    const after = (await t.api.get('/merchant-api/v1/wechat/authorization').set(bearer(merchant)).expect(200)).body;
    expect(after).toMatchObject({ authorized: true, appid, funcInfo: [17, 18, 19] });
    expect((await t.platform.services.tenants.findById(shop.id))!.mpAppid).toBe(appid);
    const ctx = {
      requestId: 't',
      tenantId: shop.id,
      actor: { type: 'system' as const, job: 't' },
      log: t.platform.log,
    };
    expect((await t.platform.services.authorizations.accessToken(ctx)).appid).toBe(appid);

    // The same mini-program cannot be bound to a second shop.
    const second = await createShop(t);
    const secondMerchant = (await merchantLogin(t, second.owner)).accessToken;
    const link2 = new URL(
      (
        await t.api
          .post('/merchant-api/v1/wechat/authorization/link')
          .set(bearer(secondMerchant))
          .send({ device: 'mobile' })
          .expect(200)
      ).body.url,
    );
    expect(link2.hash).toBe('#wechat_redirect');
    const code2 = t.wechat.authorize(link2.searchParams.get('pre_auth_code')!, {
      appid,
      refreshToken: 'refreshtoken@@@2',
      funcInfo: [18],
    });
    const redirect2 = new URL(link2.searchParams.get('redirect_uri')!);
    const refused = await t.api
      .get(`${redirect2.pathname}${redirect2.search}&auth_code=${encodeURIComponent(code2)}`)
      .expect(302);
    expect(refused.headers.location).toContain('result=failed');
    expect(
      (await t.api.get('/merchant-api/v1/wechat/authorization').set(bearer(secondMerchant)).expect(200)).body
        .authorized,
    ).toBe(false);

    // The merchant revokes in WeChat: the push removes the authorization.
    expect((await push({ InfoType: 'unauthorized', AuthorizerAppid: appid })).text).toBe('success');
    expect(
      (await t.api.get('/merchant-api/v1/wechat/authorization').set(bearer(merchant)).expect(200)).body,
    ).toMatchObject({ authorized: false });
  });

  it('staff without shop:settings:update cannot create a link; a bad device is a 400', async () => {
    const staff = (await merchantLogin(t, shop.staff)).accessToken;
    await t.api.get('/merchant-api/v1/wechat/authorization').set(bearer(staff)).expect(200);
    await t.api.post('/merchant-api/v1/wechat/authorization/link').set(bearer(staff)).send({}).expect(403);
    await t.api
      .post('/merchant-api/v1/wechat/authorization/link')
      .set(bearer(merchant))
      .send({ device: 'tablet' })
      .expect(400);
  });
});
