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

  /** The access token was refused (expired, or replaced by a newer one): renew it and try again. */
  get tokenRefused(): boolean {
    return this.errcode === 40001 || this.errcode === 42001 || this.errcode === 40014;
  }
}

/** A service category of a mini-program, as /wxa/get_category lists it (third level optional). */
export interface WechatCategory {
  first_class: string;
  second_class: string;
  third_class?: string;
  first_id: number;
  second_id: number;
  third_id?: number;
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
    const body = await this.get('/sns/jscode2session', {
      appid,
      secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    return toSession(body);
  }

  /** Login for a mini-program authorized to our third-party platform: `GET /sns/component/jscode2session`. */
  async componentCode2session(
    appid: string,
    code: string,
    componentAppid: string,
    componentAccessToken: string,
  ): Promise<Code2SessionResult> {
    const body = await this.get('/sns/component/jscode2session', {
      appid,
      js_code: code,
      grant_type: 'authorization_code',
      component_appid: componentAppid,
      component_access_token: componentAccessToken,
    });
    return toSession(body);
  }

  /**
   * `POST /cgi-bin/stable_token`: the access token of a mini-program that keeps its own AppSecret (one not authorized
   * to our third-party platform). The stable token stays the same until it expires, whoever asks.
   */
  async stableAccessToken(appid: string, secret: string): Promise<{ token: string; expiresIn: number }> {
    const body = await this.post('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid,
      secret,
      force_refresh: false,
    });
    if (typeof body.access_token !== 'string')
      throw new WechatApiError(-2, 'no access_token in the answer', 'stable_token');
    return { token: body.access_token, expiresIn: Number(body.expires_in ?? 7200) };
  }

  /**
   * `POST /wxa/business/getuserphonenumber`: the phone behind the code of the mini-program's getPhoneNumber button
   * (`e.detail.code`, once, five minutes), with the mini-program's access token.
   */
  async userPhoneNumber(
    token: string,
    code: string,
  ): Promise<{ phoneNumber: string; purePhoneNumber: string; countryCode: string }> {
    const body = await this.post('/wxa/business/getuserphonenumber', { code }, { access_token: token });
    const info = body.phone_info as Record<string, unknown> | undefined;
    if (!info || typeof info.purePhoneNumber !== 'string')
      throw new WechatApiError(-2, 'no phone_info in the answer', 'getuserphonenumber');
    return {
      phoneNumber: String(info.phoneNumber ?? info.purePhoneNumber),
      purePhoneNumber: info.purePhoneNumber,
      countryCode: String(info.countryCode ?? ''),
    };
  }

  /** `POST /cgi-bin/component/api_component_token`: the platform-level token, from the latest verify ticket. */
  async componentAccessToken(
    componentAppid: string,
    componentSecret: string,
    ticket: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const body = await this.post('/cgi-bin/component/api_component_token', {
      component_appid: componentAppid,
      component_appsecret: componentSecret,
      component_verify_ticket: ticket,
    });
    if (typeof body.component_access_token !== 'string')
      throw new WechatApiError(-2, 'no component_access_token in the answer', 'api_component_token');
    return { token: body.component_access_token, expiresIn: Number(body.expires_in ?? 7200) };
  }

  /** `POST /cgi-bin/component/api_create_preauthcode`: the code an authorization link carries. */
  async createPreAuthCode(
    componentAppid: string,
    componentAccessToken: string,
  ): Promise<{ code: string; expiresIn: number }> {
    const body = await this.post(
      '/cgi-bin/component/api_create_preauthcode',
      { component_appid: componentAppid },
      { component_access_token: componentAccessToken },
    );
    if (typeof body.pre_auth_code !== 'string')
      throw new WechatApiError(-2, 'no pre_auth_code in the answer', 'api_create_preauthcode');
    return { code: body.pre_auth_code, expiresIn: Number(body.expires_in ?? 600) };
  }

  /** `POST /cgi-bin/component/api_query_auth`: what a merchant authorized, from the auth code WeChat sent back. */
  async queryAuth(
    componentAppid: string,
    componentAccessToken: string,
    authCode: string,
  ): Promise<{ appid: string; accessToken: string; expiresIn: number; refreshToken: string; funcInfo: number[] }> {
    const body = await this.post(
      '/cgi-bin/component/api_query_auth',
      { component_appid: componentAppid, authorization_code: authCode },
      { component_access_token: componentAccessToken },
    );
    const info = body.authorization_info as Record<string, unknown> | undefined;
    if (!info || typeof info.authorizer_appid !== 'string' || typeof info.authorizer_refresh_token !== 'string')
      throw new WechatApiError(-2, 'no authorization_info in the answer', 'api_query_auth');
    const funcInfo = ((info.func_info as Array<{ funcscope_category?: { id?: number } }> | undefined) ?? [])
      .map((f) => Number(f.funcscope_category?.id))
      .filter((n) => Number.isFinite(n));
    return {
      appid: info.authorizer_appid,
      accessToken: String(info.authorizer_access_token ?? ''),
      expiresIn: Number(info.expires_in ?? 7200),
      refreshToken: info.authorizer_refresh_token,
      funcInfo,
    };
  }

  /** `POST /cgi-bin/component/api_authorizer_token`: an authorized mini-program's access token from its refresh token. */
  async authorizerAccessToken(
    componentAppid: string,
    componentAccessToken: string,
    authorizerAppid: string,
    refreshToken: string,
  ): Promise<{ token: string; expiresIn: number; refreshToken: string }> {
    const body = await this.post(
      '/cgi-bin/component/api_authorizer_token',
      { component_appid: componentAppid, authorizer_appid: authorizerAppid, authorizer_refresh_token: refreshToken },
      { component_access_token: componentAccessToken },
    );
    if (typeof body.authorizer_access_token !== 'string')
      throw new WechatApiError(-2, 'no authorizer_access_token in the answer', 'api_authorizer_token');
    return {
      token: body.authorizer_access_token,
      expiresIn: Number(body.expires_in ?? 7200),
      refreshToken: String(body.authorizer_refresh_token ?? refreshToken),
    };
  }

  /** `POST /wxa/sec/order/upload_shipping_info`: reports how a WeChat Pay order of a mini-program was shipped. */
  async uploadShippingInfo(accessToken: string, info: Record<string, unknown>): Promise<void> {
    await this.post('/wxa/sec/order/upload_shipping_info', info, { access_token: accessToken });
  }

  // ---- customer-service messages of an authorized mini-program (authorizer_access_token) ----

  /**
   * `POST /cgi-bin/message/custom/send`: a customer-service message to a user who wrote to the mini-program's contact
   * button within the last 48 hours (errcode 45015 after that).
   */
  async sendCustomMessage(
    token: string,
    message:
      | { touser: string; msgtype: 'text'; text: { content: string } }
      | { touser: string; msgtype: 'image'; image: { media_id: string } },
  ): Promise<void> {
    await this.post('/cgi-bin/message/custom/send', message, { access_token: token });
  }

  /** `POST /cgi-bin/media/upload?type=image`: a temporary image (kept three days), for a customer-service message. */
  async uploadTempImage(token: string, bytes: Buffer, contentType: string): Promise<string> {
    const form = new FormData();
    form.append(
      'media',
      new Blob([new Uint8Array(bytes)], { type: contentType }),
      `image.${contentType.split('/')[1] ?? 'jpg'}`,
    );
    const url = `${this.baseUrl}/cgi-bin/media/upload?${new URLSearchParams({ access_token: token, type: 'image' })}`;
    const body = await this.call('/cgi-bin/media/upload', url, { method: 'POST', body: form });
    if (typeof body.media_id !== 'string') throw new WechatApiError(-2, 'no media_id in the answer', 'media/upload');
    return body.media_id;
  }

  /**
   * `POST /wxaapi/newtmpl/addtemplate`: adds a public library template (its keywords, in order) to the mini-program's
   * own subscribe-message templates; answers its private template id.
   */
  async addSubscribeTemplate(token: string, tid: string, kidList: number[], sceneDesc: string): Promise<string> {
    const body = await this.post('/wxaapi/newtmpl/addtemplate', { tid, kidList, sceneDesc }, { access_token: token });
    if (typeof body.priTmplId !== 'string') throw new WechatApiError(-2, 'no priTmplId in the answer', 'addtemplate');
    return body.priTmplId;
  }

  /** `POST /cgi-bin/message/subscribe/send`: a subscribe message the user accepted (one per acceptance). */
  async sendSubscribeMessage(
    token: string,
    message: { touser: string; template_id: string; page: string; data: Record<string, { value: string }> },
  ): Promise<void> {
    await this.post('/cgi-bin/message/subscribe/send', { ...message, lang: 'zh_CN' }, { access_token: token });
  }

  // ---- code management of an authorized mini-program (authorizer_access_token, permission set 18) ----

  /** `POST /wxa/modify_domain`: the server domains the mini-program may call (action `set` replaces them). */
  async modifyDomain(
    token: string,
    domains: { requestdomain: string[]; wsrequestdomain: string[]; uploaddomain: string[]; downloaddomain: string[] },
  ): Promise<void> {
    await this.post('/wxa/modify_domain', { action: 'set', ...domains }, { access_token: token });
  }

  /** `POST /cgi-bin/component/setprivacysetting`: the privacy guide shown to users (privacy_ver 2, the current one). */
  async setPrivacySetting(
    token: string,
    setting: {
      owner_setting: Record<string, unknown>;
      setting_list: Array<{ privacy_key: string; privacy_text: string }>;
    },
  ): Promise<void> {
    await this.post('/cgi-bin/component/setprivacysetting', { privacy_ver: 2, ...setting }, { access_token: token });
  }

  /** `POST /wxa/commit`: uploads the template's code with the shop's ext.json as the trial (体验) version. */
  async commit(
    token: string,
    body: { template_id: number; ext_json: string; user_version: string; user_desc: string },
  ): Promise<void> {
    await this.post('/wxa/commit', body, { access_token: token });
  }

  /** `POST /wxa/getversioninfo`: the trial and released versions WeChat holds (what a retried commit checks first). */
  async versionInfo(
    token: string,
  ): Promise<{ exp: { version: string; desc: string } | null; release: { version: string; desc: string } | null }> {
    const body = await this.post('/wxa/getversioninfo', {}, { access_token: token });
    const exp = body.exp_info as { exp_version?: string; exp_desc?: string } | undefined;
    const rel = body.release_info as { release_version?: string; release_desc?: string } | undefined;
    return {
      exp: exp?.exp_version ? { version: exp.exp_version, desc: String(exp.exp_desc ?? '') } : null,
      release: rel?.release_version ? { version: rel.release_version, desc: String(rel.release_desc ?? '') } : null,
    };
  }

  /** `GET /wxa/get_qrcode`: the trial version's QR code, an image (errors come back as JSON). */
  async trialQrcode(token: string, pagePath?: string): Promise<{ body: Buffer; contentType: string }> {
    const query: Record<string, string> = { access_token: token, ...(pagePath ? { path: pagePath } : {}) };
    const url = `${this.baseUrl}/wxa/get_qrcode?${new URLSearchParams(query).toString()}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new UpstreamError(
        { reason: 'WECHAT_UNREACHABLE', message: 'WeChat could not be reached' },
        { api: '/wxa/get_qrcode', cause: (err as Error).message },
      );
    }
    if (!res.ok)
      throw new UpstreamError(
        { reason: 'WECHAT_UNREACHABLE', message: `WeChat answered HTTP ${res.status}` },
        { api: '/wxa/get_qrcode' },
      );
    const contentType = res.headers.get('content-type') ?? '';
    const body = Buffer.from(await res.arrayBuffer());
    if (contentType.startsWith('image/')) return { body, contentType: contentType.split(';')[0]! };
    let parsed: WechatBody;
    try {
      parsed = JSON.parse(body.toString('utf8')) as WechatBody;
    } catch {
      throw new UpstreamError(
        { reason: 'WECHAT_UNREACHABLE', message: 'WeChat answered with neither an image nor JSON' },
        { api: '/wxa/get_qrcode' },
      );
    }
    throw new WechatApiError(Number(parsed.errcode ?? -2), String(parsed.errmsg ?? 'no image'), '/wxa/get_qrcode');
  }

  /**
   * `POST /wxa/getwxacodeunlimit` (wxacode.getUnlimited, permission set 17): a mini-program code opening `page` with
   * `scene` (≤ 32 visible characters), as image bytes at most `maxBytes` long; WeChat's refusals come back as JSON
   * (45009: its per-minute limit). `check_path` is off, so the page need not be in the released version yet.
   */
  async getUnlimitedWxacode(
    token: string,
    input: { scene: string; page: string; envVersion: 'release' | 'trial' | 'develop'; width?: number },
    maxBytes = 2 * 1024 * 1024,
  ): Promise<{ body: Buffer; contentType: string }> {
    const api = '/wxa/getwxacodeunlimit';
    const url = `${this.baseUrl}${api}?${new URLSearchParams({ access_token: token }).toString()}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          scene: input.scene,
          page: input.page,
          check_path: false,
          env_version: input.envVersion,
          width: input.width ?? 430,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new UpstreamError(
        { reason: 'WECHAT_UNREACHABLE', message: 'WeChat could not be reached' },
        { api, cause: (err as Error).message },
      );
    }
    if (!res.ok || !res.body)
      throw new UpstreamError({ reason: 'WECHAT_UNREACHABLE', message: `WeChat answered HTTP ${res.status}` }, { api });
    const body = await readCapped(res, maxBytes);
    if (!body) throw new UpstreamError({ reason: 'WECHAT_UNREACHABLE', message: 'WeChat answered too much' }, { api });
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.startsWith('image/')) return { body, contentType: contentType.split(';')[0]! };
    let parsed: WechatBody;
    try {
      parsed = JSON.parse(body.toString('utf8')) as WechatBody;
    } catch {
      throw new UpstreamError(
        { reason: 'WECHAT_UNREACHABLE', message: 'WeChat answered with neither an image nor JSON' },
        { api },
      );
    }
    throw new WechatApiError(Number(parsed.errcode ?? -2), String(parsed.errmsg ?? 'no image'), api);
  }

  /** `GET /wxa/get_category`: the service categories the mini-program is approved for (item_list's classes). */
  async categories(token: string): Promise<WechatCategory[]> {
    const body = await this.get('/wxa/get_category', { access_token: token });
    return ((body.category_list as WechatCategory[] | undefined) ?? []).map((c) => ({ ...c }));
  }

  /** `GET /wxa/get_page`: the page paths of the committed code. */
  async pages(token: string): Promise<string[]> {
    const body = await this.get('/wxa/get_page', { access_token: token });
    return ((body.page_list as unknown[] | undefined) ?? []).map(String);
  }

  /** `POST /wxa/submit_audit`: submits the trial version for review; returns the audit id. */
  async submitAudit(token: string, body: Record<string, unknown>): Promise<number> {
    const answer = await this.post('/wxa/submit_audit', body, { access_token: token });
    const auditid = Number(answer.auditid);
    if (!Number.isSafeInteger(auditid) || auditid <= 0)
      throw new WechatApiError(-2, 'no auditid in the answer', '/wxa/submit_audit');
    return auditid;
  }

  /** `POST /wxa/get_auditstatus`: 0 passed, 1 rejected, 2 in review, 3 withdrawn, 4 delayed. */
  async auditStatus(token: string, auditid: number): Promise<{ status: number; reason: string; screenshot: string }> {
    const body = await this.post('/wxa/get_auditstatus', { auditid }, { access_token: token });
    return {
      status: Number(body.status),
      reason: String(body.reason ?? ''),
      screenshot: String(body.screenshot ?? ''),
    };
  }

  /** `GET /wxa/get_latest_auditstatus`: the newest submission, with the version and desc it was submitted with. */
  async latestAudit(
    token: string,
  ): Promise<{ auditid: number; status: number; userVersion: string; userDesc: string }> {
    const body = await this.get('/wxa/get_latest_auditstatus', { access_token: token });
    return {
      auditid: Number(body.auditid),
      status: Number(body.status),
      userVersion: String(body.user_version ?? ''),
      userDesc: String(body.user_desc ?? ''),
    };
  }

  /** `GET /wxa/undocodeaudit`: withdraws the version under review. */
  async undoAudit(token: string): Promise<void> {
    await this.get('/wxa/undocodeaudit', { access_token: token });
  }

  /** `POST /wxa/release` with an empty JSON object (no body at all is refused with 44002). */
  async release(token: string): Promise<void> {
    await this.post('/wxa/release', {}, { access_token: token });
  }

  /** `POST /wxa/grayrelease`: releases the audited version to a percentage of users (raising it later is allowed). */
  async grayRelease(token: string, percentage: number): Promise<void> {
    await this.post('/wxa/grayrelease', { gray_percentage: percentage }, { access_token: token });
  }

  /** `GET /wxa/revertgrayrelease`: ends a gray release; the users it reached go back to the version before. */
  async revertGrayRelease(token: string): Promise<void> {
    await this.get('/wxa/revertgrayrelease', { access_token: token });
  }

  /** `GET /wxa/revertcoderelease`: back to the version released before the current one. */
  async revertRelease(token: string): Promise<void> {
    await this.get('/wxa/revertcoderelease', { access_token: token });
  }

  /** `GET /wxa/queryquota`: the third-party platform's audit quota this month (asked with any authorizer's token). */
  async auditQuota(token: string): Promise<{ rest: number; limit: number; speedupRest: number; speedupLimit: number }> {
    const body = await this.get('/wxa/queryquota', { access_token: token });
    return {
      rest: Number(body.rest ?? 0),
      limit: Number(body.limit ?? 0),
      speedupRest: Number(body.speedup_rest ?? 0),
      speedupLimit: Number(body.speedup_limit ?? 0),
    };
  }

  // ---- the third-party platform's template library (component_access_token) ----

  /** `GET /wxa/gettemplatelist`: the templates /wxa/commit can name. */
  async templateList(
    componentAccessToken: string,
  ): Promise<Array<{ templateId: number; userVersion: string; userDesc: string }>> {
    const body = await this.get('/wxa/gettemplatelist', { access_token: componentAccessToken });
    return ((body.template_list as Array<Record<string, unknown>> | undefined) ?? []).map((t) => ({
      templateId: Number(t.template_id),
      userVersion: String(t.user_version ?? ''),
      userDesc: String(t.user_desc ?? ''),
    }));
  }

  /** `GET /wxa/gettemplatedraftlist`: code uploaded to the platform's development mini-program, not yet a template. */
  async templateDrafts(
    componentAccessToken: string,
  ): Promise<Array<{ draftId: number; userVersion: string; userDesc: string }>> {
    const body = await this.get('/wxa/gettemplatedraftlist', { access_token: componentAccessToken });
    return ((body.draft_list as Array<Record<string, unknown>> | undefined) ?? []).map((d) => ({
      draftId: Number(d.draft_id),
      userVersion: String(d.user_version ?? ''),
      userDesc: String(d.user_desc ?? ''),
    }));
  }

  /** `POST /wxa/addtotemplate`: turns a draft into a (normal, type 0) template. */
  async addToTemplate(componentAccessToken: string, draftId: number): Promise<void> {
    await this.post(
      '/wxa/addtotemplate',
      { draft_id: draftId, template_type: 0 },
      { access_token: componentAccessToken },
    );
  }

  private async get(path: string, query: Record<string, string>): Promise<WechatBody> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(query).toString()}`;
    return this.call(path, url, { method: 'GET' });
  }

  private async post(path: string, json: unknown, query: Record<string, string> = {}): Promise<WechatBody> {
    const qs = new URLSearchParams(query).toString();
    const url = `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
    return this.call(path, url, {
      method: 'POST',
      body: JSON.stringify(json),
      headers: { 'content-type': 'application/json' },
    });
  }

  private async call(api: string, url: string, init: RequestInit): Promise<WechatBody> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new UpstreamError(
        { reason: 'WECHAT_UNREACHABLE', message: 'WeChat could not be reached' },
        { api, cause: (err as Error).message },
      );
    }
    if (!res.ok)
      throw new UpstreamError({ reason: 'WECHAT_UNREACHABLE', message: `WeChat answered HTTP ${res.status}` }, { api });
    let body: WechatBody;
    try {
      body = (await res.json()) as WechatBody;
    } catch {
      throw new UpstreamError(
        { reason: 'WECHAT_UNREACHABLE', message: 'WeChat answered with something other than JSON' },
        { api },
      );
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

/** A response's body read as it streams, or null past `maxBytes` (never buffered whole first). */
async function readCapped(res: Response, maxBytes: number): Promise<Buffer | null> {
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  } catch (err) {
    throw new UpstreamError(
      { reason: 'WECHAT_UNREACHABLE', message: 'WeChat stopped answering' },
      { api: '/wxa/getwxacodeunlimit', cause: (err as Error).message },
    );
  }
  return Buffer.concat(chunks);
}
