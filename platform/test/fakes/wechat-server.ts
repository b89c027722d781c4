import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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
  /** Pre-auth codes issued, and the auth codes a merchant's confirmation on WeChat's page produced. */
  private readonly preAuthCodes = new Set<string>();
  private readonly authCodes = new Map<string, { appid: string; refreshToken: string; funcInfo: number[]; used: boolean }>();
  /** Shipping reports taken by /wxa/sec/order/upload_shipping_info, by authorizer appid. */
  readonly shippingUploads: Array<{ appid: string; body: Record<string, unknown> }> = [];
  private component?: { appid: string; secret: string; ticket: string };
  /** Every call, for assertions on what was sent. */
  readonly calls: Array<{ method: string; path: string; query: Record<string, string>; body?: unknown }> = [];
  url = '';

  /** A mini-program that signs in with its own secret. */
  registerApp(appid: string, secret: string): void {
    this.apps.set(appid, secret);
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
  componentPush(secrets: { token: string; aesKey: string; componentAppid: string }, fields: Record<string, string>, at = new Date()): { query: Record<string, string>; body: string } {
    const inner = `<xml>${Object.entries(fields).map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`).join('')}</xml>`;
    const key = Buffer.from(`${secrets.aesKey}=`, 'base64');
    const text = Buffer.from(inner);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(text.length);
    const plain = Buffer.concat([randomBytes(16), len, text, Buffer.from(secrets.componentAppid)]);
    const pad = 32 - (plain.length % 32);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    cipher.setAutoPadding(false);
    const encrypted = Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE());
    const msgSignature = createHash('sha1').update([secrets.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
    return { query: { timestamp, nonce, msg_signature: msgSignature, encrypt_type: 'aes' }, body: `<xml><AppId><![CDATA[${secrets.componentAppid}]]></AppId><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>` };
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
        res.setHeader('content-type', 'application/json; encoding=utf-8');
        res.end(JSON.stringify(this.route(url.pathname, query, body)));
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

  private route(path: string, q: Record<string, string>, body: Record<string, unknown> | undefined): Record<string, unknown> {
    switch (path) {
      case '/sns/jscode2session': {
        if (q.grant_type !== 'authorization_code') return err(40002, 'invalid grant_type');
        const secret = this.apps.get(q.appid ?? '');
        if (secret === undefined) return err(40013, 'invalid appid');
        if (secret !== q.secret) return err(40125, 'invalid appsecret');
        return this.spend(q.appid!, q.js_code);
      }
      case '/sns/component/jscode2session': {
        if (!this.component || q.component_appid !== this.component.appid) return err(40013, 'invalid component appid');
        if (!this.componentTokens.has(q.component_access_token ?? '')) return err(40001, 'invalid credential, access_token is invalid or not latest');
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
        if (!this.componentTokens.has(q.component_access_token ?? '')) return err(40001, 'invalid credential, access_token is invalid or not latest');
        const code = `preauthcode@@@${randomBytes(12).toString('hex')}`;
        this.preAuthCodes.add(code);
        return { pre_auth_code: code, expires_in: 1800 };
      }
      case '/cgi-bin/component/api_query_auth': {
        if (!this.component || body?.component_appid !== this.component.appid) return err(40013, 'invalid appid');
        if (!this.componentTokens.has(q.component_access_token ?? '')) return err(40001, 'invalid credential, access_token is invalid or not latest');
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
        if (!this.componentTokens.has(q.component_access_token ?? '')) return err(40001, 'invalid credential, access_token is invalid or not latest');
        const appid = String(body.authorizer_appid ?? '');
        const current = this.authorizers.get(appid);
        if (current === undefined) return err(61003, 'component is not authorized by this account');
        if (body.authorizer_refresh_token !== current) return err(61023, 'refresh_token is invalid');
        const token = `at_${randomBytes(12).toString('hex')}`;
        this.authorizerTokens.set(token, appid);
        return { authorizer_access_token: token, expires_in: 7200, authorizer_refresh_token: current };
      }
      case '/wxa/sec/order/upload_shipping_info': {
        const appid = this.authorizerTokens.get(q.access_token ?? '');
        if (!appid) return err(40001, 'invalid credential, access_token is invalid or not latest');
        const key = body?.order_key as { order_number_type?: number; transaction_id?: string } | undefined;
        const list = body?.shipping_list as Array<{ tracking_no?: string; express_company?: string; item_desc?: string }> | undefined;
        const payer = body?.payer as { openid?: string } | undefined;
        if (!key || key.order_number_type !== 2 || !key.transaction_id) return err(10060001, 'order_key is invalid');
        if (body?.logistics_type !== 1 || body.delivery_mode !== 1 || !Array.isArray(list) || list.length !== 1 || !list[0]?.tracking_no || !list[0].express_company || !list[0].item_desc) {
          return err(47001, 'data format error');
        }
        if (!payer?.openid) return err(10060003, 'payer openid is required');
        if (typeof body.upload_time !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(body.upload_time)) return err(47001, 'upload_time format error');
        this.shippingUploads.push({ appid, body });
        return { errcode: 0, errmsg: 'ok' };
      }
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

function err(errcode: number, errmsg: string): Record<string, unknown> {
  return { errcode, errmsg: `${errmsg}, rid: ${randomBytes(4).toString('hex')}` };
}
