import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a merchant holds: its mchid, its API certificate serial and private key, and its APIv3 key. */
export interface WechatPayMerchantCredentials {
  mchid: string;
  /** The merchant API certificate serial number: 40 uppercase hex digits. */
  serialNo: string;
  /** The merchant API private key, PKCS#8 PEM. */
  privateKeyPem: string;
  /** The public half, SPKI PEM: what WeChat Pay holds to check the merchant's signatures. */
  publicKeyPem: string;
  /** The APIv3 key: 32 printable ASCII characters. */
  apiV3Key: string;
}

/** What WeChat Pay knows of a merchant: everything but its private key. */
export type WechatPayMerchantRegistration = Omit<WechatPayMerchantCredentials, 'privateKeyPem'>;

export type WechatPayTradeType = 'JSAPI' | 'MWEB' | 'NATIVE';
export type WechatPayTradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
export type WechatPayRefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

/** A trade as WeChat Pay keeps it. */
export interface WechatPayTrade {
  mode: 'direct' | 'partner';
  /** The merchant (direct) or the service provider (partner) that placed the order. */
  mchid: string;
  /** appid (direct) or sp_appid (partner). */
  appid: string;
  /** Partner mode: the sub-merchant the money goes to. */
  subMchid?: string;
  subAppid?: string;
  outTradeNo: string;
  description: string;
  attach?: string;
  notifyUrl: string;
  timeExpire?: string;
  tradeType: WechatPayTradeType;
  state: WechatPayTradeState;
  total: number;
  currency: string;
  /** The payer as the order named it (JSAPI) or as paid. */
  payer: { openid?: string; spOpenid?: string; subOpenid?: string };
  prepayId: string;
  h5Url?: string;
  codeUrl?: string;
  transactionId?: string;
  successTime?: string;
  bankType?: string;
  /** Sum of accepted refunds, in fen. */
  refunded: number;
  createTime: string;
  /** The order as first placed, to tell a retry from a conflicting reuse of out_trade_no. */
  fingerprint: string;
}

/** A refund as WeChat Pay keeps it. */
export interface WechatPayRefund {
  mode: 'direct' | 'partner';
  mchid: string;
  subMchid?: string;
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  transactionId: string;
  reason?: string;
  notifyUrl?: string;
  refund: number;
  total: number;
  currency: string;
  status: WechatPayRefundStatus;
  createTime: string;
  successTime?: string;
  fingerprint: string;
}

/** A notification as WeChat Pay would POST it. */
export interface WechatPayNotification {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Ways a test forges a notification. */
export interface WechatPayNotificationOverrides {
  /** The event id (reuse one to replay). */
  id?: string;
  /** Wechatpay-Timestamp, in seconds (an old one to look stale). */
  timestamp?: number;
  /** amount.total and amount.payer_total of the plaintext, in fen. */
  amountTotal?: number;
  eventType?: string;
  /** Flip a byte of the ciphertext: the GCM tag then fails. */
  tamperCiphertext?: boolean;
  /** Sign with this private key (PEM) instead of WeChat Pay's. */
  signWithKeyPem?: string;
  /** mchid (direct) or sp_mchid (partner) in the plaintext. */
  mchid?: string;
  outTradeNo?: string;
  /** Encrypt with this APIv3 key instead of the merchant's. */
  apiV3Key?: string;
}

export interface WechatPayRefundNotificationOverrides extends Omit<
  WechatPayNotificationOverrides,
  'amountTotal' | 'outTradeNo'
> {
  /** amount.refund and amount.payer_refund of the plaintext, in fen. */
  amountRefund?: number;
  outRefundNo?: string;
  refundStatus?: string;
}

export interface WechatPayCall {
  method: string;
  /** The path without the query. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** The mchid of the Authorization header, when there was one. */
  mchid?: string;
  /** The HTTP status answered. */
  status?: number;
}

export interface MerchantEntry extends WechatPayMerchantRegistration {
  kind: 'merchant' | 'service_provider';
  subMerchants: Set<string>;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export type JsonObject = Record<string, unknown>;

/** An extra route: a reply, or null when the call is not its own. */
export type ExtraRoute = (m: MerchantEntry, method: string, url: URL, body: JsonObject) => Reply | null;

const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
const CLOCK_SKEW_SECONDS = 300;
const OUT_TRADE_NO = /^[A-Za-z0-9_*|-]{6,32}$/;
const OUT_REFUND_NO = /^[A-Za-z0-9_*|@-]{1,64}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A request refused for a malformed field: WeChat Pay answers 400 PARAM_ERROR. */
export class ParamError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly issue: string,
    readonly location: 'body' | 'query' | 'path' = 'body',
    readonly value?: unknown,
  ) {
    super(`输入源“/${location}/${field}”映射到值字段“${field}”${rule}规则校验失败，${issue}`);
  }
}

/**
 * A local WeChat Pay API v3 server in public-key mode (the mode new merchants get): it checks the
 * WECHATPAY2-SHA256-RSA2048 Authorization of every request against the merchant's registered public
 * key, signs every answer with WeChat Pay's own key (Wechatpay-Serial = the public key id), answers
 * with WeChat Pay's real codes and HTTP statuses, and builds payment and refund notifications
 * encrypted with AEAD_AES_256_GCM under the merchant's APIv3 key, as WeChat Pay posts them.
 */
export class FakeWechatPay {
  readonly publicKeyId = 'PUB_KEY_ID_0114232134912410000000000000';
  /** WeChat Pay's public key (SPKI PEM): what merchants verify answers and notifications with. */
  readonly publicKeyPem: string;
  private readonly privateKeyPem: string;
  private server?: http.Server;
  private readonly merchants = new Map<string, MerchantEntry>();
  /** Keyed by `${payee mchid}:${out_trade_no}` (the payee is the sub-merchant in partner mode). */
  private readonly tradeBook = new Map<string, WechatPayTrade>();
  private readonly refundBook = new Map<string, WechatPayRefund>();
  /** Every call, for assertions on what was sent. */
  readonly calls: WechatPayCall[] = [];
  /** Every notification delivered, with the merchant's answer. */
  readonly deliveries: Array<{ notification: WechatPayNotification; status: number; body: string }> = [];
  url = '';
  private readonly now: () => Date;
  /** Paths (by prefix) WeChat Pay is failing on: answering 500, or never answering. */
  private readonly outages = new Map<string, 'error' | 'hang'>();
  /** More of the API (consumer complaints), tried before answering 404. */
  private readonly extraRoutes: ExtraRoute[] = [];

  constructor(options: { now?: () => Date } = {}) {
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    this.publicKeyPem = pair.publicKey;
    this.privateKeyPem = pair.privateKey;
    this.now = options.now ?? (() => new Date());
  }

  /** Fresh merchant credentials: a key pair, a certificate serial and an APIv3 key. */
  static merchantCredentials(mchid?: string): WechatPayMerchantCredentials {
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    return {
      mchid: mchid ?? `16${digits(8)}`,
      serialNo: randomBytes(20).toString('hex').toUpperCase(),
      privateKeyPem: pair.privateKey,
      publicKeyPem: pair.publicKey,
      apiV3Key: alphanumeric(32),
    };
  }

  /** A direct (ordinary) merchant. */
  registerMerchant(m: WechatPayMerchantRegistration): void {
    this.register('merchant', m);
  }

  /** A service provider (partner mode): it places orders for its sub-merchants. */
  registerServiceProvider(m: WechatPayMerchantRegistration): void {
    this.register('service_provider', m);
  }

  /** Binds a sub-merchant to a service provider. */
  registerSubMerchant(spMchid: string, subMchid: string): void {
    const sp = this.merchants.get(spMchid);
    if (!sp || sp.kind !== 'service_provider') throw new Error(`${spMchid} is not a registered service provider`);
    sp.subMerchants.add(subMchid);
  }

  /** All trades, by out_trade_no. */
  get trades(): ReadonlyMap<string, WechatPayTrade> {
    return new Map([...this.tradeBook.values()].map((t) => [t.outTradeNo, t]));
  }

  /** All refunds, by out_refund_no. */
  get refunds(): ReadonlyMap<string, WechatPayRefund> {
    return new Map([...this.refundBook.values()].map((r) => [r.outRefundNo, r]));
  }

  /** The trade with this out_trade_no (of this payee mchid when several merchants used the number). */
  trade(outTradeNo: string, payeeMchid?: string): WechatPayTrade {
    const hits = [...this.tradeBook.values()].filter(
      (t) => t.outTradeNo === outTradeNo && (!payeeMchid || payee(t) === payeeMchid),
    );
    if (hits.length === 0) throw new Error(`no WeChat Pay trade ${outTradeNo}`);
    if (hits.length > 1) throw new Error(`several merchants used out_trade_no ${outTradeNo}: name the mchid`);
    return hits[0]!;
  }

  /** The refund with this out_refund_no. */
  refund(outRefundNo: string, payeeMchid?: string): WechatPayRefund {
    const hits = [...this.refundBook.values()].filter(
      (r) => r.outRefundNo === outRefundNo && (!payeeMchid || (r.subMchid ?? r.mchid) === payeeMchid),
    );
    if (hits.length === 0) throw new Error(`no WeChat Pay refund ${outRefundNo}`);
    if (hits.length > 1) throw new Error(`several merchants used out_refund_no ${outRefundNo}: name the mchid`);
    return hits[0]!;
  }

  /** The payer pays: the trade turns SUCCESS, with a transaction_id and success_time. Nothing is notified. */
  pay(outTradeNo: string, opts: { openid?: string; mchid?: string; bankType?: string } = {}): WechatPayTrade {
    const t = this.trade(outTradeNo, opts.mchid);
    if (t.state === 'CLOSED') throw new Error(`trade ${outTradeNo} is closed`);
    if (t.state !== 'NOTPAY') return t;
    t.state = 'SUCCESS';
    t.transactionId = transactionId(this.now());
    t.successTime = rfc3339(this.now());
    t.bankType = opts.bankType ?? 'OTHERS';
    // A JSAPI order names its payer; an H5 or Native one learns it when someone pays.
    if (t.mode === 'direct') t.payer = { openid: t.payer.openid ?? opts.openid ?? openid() };
    else t.payer = { ...t.payer, spOpenid: t.payer.spOpenid ?? opts.openid ?? openid() };
    return t;
  }

  /** The TRANSACTION.SUCCESS notification WeChat Pay would POST to the trade's notify_url. */
  transactionNotification(
    outTradeNo: string,
    overrides: WechatPayNotificationOverrides & { payeeMchid?: string } = {},
  ): WechatPayNotification {
    const t = this.trade(outTradeNo, overrides.payeeMchid);
    const total = overrides.amountTotal ?? t.total;
    const transaction: JsonObject =
      t.mode === 'direct'
        ? { appid: t.appid, mchid: overrides.mchid ?? t.mchid }
        : {
            sp_appid: t.appid,
            sp_mchid: overrides.mchid ?? t.mchid,
            ...(t.subAppid ? { sub_appid: t.subAppid } : {}),
            sub_mchid: t.subMchid,
          };
    Object.assign(transaction, {
      out_trade_no: overrides.outTradeNo ?? t.outTradeNo,
      transaction_id: t.transactionId ?? transactionId(this.now()),
      trade_type: t.tradeType,
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: t.bankType ?? 'OTHERS',
      attach: t.attach ?? '',
      success_time: t.successTime ?? rfc3339(this.now()),
      payer: this.payerJson(t),
      amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
    });
    return this.notification(t.notifyUrl, this.apiV3KeyOf(t.mchid), {
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      plaintext: transaction,
      overrides,
    });
  }

  /** The REFUND.SUCCESS notification WeChat Pay would POST to the refund's (or else the trade's) notify_url. */
  refundNotification(
    outRefundNo: string,
    overrides: WechatPayRefundNotificationOverrides & { payeeMchid?: string } = {},
  ): WechatPayNotification {
    const r = this.refund(outRefundNo, overrides.payeeMchid);
    const t = this.tradeBook.get(`${r.subMchid ?? r.mchid}:${r.outTradeNo}`);
    const url = r.notifyUrl ?? t?.notifyUrl;
    if (!url) throw new Error(`refund ${outRefundNo} has no notify_url`);
    const refundAmount = overrides.amountRefund ?? r.refund;
    const plaintext: JsonObject =
      r.mode === 'direct'
        ? { mchid: overrides.mchid ?? r.mchid }
        : { sp_mchid: overrides.mchid ?? r.mchid, sub_mchid: r.subMchid };
    Object.assign(plaintext, {
      out_trade_no: r.outTradeNo,
      transaction_id: r.transactionId,
      out_refund_no: overrides.outRefundNo ?? r.outRefundNo,
      refund_id: r.refundId,
      refund_status: overrides.refundStatus ?? 'SUCCESS',
      success_time: r.successTime ?? rfc3339(this.now()),
      user_received_account: '支付用户零钱',
      amount: { total: r.total, refund: refundAmount, payer_total: r.total, payer_refund: refundAmount },
    });
    return this.notification(url, this.apiV3KeyOf(r.mchid), {
      eventType: 'REFUND.SUCCESS',
      summary: '退款成功',
      originalType: 'refund',
      plaintext,
      overrides,
    });
  }

  /** The refund reaches the payer: PROCESSING turns SUCCESS. */
  completeRefund(outRefundNo: string, payeeMchid?: string): WechatPayRefund {
    const r = this.refund(outRefundNo, payeeMchid);
    if (r.status === 'PROCESSING') {
      r.status = 'SUCCESS';
      r.successTime = rfc3339(this.now());
    }
    return r;
  }

  /** POSTs a notification as WeChat Pay does and gives back the merchant's answer. */
  async deliver(n: WechatPayNotification): Promise<{ status: number; body: string }> {
    const res = await fetch(n.url, {
      method: 'POST',
      headers: { ...n.headers, 'content-type': 'application/json' },
      body: n.body,
      redirect: 'manual',
    });
    const body = await res.text();
    this.deliveries.push({ notification: n, status: res.status, body });
    return { status: res.status, body };
  }

  /** pay() and deliver the TRANSACTION.SUCCESS notification. */
  async payAndNotify(
    outTradeNo: string,
    opts: { openid?: string; mchid?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const t = this.pay(outTradeNo, opts);
    return this.deliver(this.transactionNotification(outTradeNo, { payeeMchid: payee(t) }));
  }

  /** completeRefund() and deliver the REFUND.SUCCESS notification. */
  async completeRefundAndNotify(outRefundNo: string, payeeMchid?: string): Promise<{ status: number; body: string }> {
    const r = this.completeRefund(outRefundNo, payeeMchid);
    return this.deliver(this.refundNotification(outRefundNo, { payeeMchid: r.subMchid ?? r.mchid }));
  }

  /** Adds API routes (signed and checked as every call is), tried in order before a 404. */
  extend(route: ExtraRoute): void {
    this.extraRoutes.push(route);
  }

  /** A notification sealed with `mchid`'s APIv3 key and signed by WeChat Pay, to POST to `url`. */
  sealedNotification(
    url: string,
    mchid: string,
    n: { eventType: string; summary: string; originalType: string; plaintext: JsonObject },
  ): WechatPayNotification {
    return this.notification(url, this.apiV3KeyOf(mchid), { ...n, overrides: {} });
  }

  /** WeChat Pay fails on calls whose path starts with `prefix`: a 500 SYSTEM_ERROR, or no answer at all; null ends it. */
  outage(prefix: string, mode: 'error' | 'hang' | null): void {
    if (mode) this.outages.set(prefix, mode);
    else this.outages.delete(prefix);
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req, Buffer.concat(chunks).toString('utf8'), res).catch((e: unknown) => {
          if (!res.headersSent)
            this.send(res, { status: 500, body: { code: 'SYSTEM_ERROR', message: `系统错误: ${String(e)}` } });
        });
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

  // ---------------------------------------------------------------------------------------------

  private register(kind: MerchantEntry['kind'], m: WechatPayMerchantRegistration): void {
    if (Buffer.byteLength(m.apiV3Key, 'utf8') !== 32) throw new Error('the APIv3 key must be 32 bytes');
    const previous = this.merchants.get(m.mchid);
    this.merchants.set(m.mchid, { ...m, kind, subMerchants: previous?.subMerchants ?? new Set() });
  }

  private apiV3KeyOf(mchid: string): string {
    const m = this.merchants.get(mchid);
    if (!m) throw new Error(`merchant ${mchid} is not registered`);
    return m.apiV3Key;
  }

  private async handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://localhost');
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    let body: unknown;
    try {
      body = raw ? (JSON.parse(raw) as unknown) : undefined;
    } catch {
      body = raw;
    }
    const call: WechatPayCall = { method, path: url.pathname, query, body };
    this.calls.push(call);
    const outage = [...this.outages].find(([prefix]) => url.pathname.startsWith(prefix))?.[1];
    if (outage === 'hang') return;
    if (outage === 'error')
      return this.send(res, { status: 500, body: { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' } });

    // The H5 cashier page the h5_url leads to, and its confirm button: no API signature there.
    if (url.pathname === '/cgi-bin/mmpayweb-bin/checkmweb' || url.pathname === '/__pay') {
      call.status = await this.cashier(method, url, raw, res);
      return;
    }

    const auth = this.authenticate(req, method, rawUrl, raw);
    if ('status' in auth) {
      call.status = auth.status;
      this.send(res, auth);
      return;
    }
    call.mchid = auth.mchid;
    let reply: Reply;
    try {
      reply =
        raw && !isObject(body)
          ? fail(400, 'PARAM_ERROR', '请求体不是合法的JSON对象')
          : this.route(auth, method, url, isObject(body) ? body : {});
    } catch (e) {
      if (!(e instanceof ParamError)) throw e;
      reply = fail(400, 'PARAM_ERROR', e.message, {
        field: e.field,
        location: e.location,
        ...(e.value !== undefined ? { value: e.value } : {}),
      });
    }
    call.status = reply.status;
    this.send(res, reply);
  }

  private authenticate(req: http.IncomingMessage, method: string, rawUrl: string, raw: string): MerchantEntry | Reply {
    const header = req.headers.authorization;
    if (!header) return fail(401, 'SIGN_ERROR', '错误的签名，验签失败：HTTP头缺少Authorization');
    const space = header.indexOf(' ');
    if (space < 0 || header.slice(0, space) !== AUTH_SCHEMA)
      return fail(401, 'SIGN_ERROR', `不支持的认证类型，请使用${AUTH_SCHEMA}`);
    const fields: Record<string, string> = {};
    for (const m of header.slice(space + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) fields[m[1]!] = m[2]!;
    const { mchid, nonce_str: nonce, signature, timestamp, serial_no: serialNo } = fields;
    if (!mchid || !nonce || !signature || !timestamp || !serialNo)
      return fail(401, 'SIGN_ERROR', 'Authorization格式错误，缺少mchid、nonce_str、signature、timestamp或serial_no');
    const merchant = this.merchants.get(mchid);
    if (!merchant) return fail(401, 'SIGN_ERROR', `商户号${mchid}不存在或未开通APIv3`);
    if (serialNo.toUpperCase() !== merchant.serialNo.toUpperCase())
      return fail(401, 'SIGN_ERROR', '商户证书序列号有误，请使用签名私钥匹配的证书序列号');
    if (
      !/^\d{10}$/.test(timestamp) ||
      Math.abs(Number(timestamp) - Math.floor(this.now().getTime() / 1000)) > CLOCK_SKEW_SECONDS
    ) {
      return fail(401, 'SIGN_ERROR', '签名中的时间戳与当前时间相差超过5分钟，请检查系统时间');
    }
    const message = `${method}\n${rawUrl}\n${timestamp}\n${nonce}\n${raw}\n`;
    if (!verifyRsa(message, signature, merchant.publicKeyPem)) {
      return fail(401, 'SIGN_ERROR', '错误的签名，验签失败');
    }
    return merchant;
  }

  private route(m: MerchantEntry, method: string, url: URL, body: JsonObject): Reply {
    const path = url.pathname;
    let hit: RegExpExecArray | null;
    if (method === 'POST' && (hit = /^\/v3\/pay\/(partner\/)?transactions\/(jsapi|h5|native)$/.exec(path))) {
      return this.prepay(m, Boolean(hit[1]), hit[2] as 'jsapi' | 'h5' | 'native', body);
    }
    if (method === 'GET' && (hit = /^\/v3\/pay\/(partner\/)?transactions\/(out-trade-no|id)\/([^/]+)$/.exec(path))) {
      return this.query(
        m,
        Boolean(hit[1]),
        hit[2] === 'id' ? 'transaction_id' : 'out_trade_no',
        decodeSegment(hit[3]!),
        url.searchParams,
      );
    }
    if (method === 'POST' && (hit = /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)\/close$/.exec(path))) {
      return this.closeTrade(m, Boolean(hit[1]), decodeSegment(hit[2]!), body);
    }
    if (method === 'POST' && path === '/v3/refund/domestic/refunds') return this.createRefund(m, body);
    if (method === 'GET' && (hit = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path))) {
      return this.queryRefund(m, decodeSegment(hit[1]!), url.searchParams);
    }
    for (const extra of this.extraRoutes) {
      const reply = extra(m, method, url, body);
      if (reply) return reply;
    }
    return fail(404, 'NOT_FOUND', '请求的资源不存在');
  }

  /** Resolves the payee of a partner call, or refuses it. */
  private partnerScope(
    m: MerchantEntry,
    spMchid: string | undefined,
    subMchid: string | undefined,
    location: 'body' | 'query',
  ): string | Reply {
    if (m.kind !== 'service_provider') return fail(403, 'NO_AUTH', '商户无权限，请确认商户号为服务商');
    if (!spMchid) throw new ParamError('sp_mchid', '必填性', '此字段为必填项', location);
    if (!subMchid) throw new ParamError('sub_mchid', '必填性', '此字段为必填项', location);
    if (spMchid !== m.mchid) return fail(400, 'INVALID_REQUEST', 'sp_mchid与请求头中的商户号不一致');
    if (!m.subMerchants.has(subMchid)) return fail(400, 'INVALID_REQUEST', '受理关系不存在');
    return subMchid;
  }

  private directScope(m: MerchantEntry, mchid: string | undefined, location: 'body' | 'query'): string | Reply {
    if (m.kind !== 'merchant') return fail(403, 'NO_AUTH', '商户无权限，服务商请使用服务商模式接口');
    if (!mchid) throw new ParamError('mchid', '必填性', '此字段为必填项', location);
    if (mchid !== m.mchid) return fail(400, 'INVALID_REQUEST', 'mchid与请求头中的商户号不一致');
    return mchid;
  }

  private prepay(m: MerchantEntry, partner: boolean, kind: 'jsapi' | 'h5' | 'native', body: JsonObject): Reply {
    let scope: string | Reply;
    let appid: string;
    let subAppid: string | undefined;
    if (partner) {
      appid = requireString(body, 'sp_appid', 32);
      subAppid = optionalString(body, 'sub_appid', 32);
      scope = this.partnerScope(m, optionalString(body, 'sp_mchid', 32), optionalString(body, 'sub_mchid', 32), 'body');
    } else {
      appid = requireString(body, 'appid', 32);
      scope = this.directScope(m, optionalString(body, 'mchid', 32), 'body');
    }
    if (typeof scope !== 'string') return scope;
    const description = requireString(body, 'description', 127);
    const outTradeNo = requireString(body, 'out_trade_no', 32);
    if (!OUT_TRADE_NO.test(outTradeNo))
      throw new ParamError('out_trade_no', '字符串', '只能是6到32位的数字、大小写字母_-|*', 'body', outTradeNo);
    const timeExpire = optionalString(body, 'time_expire', 64);
    if (timeExpire !== undefined && (!RFC3339.test(timeExpire) || Number.isNaN(Date.parse(timeExpire)))) {
      throw new ParamError('time_expire', '格式', '时间格式应为yyyy-MM-DDTHH:mm:ss+TIMEZONE', 'body', timeExpire);
    }
    const attach = optionalString(body, 'attach', 128);
    const notifyUrl = requireString(body, 'notify_url', 256);
    checkNotifyUrl(notifyUrl, 'notify_url');
    const amount = body.amount;
    if (!isObject(amount)) throw new ParamError('amount', '必填性', '此字段为必填项');
    const total = amount.total;
    if (total === undefined) throw new ParamError('amount/total', '必填性', '此字段为必填项');
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 1)
      throw new ParamError('amount/total', '整数', '值低于最小值 1 或不是整数', 'body', total);
    const currency = optionalString(amount, 'currency', 16, 'amount/') ?? 'CNY';
    if (currency !== 'CNY') throw new ParamError('amount/currency', '枚举', '目前只支持人民币CNY', 'body', currency);
    const payer: WechatPayTrade['payer'] = {};
    if (kind === 'jsapi') {
      const p = body.payer;
      if (!isObject(p)) throw new ParamError('payer', '必填性', '此字段为必填项');
      if (partner) {
        const spOpenid = optionalString(p, 'sp_openid', 128, 'payer/');
        const subOpenid = optionalString(p, 'sub_openid', 128, 'payer/');
        if (!spOpenid && !subOpenid)
          throw new ParamError('payer/sp_openid', '必填性', 'sp_openid和sub_openid必须填一个');
        if (subOpenid && !subAppid) return fail(400, 'INVALID_REQUEST', '传入sub_openid时，sub_appid必填');
        if (spOpenid) payer.spOpenid = spOpenid;
        if (subOpenid) payer.subOpenid = subOpenid;
      } else {
        payer.openid = requireString(p, 'openid', 128, 'payer/');
      }
    }
    if (kind === 'h5') {
      const scene = body.scene_info;
      if (!isObject(scene)) throw new ParamError('scene_info', '必填性', '此字段为必填项');
      requireString(scene, 'payer_client_ip', 45, 'scene_info/');
      const h5 = scene.h5_info;
      if (!isObject(h5)) throw new ParamError('scene_info/h5_info', '必填性', '此字段为必填项');
      requireString(h5, 'type', 32, 'scene_info/h5_info/');
    }

    const key = `${scope}:${outTradeNo}`;
    const fingerprint = `${partner ? 'partner' : 'direct'}:${kind}:${canonicalJson(body)}`;
    const existing = this.tradeBook.get(key);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return fail(400, 'ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') return fail(400, 'ORDER_CLOSED', '该订单已关闭');
      if (existing.fingerprint !== fingerprint) return fail(400, 'INVALID_REQUEST', '201 商户订单号重复');
      return { status: 200, body: this.prepayAnswer(existing) };
    }
    const now = this.now();
    const prepayId = `wx${compactTime(now)}${randomBytes(8).toString('hex')}0000`;
    const trade: WechatPayTrade = {
      mode: partner ? 'partner' : 'direct',
      mchid: m.mchid,
      appid,
      ...(partner ? { subMchid: scope } : {}),
      ...(subAppid ? { subAppid } : {}),
      outTradeNo,
      description,
      ...(attach !== undefined ? { attach } : {}),
      notifyUrl,
      ...(timeExpire ? { timeExpire } : {}),
      tradeType: kind === 'jsapi' ? 'JSAPI' : kind === 'h5' ? 'MWEB' : 'NATIVE',
      state: 'NOTPAY',
      total,
      currency,
      payer,
      prepayId,
      refunded: 0,
      createTime: rfc3339(now),
      fingerprint,
    };
    if (kind === 'h5')
      trade.h5Url = `${this.url}/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepayId}&package=${digits(10)}`;
    if (kind === 'native') trade.codeUrl = `weixin://wxpay/bizpayurl?pr=${alphanumeric(9)}`;
    this.tradeBook.set(key, trade);
    return { status: 200, body: this.prepayAnswer(trade) };
  }

  private prepayAnswer(t: WechatPayTrade): JsonObject {
    if (t.tradeType === 'MWEB') return { h5_url: t.h5Url };
    if (t.tradeType === 'NATIVE') return { code_url: t.codeUrl };
    return { prepay_id: t.prepayId };
  }

  private query(
    m: MerchantEntry,
    partner: boolean,
    by: 'out_trade_no' | 'transaction_id',
    id: string,
    q: URLSearchParams,
  ): Reply {
    const scope = partner
      ? this.partnerScope(m, q.get('sp_mchid') ?? undefined, q.get('sub_mchid') ?? undefined, 'query')
      : this.directScope(m, q.get('mchid') ?? undefined, 'query');
    if (typeof scope !== 'string') return scope;
    const t =
      by === 'out_trade_no'
        ? this.tradeBook.get(`${scope}:${id}`)
        : [...this.tradeBook.values()].find((x) => payee(x) === scope && x.transactionId === id);
    if (!t || (partner ? t.mode !== 'partner' : t.mode !== 'direct')) return fail(404, 'ORDER_NOT_EXIST', '订单不存在');
    return { status: 200, body: this.transactionJson(t) };
  }

  /** The transaction as the query API answers it. */
  private transactionJson(t: WechatPayTrade): JsonObject {
    const paid = t.state === 'SUCCESS' || t.state === 'REFUND';
    const head: JsonObject =
      t.mode === 'direct'
        ? { appid: t.appid, mchid: t.mchid }
        : {
            sp_appid: t.appid,
            sp_mchid: t.mchid,
            ...(t.subAppid ? { sub_appid: t.subAppid } : {}),
            sub_mchid: t.subMchid,
          };
    const desc: Record<WechatPayTradeState, string> = {
      NOTPAY: '订单未支付',
      SUCCESS: '支付成功',
      CLOSED: '订单已关闭',
      REFUND: '订单发生过退款',
    };
    return {
      ...head,
      out_trade_no: t.outTradeNo,
      ...(paid ? { transaction_id: t.transactionId, trade_type: t.tradeType } : {}),
      trade_state: t.state,
      trade_state_desc: desc[t.state],
      ...(paid
        ? { bank_type: t.bankType, attach: t.attach ?? '', success_time: t.successTime, payer: this.payerJson(t) }
        : {}),
      ...(!paid && t.attach !== undefined ? { attach: t.attach } : {}),
      amount: paid
        ? { total: t.total, payer_total: t.total, currency: t.currency, payer_currency: t.currency }
        : { total: t.total, currency: t.currency, payer_currency: t.currency },
      promotion_detail: [],
    };
  }

  private payerJson(t: WechatPayTrade): JsonObject {
    if (t.mode === 'direct') return { openid: t.payer.openid ?? openid() };
    return { sp_openid: t.payer.spOpenid ?? openid(), ...(t.payer.subOpenid ? { sub_openid: t.payer.subOpenid } : {}) };
  }

  private closeTrade(m: MerchantEntry, partner: boolean, outTradeNo: string, body: JsonObject): Reply {
    const scope = partner
      ? this.partnerScope(m, optionalString(body, 'sp_mchid', 32), optionalString(body, 'sub_mchid', 32), 'body')
      : this.directScope(m, optionalString(body, 'mchid', 32), 'body');
    if (typeof scope !== 'string') return scope;
    const t = this.tradeBook.get(`${scope}:${outTradeNo}`);
    if (!t || (partner ? t.mode !== 'partner' : t.mode !== 'direct')) return fail(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (t.state === 'SUCCESS' || t.state === 'REFUND') return fail(400, 'ORDERPAID', '订单已支付');
    t.state = 'CLOSED';
    return { status: 204 };
  }

  private createRefund(m: MerchantEntry, body: JsonObject): Reply {
    const subMchid = optionalString(body, 'sub_mchid', 32);
    let scope: string | Reply;
    if (m.kind === 'service_provider') scope = this.partnerScope(m, m.mchid, subMchid, 'body');
    else if (subMchid !== undefined) scope = fail(400, 'INVALID_REQUEST', '受理关系不存在');
    else scope = m.mchid;
    if (typeof scope !== 'string') return scope;
    const transactionIdIn = optionalString(body, 'transaction_id', 32);
    const outTradeNo = optionalString(body, 'out_trade_no', 32);
    if (!transactionIdIn && !outTradeNo)
      throw new ParamError('out_trade_no', '必填性', 'transaction_id和out_trade_no必须二选一');
    const outRefundNo = requireString(body, 'out_refund_no', 64);
    if (!OUT_REFUND_NO.test(outRefundNo))
      throw new ParamError('out_refund_no', '字符串', '只能是数字、大小写字母_-|*@', 'body', outRefundNo);
    const reason = optionalString(body, 'reason', 80);
    const notifyUrl = optionalString(body, 'notify_url', 256);
    if (notifyUrl !== undefined) checkNotifyUrl(notifyUrl, 'notify_url');
    const amount = body.amount;
    if (!isObject(amount)) throw new ParamError('amount', '必填性', '此字段为必填项');
    for (const f of ['refund', 'total'] as const) {
      const v = amount[f];
      if (v === undefined) throw new ParamError(`amount/${f}`, '必填性', '此字段为必填项');
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
        throw new ParamError(`amount/${f}`, '整数', '值低于最小值 1 或不是整数', 'body', v);
    }
    const refundAmount = amount.refund as number;
    const totalAmount = amount.total as number;
    const currency = requireString(amount, 'currency', 16, 'amount/');
    if (currency !== 'CNY') throw new ParamError('amount/currency', '枚举', '目前只支持人民币CNY', 'body', currency);

    const t = outTradeNo
      ? this.tradeBook.get(`${scope}:${outTradeNo}`)
      : [...this.tradeBook.values()].find((x) => payee(x) === scope && x.transactionId === transactionIdIn);
    if (!t || (transactionIdIn && t.transactionId !== transactionIdIn))
      return fail(404, 'RESOURCE_NOT_EXISTS', '订单不存在');

    const key = `${scope}:${outRefundNo}`;
    const fingerprint = canonicalJson({
      out_trade_no: t.outTradeNo,
      refund: refundAmount,
      total: totalAmount,
      currency,
    });
    const existing = this.refundBook.get(key);
    if (existing) {
      if (existing.fingerprint !== fingerprint)
        return fail(400, 'INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试');
      return { status: 200, body: this.refundJson(existing) };
    }
    if (t.state !== 'SUCCESS' && t.state !== 'REFUND') return fail(400, 'INVALID_REQUEST', '订单未支付，不能发起退款');
    if (totalAmount !== t.total) return fail(400, 'INVALID_REQUEST', '订单金额与原订单金额不一致，请核实后再试');
    if (refundAmount > t.total - t.refunded) return fail(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    t.refunded += refundAmount;
    t.state = 'REFUND';
    const now = this.now();
    const r: WechatPayRefund = {
      mode: t.mode,
      mchid: t.mchid,
      ...(t.subMchid ? { subMchid: t.subMchid } : {}),
      outRefundNo,
      refundId: `50${digits(8)}${compactTime(now).slice(0, 8)}${digits(11)}`,
      outTradeNo: t.outTradeNo,
      transactionId: t.transactionId!,
      ...(reason !== undefined ? { reason } : {}),
      ...(notifyUrl !== undefined ? { notifyUrl } : {}),
      refund: refundAmount,
      total: totalAmount,
      currency,
      status: 'PROCESSING',
      createTime: rfc3339(now),
      fingerprint,
    };
    this.refundBook.set(key, r);
    return { status: 200, body: this.refundJson(r) };
  }

  private queryRefund(m: MerchantEntry, outRefundNo: string, q: URLSearchParams): Reply {
    let scope: string | Reply;
    if (m.kind === 'service_provider') scope = this.partnerScope(m, m.mchid, q.get('sub_mchid') ?? undefined, 'query');
    else scope = m.mchid;
    if (typeof scope !== 'string') return scope;
    const r = this.refundBook.get(`${scope}:${outRefundNo}`);
    if (!r) return fail(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    return { status: 200, body: this.refundJson(r) };
  }

  private refundJson(r: WechatPayRefund): JsonObject {
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.successTime ? { success_time: r.successTime } : {}),
      create_time: r.createTime,
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: r.total,
        refund: r.refund,
        from: [],
        payer_total: r.total,
        payer_refund: r.refund,
        settlement_refund: r.refund,
        settlement_total: r.total,
        discount_refund: 0,
        currency: r.currency,
        refund_fee: 0,
      },
      promotion_detail: [],
    };
  }

  private notification(
    url: string,
    apiV3Key: string,
    n: {
      eventType: string;
      summary: string;
      originalType: string;
      plaintext: JsonObject;
      overrides: WechatPayNotificationOverrides;
    },
  ): WechatPayNotification {
    const o = n.overrides;
    const aesNonce = alphanumeric(12);
    const key = Buffer.from(o.apiV3Key ?? apiV3Key, 'utf8');
    const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(aesNonce, 'utf8'));
    cipher.setAAD(Buffer.from(n.originalType, 'utf8'));
    const sealed = Buffer.concat([
      cipher.update(JSON.stringify(n.plaintext), 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    if (o.tamperCiphertext) sealed[0] = sealed[0]! ^ 0x01;
    const now = this.now();
    const body = JSON.stringify({
      id: o.id ?? eventId(now),
      create_time: rfc3339(now),
      resource_type: 'encrypt-resource',
      event_type: o.eventType ?? n.eventType,
      summary: n.summary,
      resource: {
        original_type: n.originalType,
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: sealed.toString('base64'),
        associated_data: n.originalType,
        nonce: aesNonce,
      },
    });
    const timestamp = String(o.timestamp ?? Math.floor(now.getTime() / 1000));
    const nonce = alphanumeric(32);
    const signature = signRsa(`${timestamp}\n${nonce}\n${body}\n`, o.signWithKeyPem ?? this.privateKeyPem);
    return {
      url,
      headers: {
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Signature': signature,
        'Wechatpay-Serial': this.publicKeyId,
        'Wechatpay-Signature-Type': AUTH_SCHEMA,
      },
      body,
    };
  }

  /** Writes an API answer signed as WeChat Pay signs it. */
  private send(res: http.ServerResponse, reply: Reply): void {
    const body = reply.status === 204 || reply.body === undefined ? '' : JSON.stringify(reply.body);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    res.statusCode = reply.status;
    if (body) res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Request-ID', `${randomBytes(18).toString('hex').toUpperCase()}-0`);
    res.setHeader('Wechatpay-Nonce', nonce);
    res.setHeader('Wechatpay-Timestamp', timestamp);
    res.setHeader('Wechatpay-Serial', this.publicKeyId);
    res.setHeader('Wechatpay-Signature', signRsa(`${timestamp}\n${nonce}\n${body}\n`, this.privateKeyPem));
    res.setHeader('Wechatpay-Signature-Type', AUTH_SCHEMA);
    res.end(body);
  }

  /** The H5 cashier: shows the order and pays it on "确认支付". */
  private async cashier(method: string, url: URL, raw: string, res: http.ServerResponse): Promise<number> {
    const html = (status: number, content: string): number => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>微信支付</title></head><body>${content}</body></html>`,
      );
      return status;
    };
    const params = url.pathname === '/__pay' && method === 'POST' ? new URLSearchParams(raw) : url.searchParams;
    const prepayId = params.get('prepay_id') ?? '';
    const t = [...this.tradeBook.values()].find((x) => x.prepayId === prepayId && x.tradeType === 'MWEB');
    if (!t) return html(404, '<p data-testid="wechatpay-error">商家参数格式有误，请联系商家解决</p>');
    const redirect = params.get('redirect_url') ?? '';
    if (url.pathname === '/cgi-bin/mmpayweb-bin/checkmweb') {
      if (t.state !== 'NOTPAY')
        return html(200, `<p data-testid="wechatpay-error">${t.state === 'CLOSED' ? '订单已关闭' : '订单已支付'}</p>`);
      return html(
        200,
        `<h1>${escapeHtml(t.description)}</h1><p data-testid="wechatpay-amount">￥${(t.total / 100).toFixed(2)}</p>` +
          `<form method="post" action="/__pay"><input type="hidden" name="prepay_id" value="${escapeHtml(prepayId)}">` +
          `<input type="hidden" name="redirect_url" value="${escapeHtml(redirect)}">` +
          `<button type="submit" data-testid="wechatpay-confirm">确认支付</button></form>`,
      );
    }
    if (method !== 'POST') return html(405, '<p>Method Not Allowed</p>');
    if (t.state === 'NOTPAY') await this.payAndNotify(t.outTradeNo, { mchid: payee(t) });
    if (redirect) {
      res.statusCode = 302;
      res.setHeader('Location', redirect);
      res.end();
      return 302;
    }
    return html(200, '<p data-testid="wechatpay-paid">支付成功</p>');
  }
}

function payee(t: WechatPayTrade): string {
  return t.subMchid ?? t.mchid;
}

export function fail(status: number, code: string, message: string, detail?: JsonObject): Reply {
  return { status, body: { code, message, ...(detail ? { detail } : {}) } };
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function optionalString(o: JsonObject, key: string, max: number, prefix = ''): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ParamError(`${prefix}${key}`, '类型', '应为字符串', 'body', v);
  if ([...v].length > max) throw new ParamError(`${prefix}${key}`, '长度', `字符串长度超过最大值 ${max}`, 'body', v);
  return v;
}

export function requireString(o: JsonObject, key: string, max: number, prefix = ''): string {
  const v = optionalString(o, key, max, prefix);
  if (v === undefined || v === '') throw new ParamError(`${prefix}${key}`, '必填性', '此字段为必填项');
  return v;
}

function checkNotifyUrl(value: string, field: string): void {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ParamError(field, '格式', '应为合法的URL', 'body', value);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new ParamError(field, '格式', '应为https地址', 'body', value);
  if (u.search) throw new ParamError(field, '格式', '通知地址不允许携带查询串', 'body', value);
}

export function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** JSON with keys sorted at every depth, to compare two requests regardless of key order. */
function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (isObject(x))
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, sort(x[k])]),
      );
    return x;
  };
  return JSON.stringify(sort(v));
}

function signRsa(message: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKeyPem, 'base64');
}

function verifyRsa(message: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKeyPem, signature, 'base64');
  } catch {
    return false;
  }
}

export function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

function alphanumeric(n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

function openid(): string {
  return `o${alphanumeric(27)}`;
}

function eventId(d: Date): string {
  return `EV-${compactTime(d)}${digits(6)}`;
}

/** Beijing wall-clock time of a date. */
function beijing(d: Date): Date {
  return new Date(d.getTime() + 8 * 3600_000);
}

/** 2018-06-08T10:34:56+08:00, as WeChat Pay writes times. */
export function rfc3339(d: Date): string {
  return `${beijing(d).toISOString().slice(0, 19)}+08:00`;
}

/** yyyyMMddHHmmss in Beijing time. */
function compactTime(d: Date): string {
  return beijing(d).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

function transactionId(d: Date): string {
  return `42000${digits(5)}${compactTime(d).slice(0, 8)}${digits(10)}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
