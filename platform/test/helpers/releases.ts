import type { TestPlatform } from './test-platform';
import { uid } from './test-platform';
import { bearer } from './fixtures';

/** The platform's push secrets, as WeChat holds them. */
export const pushSecrets = (t: TestPlatform) => ({
  token: t.config.WECHAT_COMPONENT_TOKEN!,
  aesKey: t.config.WECHAT_COMPONENT_AES_KEY!,
  componentAppid: t.config.WECHAT_COMPONENT_APPID!,
});

/** WeChat has pushed a verify ticket (so the platform can get its component token). */
export async function deliverTicket(t: TestPlatform): Promise<void> {
  const ticket = `ticket@@@${uid()}`;
  t.wechat.registerComponent(t.config.WECHAT_COMPONENT_APPID!, t.config.WECHAT_COMPONENT_APPSECRET!, ticket);
  await t.platform.componentTokens.saveTicket(ticket);
}

/** The merchant authorizes its mini-program through the console link and WeChat's redirect back. */
export async function authorizeMiniProgram(
  t: TestPlatform,
  merchantToken: string,
  funcInfo: number[] = [17, 18, 19],
): Promise<string> {
  const link = (
    await t.api.post('/merchant-api/v1/wechat/authorization/link').set(bearer(merchantToken)).send({}).expect(200)
  ).body;
  const url = new URL(link.url);
  const redirect = new URL(url.searchParams.get('redirect_uri')!);
  const appid = `wx${uid()}${uid()}`.slice(0, 18);
  const code = t.wechat.authorize(url.searchParams.get('pre_auth_code')!, {
    appid,
    refreshToken: `refreshtoken@@@${uid()}`,
    funcInfo,
  });
  const back = await t.api
    .get(`${redirect.pathname}${redirect.search}&auth_code=${encodeURIComponent(code)}&expires_in=3600`)
    .expect(302);
  if (!String(back.headers.location).includes('result=authorized'))
    throw new Error(`authorization failed: ${back.headers.location}`);
  return appid;
}

/**
 * A built template version (the real uni build by the running worker, or the earlier build of the
 * same sources), in WeChat's draft box as the platform's developers would have uploaded it.
 */
export async function readyTemplateVersion(
  t: TestPlatform,
  buildTimeoutMs = 180_000,
): Promise<{ id: number; version: string }> {
  const { services } = t.platform;
  const version = `${1 + Math.floor(Math.random() * 900)}.${Math.floor(Math.random() * 900)}.${Math.floor(Math.random() * 900)}`;
  const ctx = { requestId: 't', tenantId: null, actor: { type: 'system' as const, job: 't' }, log: t.platform.log };
  const created = await services.templates.create(ctx, { version, description: `测试版本 ${version}` });
  if (created.status !== 'ready')
    await until(
      () => services.templates.get(ctx, created.id),
      (v) => v.status !== 'building',
      'the template build',
      buildTimeoutMs,
    );
  t.wechat.addTemplateDraft(version, `测试版本 ${version}`);
  return { id: created.id, version };
}

/** Polls `read` until `done` holds (the queue works in the background). */
export async function until<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${String(JSON.stringify(v)).slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
