import { randomBytes } from 'node:crypto';
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
