import { UpstreamError } from '../../kernel/errors';

/** An error WeChat returned in its body (`errcode` ≠ 0). Codes: https://developers.weixin.qq.com (全局返回码). */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    super(`WeChat ${api} failed: ${errcode} ${errmsg}`);
    this.name = 'WechatApiError';
  }

  /** -1 (system busy) and 45009/45011 (rate limits) may succeed on retry; the rest will not. */
  get retryable(): boolean {
    return this.errcode === -1 || this.errcode === 45009 || this.errcode === 45011;
  }
}

export interface Code2SessionResult {
  openid: string;
  sessionKey: string;
  unionid?: string;
}

interface WechatBody {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

/** The WeChat API client. Its base URL is configuration, so tests talk to a local fake speaking the same protocol. */
export class WechatClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Mini-program login with the app's own secret: `GET /sns/jscode2session`. */
  async code2session(appid: string, secret: string, code: string): Promise<Code2SessionResult> {
    const body = await this.get('/sns/jscode2session', { appid, secret, js_code: code, grant_type: 'authorization_code' });
    return toSession(body);
  }

  /** Login for a mini-program authorized to our third-party platform: `GET /sns/component/jscode2session`. */
  async componentCode2session(appid: string, code: string, componentAppid: string, componentAccessToken: string): Promise<Code2SessionResult> {
    const body = await this.get('/sns/component/jscode2session', {
      appid,
      js_code: code,
      grant_type: 'authorization_code',
      component_appid: componentAppid,
      component_access_token: componentAccessToken,
    });
    return toSession(body);
  }

  /** `POST /cgi-bin/component/api_component_token`: the platform-level token, from the latest verify ticket. */
  async componentAccessToken(componentAppid: string, componentSecret: string, ticket: string): Promise<{ token: string; expiresIn: number }> {
    const body = await this.post('/cgi-bin/component/api_component_token', {
      component_appid: componentAppid,
      component_appsecret: componentSecret,
      component_verify_ticket: ticket,
    });
    if (typeof body.component_access_token !== 'string') throw new WechatApiError(-2, 'no component_access_token in the answer', 'api_component_token');
    return { token: body.component_access_token, expiresIn: Number(body.expires_in ?? 7200) };
  }

  /** `POST /cgi-bin/component/api_create_preauthcode`: the code an authorization link carries. */
  async createPreAuthCode(componentAppid: string, componentAccessToken: string): Promise<{ code: string; expiresIn: number }> {
    const body = await this.post('/cgi-bin/component/api_create_preauthcode', { component_appid: componentAppid }, { component_access_token: componentAccessToken });
    if (typeof body.pre_auth_code !== 'string') throw new WechatApiError(-2, 'no pre_auth_code in the answer', 'api_create_preauthcode');
    return { code: body.pre_auth_code, expiresIn: Number(body.expires_in ?? 600) };
  }

  /** `POST /cgi-bin/component/api_query_auth`: what a merchant authorized, from the auth code WeChat sent back. */
  async queryAuth(componentAppid: string, componentAccessToken: string, authCode: string): Promise<{ appid: string; accessToken: string; expiresIn: number; refreshToken: string; funcInfo: number[] }> {
    const body = await this.post('/cgi-bin/component/api_query_auth', { component_appid: componentAppid, authorization_code: authCode }, { component_access_token: componentAccessToken });
    const info = body.authorization_info as Record<string, unknown> | undefined;
    if (!info || typeof info.authorizer_appid !== 'string' || typeof info.authorizer_refresh_token !== 'string') throw new WechatApiError(-2, 'no authorization_info in the answer', 'api_query_auth');
    const funcInfo = ((info.func_info as Array<{ funcscope_category?: { id?: number } }> | undefined) ?? []).map((f) => Number(f.funcscope_category?.id)).filter((n) => Number.isFinite(n));
    return { appid: info.authorizer_appid, accessToken: String(info.authorizer_access_token ?? ''), expiresIn: Number(info.expires_in ?? 7200), refreshToken: info.authorizer_refresh_token, funcInfo };
  }

  /** `POST /cgi-bin/component/api_authorizer_token`: an authorized mini-program's access token from its refresh token. */
  async authorizerAccessToken(componentAppid: string, componentAccessToken: string, authorizerAppid: string, refreshToken: string): Promise<{ token: string; expiresIn: number; refreshToken: string }> {
    const body = await this.post(
      '/cgi-bin/component/api_authorizer_token',
      { component_appid: componentAppid, authorizer_appid: authorizerAppid, authorizer_refresh_token: refreshToken },
      { component_access_token: componentAccessToken },
    );
    if (typeof body.authorizer_access_token !== 'string') throw new WechatApiError(-2, 'no authorizer_access_token in the answer', 'api_authorizer_token');
    return { token: body.authorizer_access_token, expiresIn: Number(body.expires_in ?? 7200), refreshToken: String(body.authorizer_refresh_token ?? refreshToken) };
  }

  /** `POST /wxa/sec/order/upload_shipping_info`: reports how a WeChat Pay order of a mini-program was shipped. */
  async uploadShippingInfo(accessToken: string, info: Record<string, unknown>): Promise<void> {
    await this.post('/wxa/sec/order/upload_shipping_info', info, { access_token: accessToken });
  }

  private async get(path: string, query: Record<string, string>): Promise<WechatBody> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(query).toString()}`;
    return this.call(path, url, { method: 'GET' });
  }

  private async post(path: string, json: unknown, query: Record<string, string> = {}): Promise<WechatBody> {
    const qs = new URLSearchParams(query).toString();
    const url = `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
    return this.call(path, url, { method: 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } });
  }

  private async call(api: string, url: string, init: RequestInit): Promise<WechatBody> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new UpstreamError('WeChat could not be reached', { api, cause: (err as Error).message });
    }
    if (!res.ok) throw new UpstreamError(`WeChat answered HTTP ${res.status}`, { api });
    let body: WechatBody;
    try {
      body = (await res.json()) as WechatBody;
    } catch {
      throw new UpstreamError('WeChat answered with something other than JSON', { api });
    }
    if (body.errcode && body.errcode !== 0) throw new WechatApiError(body.errcode, String(body.errmsg ?? ''), api);
    return body;
  }
}

function toSession(body: WechatBody): Code2SessionResult {
  if (typeof body.openid !== 'string' || typeof body.session_key !== 'string') {
    throw new WechatApiError(-2, 'no openid in the answer', 'jscode2session');
  }
  return {
    openid: body.openid,
    sessionKey: body.session_key,
    ...(typeof body.unionid === 'string' ? { unionid: body.unionid } : {}),
  };
}
