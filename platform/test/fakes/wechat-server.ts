import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/** What the fake holds for one authorized mini-program's code management. */
interface MiniProgram {
  domains?: Record<string, unknown>;
  privacy?: Record<string, unknown>;
  /** The trial (体验) version from the last commit, and when WeChat's privacy scan of it finishes. */
  exp?: {
    templateId: number;
    extJson: Record<string, unknown>;
    userVersion: string;
    userDesc: string;
    scanDoneAt: number;
  };
  audit?: {
    auditid: number;
    status: number;
    reason: string;
    screenshot: string;
    userVersion: string;
    userDesc: string;
    submittedAt: number;
    body: Record<string, unknown>;
  };
  release?: { version: string; desc: string };
  previousRelease?: { version: string; desc: string };
  grayPercentage?: number;
}

type Answer = Record<string, unknown> | { image: Buffer; contentType: string };

interface PendingCode {
  appid: string;
  openid: string;
  unionid?: string;
  used: boolean;
}

/**
 * A local WeChat API server speaking the real protocol for the calls the platform makes: query
 * strings and JSON bodies as WeChat takes them, `errcode`/`errmsg` answers with WeChat's real codes.
 */
export class FakeWechatServer {
  private server?: http.Server;
  private readonly apps = new Map<string, string>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly componentTokens = new Set<string>();
  /** Authorized mini-programs: appid → current refresh token; and the access tokens issued for them. */
  private readonly authorizers = new Map<string, string>();
  private readonly authorizerTokens = new Map<string, string>();
  /** When each user (`appid:openid`) last wrote to a mini-program's contact button. */
  private readonly lastInbound = new Map<string, number>();
  /** Each mini-program's subscribe-message templates: private id → its keyword count. */
  private readonly subscribeTemplates = new Map<string, { appid: string; keywords: number }>();
  /** What users accepted (`appid:openid:templateId` → how many messages they may still get). */
  private readonly subscribeAccepted = new Map<string, number>();
  /** Subscribe messages sent. */
  readonly subscribeMessages: Array<{
    appid: string;
    touser: string;
    templateId: string;
    page: string;
    data: Record<string, { value: string }>;
  }> = [];
  /** Temporary media uploaded, by media_id. */
  private readonly media = new Map<string, string>();
  /** Customer-service messages sent, with the mini-program they were sent as. */
  readonly customMessages: Array<{
    appid: string;
    touser: string;
    msgtype: string;
    content?: string;
    mediaId?: string;
  }> = [];
  /** Pre-auth codes issued, and the auth codes a merchant's confirmation on WeChat's page produced. */
  private readonly preAuthCodes = new Set<string>();
  private readonly authCodes = new Map<
    string,
    { appid: string; refreshToken: string; funcInfo: number[]; used: boolean }
  >();
  /** Shipping reports taken by /wxa/sec/order/upload_shipping_info, by authorizer appid. */
  readonly shippingUploads: Array<{ appid: string; body: Record<string, unknown> }> = [];
  private component?: { appid: string; secret: string; ticket: string };
  /** Code management per authorizer appid: domains, privacy, trial version, audit, release. */
  readonly miniPrograms = new Map<string, MiniProgram>();
  /** The third-party platform's template library and draft box. */
  readonly templates: Array<{ template_id: number; user_version: string; user_desc: string; create_time: number }> = [];
  readonly drafts: Array<{ draft_id: number; user_version: string; user_desc: string; create_time: number }> = [];
  /** The service categories WeChat lists for every mini-program (/wxa/get_category). */
  categories: Array<Record<string, unknown>> = [
    { first_class: '商家自营', second_class: '服装/鞋/箱包', first_id: 304, second_id: 305 },
    { first_class: '商家自营', second_class: '食品', first_id: 304, second_id: 321 },
  ];
  /** The pages /wxa/get_page reports for committed code. */
  pages = [
    'pages/index/index',
    'pages/category/index',
    'pages/cart/index',
    'pages/user/index',
    'pages/product/detail',
    'pages/order/list',
  ];
  /** How long WeChat's privacy scan of a commit runs (submit_audit answers 61039 until then). */
  privacyScanMs = 0;
  /** The platform's audit quota this month. */
  quota = { rest: 20, limit: 20, speedup_rest: 3, speedup_limit: 3 };
  private nextAuditId = 4_200_000_000;
  private readonly failures = new Map<string, Array<{ errcode: number; errmsg: string }>>();
  private readonly latencies = new Map<string, number>();
  private readonly hanging = new Set<string>();
  /** Mini-program codes made by /wxa/getwxacodeunlimit, in order. */
  readonly wxacodes: Array<{ appid: string; scene: string; page: string; envVersion: string }> = [];
  /** Every call, for assertions on what was sent. */
  readonly calls: Array<{ method: string; path: string; query: Record<string, string>; body?: unknown }> = [];
  url = '';

  /** A mini-program that signs in with its own secret. */
  registerApp(appid: string, secret: string): void {
    this.apps.set(appid, secret);
  }

  /** Access tokens issued by /cgi-bin/stable_token to mini-programs with their own secret: token → appid. */
  private readonly appTokens = new Map<string, string>();
  /** Codes of the getPhoneNumber button: code → the mini-program, the phone, whether used. */
  private readonly phoneCodes = new Map<string, { appid: string; phone: string; countryCode: string; used: boolean }>();

  /**
   * What the mini-program's `<button open-type="getPhoneNumber">` would hand it after the user allowed it: a one-time
   * code (`e.detail.code`) for this app and phone.
   */
  issuePhoneCode(appid: string, phone: string, countryCode = '86'): string {
    const code = randomBytes(16).toString('hex');
    this.phoneCodes.set(code, { appid, phone, countryCode, used: false });
    return code;
  }

  /** Makes every access token of mini-programs with their own secret invalid (as after a secret reset). */
  expireAppTokens(): void {
    this.appTokens.clear();
  }

  /** The third-party platform and the verify ticket WeChat last pushed. */
  registerComponent(appid: string, secret: string, ticket: string): void {
    this.component = { appid, secret, ticket };
  }

  /** A mini-program that authorized our third-party platform, with the refresh token api_query_auth gave. */
  registerAuthorizer(appid: string, refreshToken: string): void {
    this.authorizers.set(appid, refreshToken);
  }

  /**
   * The merchant confirms on WeChat's authorization page for a pre-auth code: WeChat would redirect the
   * browser with the auth code this returns.
   */
  authorize(preAuthCode: string, grant: { appid: string; refreshToken: string; funcInfo: number[] }): string {
    if (!this.preAuthCodes.has(preAuthCode)) throw new Error(`unknown pre_auth_code ${preAuthCode}`);
    this.preAuthCodes.delete(preAuthCode);
    const code = `queryauthcode@@@${randomBytes(12).toString('hex')}`;
    this.authCodes.set(code, { ...grant, used: false });
    this.authorizers.set(grant.appid, grant.refreshToken);
    return code;
  }

  /**
   * A push to the third-party platform's authorization-event URL as WeChat sends it: the fields in XML,
   * encrypted (AES-256-CBC, PKCS#7 to 32 bytes, the component AppID appended) and signed (SHA-1 of the
   * sorted token, timestamp, nonce and ciphertext).
   */
  componentPush(
    secrets: { token: string; aesKey: string; componentAppid: string },
    fields: Record<string, string>,
    at = new Date(),
  ): { query: Record<string, string>; body: string } {
    const inner = `<xml>${Object.entries(fields)
      .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
      .join('')}</xml>`;
    const key = Buffer.from(`${secrets.aesKey}=`, 'base64');
    const text = Buffer.from(inner);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(text.length);
    const plain = Buffer.concat([randomBytes(16), len, text, Buffer.from(secrets.componentAppid)]);
    const pad = 32 - (plain.length % 32);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    cipher.setAutoPadding(false);
    const encrypted = Buffer.concat([
      cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
      cipher.final(),
    ]).toString('base64');
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE());
    const msgSignature = createHash('sha1')
      .update([secrets.token, timestamp, nonce, encrypted].sort().join(''))
      .digest('hex');
    return {
      query: { timestamp, nonce, msg_signature: msgSignature, encrypt_type: 'aes' },
      body: `<xml><AppId><![CDATA[${secrets.componentAppid}]]></AppId><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
    };
  }

  /** The next `times` calls to `path` answer this WeChat error. */
  failNext(path: string, errcode: number, errmsg = 'injected failure', times = 1): void {
    const queue = this.failures.get(path) ?? [];
    for (let i = 0; i < times; i++) queue.push({ errcode, errmsg });
    this.failures.set(path, queue);
  }

  /** Calls to `path` take this long to answer (0 to stop). */
  delay(path: string, ms: number): void {
    if (ms > 0) this.latencies.set(path, ms);
    else this.latencies.delete(path);
  }

  /**
   * Calls to `path` take effect but are never answered (WeChat did the work; the caller died
   * before hearing back). The connections are dropped when the fake closes.
   */
  hang(path: string, on: boolean): void {
    if (on) this.hanging.add(path);
    else this.hanging.delete(path);
  }

  /** Code uploaded to the platform's development mini-program, in the draft box. */
  addTemplateDraft(userVersion: string, userDesc = ''): number {
    const draftId = this.drafts.length + 1;
    this.drafts.push({
      draft_id: draftId,
      user_version: userVersion,
      user_desc: userDesc,
      create_time: Math.floor(Date.now() / 1000),
    });
    return draftId;
  }

  /** WeChat's reviewers decide: 0 passed, 1 rejected, 4 delayed. */
  decideAudit(appid: string, decision: { status: 0 | 1 | 4; reason?: string; screenshot?: string }): void {
    const audit = this.miniPrograms.get(appid)?.audit;
    if (!audit) throw new Error(`no audit for ${appid}`);
    Object.assign(audit, {
      status: decision.status,
      reason: decision.reason ?? '',
      screenshot: decision.screenshot ?? '',
    });
  }

  /**
   * The audit-result push to the platform's message-and-event URL (encrypted and signed like every
   * third-party push). It names the mini-program only by its original id, and carries no audit id.
   */
  auditEventPush(
    secrets: { token: string; aesKey: string; componentAppid: string },
    appid: string,
    kind: 'success' | 'fail' | 'delay',
    detail: { reason?: string; screenshot?: string } = {},
    at = new Date(),
  ): { query: Record<string, string>; body: string } {
    const time = String(Math.floor(at.getTime() / 1000));
    const fields: Record<string, string> = {
      ToUserName: `gh_${appid.slice(2, 14)}`,
      FromUserName: 'o_wechat_audit',
      CreateTime: time,
      MsgType: 'event',
      Event: `weapp_audit_${kind}`,
    };
    if (kind === 'success') fields.SuccTime = time;
    if (kind === 'fail')
      Object.assign(fields, { FailTime: time, Reason: detail.reason ?? '', ScreenShot: detail.screenshot ?? '' });
    if (kind === 'delay') Object.assign(fields, { DelayTime: time, Reason: detail.reason ?? '' });
    return this.componentPush(secrets, fields, at);
  }

  /**
   * A user writes to a mini-program's contact button (客服消息): the push to the platform's message-and-event URL,
   * encrypted and signed. The user may then be answered for 48 hours.
   */
  customerServicePush(
    secrets: { token: string; aesKey: string; componentAppid: string },
    appid: string,
    openid: string,
    message: { text: string } | { picUrl: string } | { title: string; pagePath: string },
    at = new Date(),
    /** When the user wrote (the push itself is signed at `at`). */
    sentAt = at,
  ): { query: Record<string, string>; body: string } {
    const msgId = String(BigInt(sentAt.getTime()) * 1000n + BigInt(randomBytes(2).readUInt16BE() % 1000));
    this.lastInbound.set(`${appid}:${openid}`, sentAt.getTime());
    const fields: Record<string, string> = {
      ToUserName: `gh_${appid.slice(2, 14)}`,
      FromUserName: openid,
      CreateTime: String(Math.floor(sentAt.getTime() / 1000)),
      MsgId: msgId,
    };
    if ('text' in message) Object.assign(fields, { MsgType: 'text', Content: message.text });
    else if ('picUrl' in message)
      Object.assign(fields, { MsgType: 'image', PicUrl: message.picUrl, MediaId: `media_${msgId}` });
    else
      Object.assign(fields, {
        MsgType: 'miniprogrampage',
        Title: message.title,
        PagePath: message.pagePath,
        AppId: appid,
        ThumbUrl: '',
        ThumbMediaId: '',
      });
    return this.componentPush(secrets, fields, at);
  }

  /** The user accepted a subscribe message in `wx.requestSubscribeMessage` (one message each time). */
  acceptSubscription(appid: string, openid: string, templateId: string): void {
    const key = `${appid}:${openid}:${templateId}`;
    this.subscribeAccepted.set(key, (this.subscribeAccepted.get(key) ?? 0) + 1);
  }

  /** Makes every authorizer access token issued so far invalid (as after a re-authorization). */
  expireAuthorizerTokens(): void {
    this.authorizerTokens.clear();
  }

  /** What wx.login() would hand the mini-program: a one-time code bound to this app and user. */
  issueCode(appid: string, user: { openid: string; unionid?: string }): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { appid, ...user, used: false });
    return code;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const query = Object.fromEntries(url.searchParams);
        let body: Record<string, unknown> | undefined;
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
        } catch {
          body = undefined;
        }
        this.calls.push({ method: req.method ?? 'GET', path: url.pathname, query, body });
        const answer = async (): Promise<Answer> => {
          const latency = this.latencies.get(url.pathname);
          if (latency) await new Promise((resolve) => setTimeout(resolve, latency));
          const injected = this.failures.get(url.pathname)?.shift();
          if (injected) return err(injected.errcode, injected.errmsg);
          return this.route(url.pathname, query, body, raw);
        };
        answer().then(
          (a) => {
            if (this.hanging.has(url.pathname)) return;
            if ('image' in a && Buffer.isBuffer(a.image)) {
              res.setHeader('content-type', String(a.contentType));
              res.end(a.image);
              return;
            }
            res.setHeader('content-type', 'application/json; encoding=utf-8');
            res.end(JSON.stringify(a));
          },
          (e: Error) => {
            res.statusCode = 500;
            res.end(e.message);
          },
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async route(
    path: string,
    q: Record<string, string>,
    body: Record<string, unknown> | undefined,
    raw: string,
  ): Promise<Answer> {
    if (path === '/wxa/business/getuserphonenumber') {
      const appid = this.authorizerTokens.get(q.access_token ?? '') ?? this.appTokens.get(q.access_token ?? '');
      if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
      const code = typeof body?.code === 'string' ? body.code : '';
      const pending = this.phoneCodes.get(code);
      if (!pending || pending.used || pending.appid !== appid) return err(40029, 'invalid code');
      pending.used = true;
      const { phone, countryCode } = pending;
      return {
        errcode: 0,
        errmsg: 'ok',
        phone_info: {
          phoneNumber: countryCode === '86' ? phone : `+${countryCode}${phone}`,
          purePhoneNumber: phone,
          countryCode,
          watermark: { timestamp: Math.floor(Date.now() / 1000), appid },
        },
      };
    }
    if (path.startsWith('/wxa/') && path !== '/wxa/sec/order/upload_shipping_info') {
      const library = await this.templateLibrary(path, q, body);
      if (library) return library;
      const appid = this.authorizerTokens.get(q.access_token ?? '');
      if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
      return this.codeManagement(path, appid, body, raw);
    }
    if (path === '/cgi-bin/component/setprivacysetting') {
      const appid = this.authorizerTokens.get(q.access_token ?? '');
      if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
      const owner = body?.owner_setting as Record<string, unknown> | undefined;
      const list = body?.setting_list as Array<{ privacy_key?: string; privacy_text?: string }> | undefined;
      if (
        body?.privacy_ver !== 2 ||
        !owner ||
        !owner.notice_method ||
        !(owner.contact_phone || owner.contact_email || owner.contact_weixin || owner.contact_qq)
      )
        return err(86074, 'owner_setting is invalid');
      if (!Array.isArray(list) || list.some((i) => !i.privacy_key || !i.privacy_text))
        return err(86075, 'setting_list is invalid');
      this.mp(appid).privacy = body;
      return { errcode: 0, errmsg: 'ok' };
    }
    switch (path) {
      case '/cgi-bin/stable_token': {
        if (body?.grant_type !== 'client_credential') return err(40002, 'invalid grant_type');
        const appid = typeof body.appid === 'string' ? body.appid : '';
        const secret = this.apps.get(appid);
        if (secret === undefined) return err(40013, 'invalid appid');
        if (secret !== body.secret) return err(40125, 'invalid appsecret');
        const current = [...this.appTokens].find(([, a]) => a === appid)?.[0];
        if (current && body.force_refresh !== true) return { access_token: current, expires_in: 7200 };
        if (current) this.appTokens.delete(current);
        const token = `app_${randomBytes(12).toString('hex')}`;
        this.appTokens.set(token, appid);
        return { access_token: token, expires_in: 7200 };
      }
      case '/sns/jscode2session': {
        if (q.grant_type !== 'authorization_code') return err(40002, 'invalid grant_type');
        const secret = this.apps.get(q.appid ?? '');
        if (secret === undefined) return err(40013, 'invalid appid');
        if (secret !== q.secret) return err(40125, 'invalid appsecret');
        return this.spend(q.appid!, q.js_code);
      }
      case '/sns/component/jscode2session': {
        if (!this.component || q.component_appid !== this.component.appid) return err(40013, 'invalid component appid');
        if (!this.componentTokens.has(q.component_access_token ?? ''))
          return err(40001, 'invalid credential, access_token is invalid or not latest');
        return this.spend(q.appid ?? '', q.js_code);
      }
      case '/cgi-bin/component/api_component_token': {
        if (!this.component || body?.component_appid !== this.component.appid) return err(40013, 'invalid appid');
        if (body.component_appsecret !== this.component.secret) return err(40125, 'invalid appsecret');
        if (body.component_verify_ticket !== this.component.ticket) return err(61006, 'component ticket is invalid');
        const token = `ct_${randomBytes(12).toString('hex')}`;
        this.componentTokens.add(token);
        return { component_access_token: token, expires_in: 7200 };
      }
      case '/cgi-bin/component/api_create_preauthcode': {
        if (!this.component || body?.component_appid !== this.component.appid) return err(40013, 'invalid appid');
        if (!this.componentTokens.has(q.component_access_token ?? ''))
          return err(40001, 'invalid credential, access_token is invalid or not latest');
        const code = `preauthcode@@@${randomBytes(12).toString('hex')}`;
        this.preAuthCodes.add(code);
        return { pre_auth_code: code, expires_in: 1800 };
      }
      case '/cgi-bin/component/api_query_auth': {
        if (!this.component || body?.component_appid !== this.component.appid) return err(40013, 'invalid appid');
        if (!this.componentTokens.has(q.component_access_token ?? ''))
          return err(40001, 'invalid credential, access_token is invalid or not latest');
        const grant = this.authCodes.get(String(body.authorization_code ?? ''));
        if (!grant || grant.used) return err(61010, 'code is expired');
        grant.used = true;
        const token = `at_${randomBytes(12).toString('hex')}`;
        this.authorizerTokens.set(token, grant.appid);
        return {
          authorization_info: {
            authorizer_appid: grant.appid,
            authorizer_access_token: token,
            expires_in: 7200,
            authorizer_refresh_token: grant.refreshToken,
            func_info: grant.funcInfo.map((id) => ({ funcscope_category: { id } })),
          },
        };
      }
      case '/cgi-bin/component/api_authorizer_token': {
        if (!this.component || body?.component_appid !== this.component.appid) return err(40013, 'invalid appid');
        if (!this.componentTokens.has(q.component_access_token ?? ''))
          return err(40001, 'invalid credential, access_token is invalid or not latest');
        const appid = String(body.authorizer_appid ?? '');
        const current = this.authorizers.get(appid);
        if (current === undefined) return err(61003, 'component is not authorized by this account');
        if (body.authorizer_refresh_token !== current) return err(61023, 'refresh_token is invalid');
        const token = `at_${randomBytes(12).toString('hex')}`;
        this.authorizerTokens.set(token, appid);
        return { authorizer_access_token: token, expires_in: 7200, authorizer_refresh_token: current };
      }
      case '/wxaapi/newtmpl/addtemplate': {
        const appid = this.authorizerTokens.get(q.access_token ?? '');
        if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
        const kidList = body?.kidList;
        if (typeof body?.tid !== 'string' || !Array.isArray(kidList) || kidList.length < 2 || kidList.length > 5)
          return err(200014, 'template tid or kidList invalid');
        if (typeof body.sceneDesc !== 'string' || body.sceneDesc.length > 15) return err(200020, 'sceneDesc invalid');
        const priTmplId = randomBytes(21).toString('base64url');
        this.subscribeTemplates.set(priTmplId, { appid, keywords: kidList.length });
        return { errcode: 0, errmsg: 'ok', priTmplId };
      }
      case '/cgi-bin/message/subscribe/send': {
        const appid = this.authorizerTokens.get(q.access_token ?? '');
        if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
        const templateId = typeof body?.template_id === 'string' ? body.template_id : '';
        const template = this.subscribeTemplates.get(templateId);
        if (!template || template.appid !== appid) return err(40037, 'invalid template_id');
        const touser = typeof body?.touser === 'string' ? body.touser : '';
        const key = `${appid}:${touser}:${templateId}`;
        if (!this.subscribeAccepted.get(key)) return err(43101, 'user refuse to accept the msg');
        const data = (body?.data ?? {}) as Record<string, { value?: unknown }>;
        const keys = Object.keys(data);
        if (keys.length !== template.keywords) return err(47003, 'argument invalid! data.keyword count mismatch');
        for (const [k, v] of Object.entries(data)) {
          const value = typeof v?.value === 'string' ? v.value : '';
          if (!value || (k.startsWith('thing') && [...value].length > 20))
            return err(47003, `argument invalid! data.${k}.value`);
          if (k.startsWith('time') && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(value))
            return err(47003, `argument invalid! data.${k}.value`);
        }
        this.subscribeAccepted.set(key, this.subscribeAccepted.get(key)! - 1);
        this.subscribeMessages.push({
          appid,
          touser,
          templateId,
          page: String(body?.page ?? ''),
          data: data as Record<string, { value: string }>,
        });
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/cgi-bin/media/upload': {
        const appid = this.authorizerTokens.get(q.access_token ?? '');
        if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
        if (q.type !== 'image') return err(40004, 'invalid media type');
        if (!raw.includes('name="media"')) return err(41005, 'media data missing');
        const mediaId = `tmp_${randomBytes(12).toString('hex')}`;
        this.media.set(mediaId, appid);
        return { type: 'image', media_id: mediaId, created_at: Math.floor(Date.now() / 1000) };
      }
      case '/cgi-bin/message/custom/send': {
        const appid = this.authorizerTokens.get(q.access_token ?? '');
        if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
        const touser = typeof body?.touser === 'string' ? body.touser : '';
        const last = this.lastInbound.get(`${appid}:${touser}`);
        if (!touser || last === undefined) return err(40003, 'invalid openid');
        if (Date.now() - last > 48 * 3600_000)
          return err(45015, 'response out of time limit or subscription is canceled');
        if (body?.msgtype === 'text') {
          const content = (body.text as { content?: unknown } | undefined)?.content;
          if (typeof content !== 'string' || content === '') return err(44003, 'empty news data');
          this.customMessages.push({ appid, touser, msgtype: 'text', content });
          return { errcode: 0, errmsg: 'ok' };
        }
        if (body?.msgtype === 'image') {
          const mediaId = (body.image as { media_id?: unknown } | undefined)?.media_id;
          if (typeof mediaId !== 'string' || this.media.get(mediaId) !== appid) return err(40007, 'invalid media_id');
          this.customMessages.push({ appid, touser, msgtype: 'image', mediaId });
          return { errcode: 0, errmsg: 'ok' };
        }
        return err(40008, 'invalid message type');
      }
      case '/wxa/sec/order/upload_shipping_info': {
        const appid = this.authorizerTokens.get(q.access_token ?? '');
        if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
        const key = body?.order_key as { order_number_type?: number; transaction_id?: string } | undefined;
        const list = body?.shipping_list as
          Array<{ tracking_no?: string; express_company?: string; item_desc?: string }> | undefined;
        const payer = body?.payer as { openid?: string } | undefined;
        if (!key || key.order_number_type !== 2 || !key.transaction_id) return err(10060001, 'order_key is invalid');
        if (
          body?.logistics_type !== 1 ||
          body.delivery_mode !== 1 ||
          !Array.isArray(list) ||
          list.length !== 1 ||
          !list[0]?.tracking_no ||
          !list[0].express_company ||
          !list[0].item_desc
        ) {
          return err(47001, 'data format error');
        }
        if (!payer?.openid) return err(10060003, 'payer openid is required');
        if (
          typeof body.upload_time !== 'string' ||
          !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(body.upload_time)
        )
          return err(47001, 'upload_time format error');
        this.shippingUploads.push({ appid, body });
        return { errcode: 0, errmsg: 'ok' };
      }
      default:
        return err(404, 'api not found');
    }
  }

  private mp(appid: string): MiniProgram {
    let m = this.miniPrograms.get(appid);
    if (!m) this.miniPrograms.set(appid, (m = {}));
    return m;
  }

  /** The template library calls, made with the component access token; null for any other path. */
  private async templateLibrary(
    path: string,
    q: Record<string, string>,
    body: Record<string, unknown> | undefined,
  ): Promise<Answer | null> {
    if (!['/wxa/gettemplatelist', '/wxa/gettemplatedraftlist', '/wxa/addtotemplate'].includes(path)) return null;
    if (!this.componentTokens.has(q.access_token ?? ''))
      return err(40001, 'invalid credential, access_token is invalid or not latest');
    if (path === '/wxa/gettemplatelist') return { errcode: 0, errmsg: 'ok', template_list: this.templates };
    if (path === '/wxa/gettemplatedraftlist') return { errcode: 0, errmsg: 'ok', draft_list: this.drafts };
    const draft = this.drafts.find((d) => d.draft_id === Number(body?.draft_id));
    if (!draft) return err(85064, 'draft not found');
    this.templates.push({
      template_id: 1000 + this.templates.length,
      user_version: draft.user_version,
      user_desc: draft.user_desc,
      create_time: Math.floor(Date.now() / 1000),
    });
    return { errcode: 0, errmsg: 'ok' };
  }

  /** /wxa/* code management of one authorized mini-program, with WeChat's rules and error codes. */
  private async codeManagement(
    path: string,
    appid: string,
    body: Record<string, unknown> | undefined,
    raw: string,
  ): Promise<Answer> {
    const m = this.mp(appid);
    switch (path) {
      case '/wxa/modify_domain': {
        if (!['add', 'delete', 'set', 'get'].includes(String(body?.action))) return err(44002, 'action is invalid');
        if (body!.action !== 'get') {
          const lists = ['requestdomain', 'wsrequestdomain', 'uploaddomain', 'downloaddomain'].map((k) => body![k]);
          if (
            lists.some(
              (l) =>
                l !== undefined &&
                (!Array.isArray(l) ||
                  l.some((d) => typeof d !== 'string' || !/^(https|wss|http|ws):\/\/[^/]+$/.test(d))),
            )
          )
            return err(85015, 'domain is invalid');
          m.domains = body;
        }
        return { errcode: 0, errmsg: 'ok', ...(m.domains ?? {}) };
      }
      case '/wxa/commit': {
        if (!this.templates.some((t) => t.template_id === Number(body?.template_id)))
          return err(85014, 'template not exist');
        let ext: Record<string, unknown>;
        try {
          ext = JSON.parse(String(body?.ext_json)) as Record<string, unknown>;
        } catch {
          return err(85048, 'ext_json parse failed');
        }
        if (ext.extAppid !== appid) return err(85048, 'extAppid does not match the authorizer');
        const userVersion = String(body?.user_version ?? '');
        if (!userVersion || userVersion.length > 64) return err(85023, 'user_version is invalid');
        m.exp = {
          templateId: Number(body!.template_id),
          extJson: ext,
          userVersion,
          userDesc: String(body?.user_desc ?? ''),
          scanDoneAt: Date.now() + this.privacyScanMs,
        };
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/wxa/getversioninfo':
        return {
          errcode: 0,
          errmsg: 'ok',
          ...(m.exp ? { exp_info: { exp_time: 0, exp_version: m.exp.userVersion, exp_desc: m.exp.userDesc } } : {}),
          ...(m.release
            ? { release_info: { release_time: 0, release_version: m.release.version, release_desc: m.release.desc } }
            : {}),
        };
      case '/wxa/get_qrcode': {
        if (!m.exp) return err(85007, 'no experience version');
        return { image: await qrImage(), contentType: 'image/jpeg' };
      }
      case '/wxa/getwxacodeunlimit': {
        // WeChat's own checks: a scene of at most 32 visible characters of its set, a page without a leading slash,
        // a known env_version (check_path false lets the page be one not released yet).
        const scene = body?.scene;
        if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32)
          return err(40169, 'invalid length for scene, or the data is not json string');
        if (!/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/.test(scene)) return err(40097, 'invalid args: scene');
        const page = String(body?.page ?? '');
        if (page.startsWith('/') || (body?.check_path !== false && !this.pages.includes(page)))
          return err(41030, 'invalid page rid');
        const env = body?.env_version ?? 'release';
        if (!['release', 'trial', 'develop'].includes(String(env))) return err(40097, 'invalid args: env_version');
        const width = Number(body?.width ?? 430);
        if (!Number.isInteger(width) || width < 280 || width > 1280) return err(40097, 'invalid args: width');
        this.wxacodes.push({ appid, scene, page, envVersion: String(env) });
        return { image: await wxacodeImage(scene, width), contentType: 'image/png' };
      }
      case '/wxa/get_category':
        return { errcode: 0, errmsg: 'ok', category_list: this.categories };
      case '/wxa/get_page':
        return m.exp ? { errcode: 0, errmsg: 'ok', page_list: this.pages } : err(85007, 'no experience version');
      case '/wxa/submit_audit': {
        if (!m.exp) return err(85007, 'no experience version');
        if (Date.now() < m.exp.scanDoneAt) return err(61039, 'privacy scan is not finished, please wait');
        if (m.audit && (m.audit.status === 2 || m.audit.status === 4))
          return err(85009, 'a version is already under review');
        if (this.quota.rest <= 0) return err(85085, 'audit quota of this month is used up');
        const items = body?.item_list as Array<Record<string, unknown>> | undefined;
        if (!Array.isArray(items) || items.length < 1 || items.length > 5) return err(85006, 'item_list is invalid');
        const allowed = new Set(this.categories.map((c) => `${c.first_id}/${c.second_id}`));
        if (
          items.some(
            (i) =>
              !this.pages.includes(String(i.address)) ||
              !allowed.has(`${i.first_id}/${i.second_id}`) ||
              !i.first_class ||
              !i.second_class,
          )
        )
          return err(47001, 'item_list category or page is invalid');
        const ugc = body?.ugc_declare as { scene?: unknown[]; method?: unknown[]; has_audit_team?: number } | undefined;
        if (
          !ugc ||
          !Array.isArray(ugc.scene) ||
          (ugc.scene.some((x) => x !== 0) && (!Array.isArray(ugc.method) || ugc.method.length === 0))
        )
          return err(47001, 'ugc_declare is invalid');
        this.quota.rest -= 1;
        const auditid = this.nextAuditId++;
        m.audit = {
          auditid,
          status: 2,
          reason: '',
          screenshot: '',
          userVersion: m.exp.userVersion,
          userDesc: m.exp.userDesc,
          submittedAt: Date.now(),
          body: body!,
        };
        return { errcode: 0, errmsg: 'ok', auditid };
      }
      case '/wxa/get_auditstatus': {
        if (!m.audit || m.audit.auditid !== Number(body?.auditid)) return err(85012, 'invalid audit id');
        return {
          errcode: 0,
          errmsg: 'ok',
          status: m.audit.status,
          reason: m.audit.reason,
          screenshot: m.audit.screenshot,
        };
      }
      case '/wxa/get_latest_auditstatus': {
        if (!m.audit) return err(85012, 'no audit');
        return {
          errcode: 0,
          errmsg: 'ok',
          auditid: m.audit.auditid,
          status: m.audit.status,
          reason: m.audit.reason,
          ScreenShot: m.audit.screenshot,
          user_version: m.audit.userVersion,
          user_desc: m.audit.userDesc,
        };
      }
      case '/wxa/undocodeaudit': {
        if (!m.audit || m.audit.status !== 2) return err(87013, 'no version under review to withdraw');
        m.audit.status = 3;
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/wxa/release': {
        if (raw.trim() === '') return err(44002, 'empty post data');
        if (!m.audit || m.audit.status !== 0) return err(85019, 'no audited version');
        if (
          m.release?.version === m.audit.userVersion &&
          m.release.desc === m.audit.userDesc &&
          m.grayPercentage === undefined
        )
          return err(85052, 'already released');
        if (m.grayPercentage === undefined) m.previousRelease = m.release;
        m.release = { version: m.audit.userVersion, desc: m.audit.userDesc };
        m.grayPercentage = undefined;
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/wxa/grayrelease': {
        const pct = Number(body?.gray_percentage);
        if (!Number.isInteger(pct) || pct < 1 || pct > 100) return err(85079, 'gray_percentage is invalid');
        if (!m.audit || m.audit.status !== 0) return err(85019, 'no audited version');
        if (m.grayPercentage !== undefined && pct <= m.grayPercentage)
          return err(85080, 'gray percentage can only increase');
        if (m.grayPercentage === undefined) m.previousRelease = m.release;
        m.grayPercentage = pct;
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/wxa/revertgrayrelease': {
        if (m.grayPercentage === undefined) return err(85081, 'no gray release in progress');
        m.grayPercentage = undefined;
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/wxa/revertcoderelease': {
        if (!m.previousRelease) return err(87011, 'no version to roll back to');
        m.release = m.previousRelease;
        m.previousRelease = undefined;
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/wxa/queryquota':
        return { errcode: 0, errmsg: 'ok', ...this.quota };
      default:
        return err(404, 'api not found');
    }
  }

  private spend(appid: string, code: string | undefined): Record<string, unknown> {
    const pending = code ? this.codes.get(code) : undefined;
    if (!pending || pending.appid !== appid) return err(40029, 'invalid code');
    if (pending.used) return err(40163, 'code been used');
    pending.used = true;
    return {
      openid: pending.openid,
      session_key: randomBytes(16).toString('base64'),
      ...(pending.unionid ? { unionid: pending.unionid } : {}),
    };
  }
}

let qr: Promise<Buffer> | undefined;
/** A small JPEG standing in for the trial version's QR code (WeChat answers image/jpeg). */
function qrImage(): Promise<Buffer> {
  qr ??= sharp({ create: { width: 64, height: 64, channels: 3, background: '#111111' } })
    .jpeg()
    .toBuffer();
  return qr;
}

/** A PNG standing in for a mini-program code (WeChat answers image/png): a round badge, darker for each scene. */
function wxacodeImage(scene: string, width: number): Promise<Buffer> {
  const shade = createHash('sha256').update(scene).digest()[0]! % 96;
  const r = Math.floor(width / 2);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${width}"><rect width="100%" height="100%" fill="#ffffff"/><circle cx="${r}" cy="${r}" r="${r - 8}" fill="rgb(${shade},${shade},${shade})"/><circle cx="${r}" cy="${r}" r="${Math.floor(r / 2.4)}" fill="#ffffff"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

function err(errcode: number, errmsg: string): Record<string, unknown> {
  return { errcode, errmsg: `${errmsg}, rid: ${randomBytes(4).toString('hex')}` };
}
