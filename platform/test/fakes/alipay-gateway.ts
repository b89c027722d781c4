import { createPrivateKey, createSign, createVerify, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a developer holds for an app on the Alipay open platform. */
export interface AlipayAppCredentials {
  /** 16 digits. */
  appId: string;
  /** The app private key as alipay-sdk takes it by default (keyType PKCS1): 'RSA PRIVATE KEY' PEM. */
  privateKeyPem: string;
  /** The same key as PKCS#8 'PRIVATE KEY' PEM (alipay-sdk needs keyType: 'PKCS8' for this one). */
  privateKeyPkcs8Pem: string;
  /** The app public key (SPKI PEM): what is uploaded to Alipay. */
  publicKeyPem: string;
}

export type AlipayTradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

export interface AlipayRefund {
  outRequestNo: string;
  /** In fen. */
  amount: number;
  reason?: string;
  gmtRefundPay: string;
}

/** A trade as Alipay keeps it. */
export interface AlipayTrade {
  appId: string;
  sellerId: string;
  /** The API method that created it: alipay.trade.wap.pay or alipay.trade.page.pay. */
  method: string;
  outTradeNo: string;
  tradeNo: string;
  subject: string;
  /** In fen. */
  total: number;
  /** As Alipay writes it: "12.34". */
  totalAmount: string;
  productCode?: string;
  notifyUrl?: string;
  returnUrl?: string;
  status: AlipayTradeStatus;
  buyerId?: string;
  buyerLogonId?: string;
  gmtCreate: string;
  gmtPayment?: string;
  /** Sum of refunds, in fen. */
  refunded: number;
  refunds: Map<string, AlipayRefund>;
}

/** An asynchronous notification as Alipay would POST it. */
export interface AlipayNotification {
  url: string;
  form: Record<string, string>;
}

/** Ways a test forges a notification. */
export interface AlipayNotificationOverrides {
  /** total_amount (and the receipt/buyer/invoice amounts) in yuan, e.g. "0.01". */
  totalAmount?: string;
  notifyId?: string;
  /** Sign with this private key (PEM) instead of Alipay's. */
  signWithKeyPem?: string;
  appId?: string;
  tradeStatus?: string;
  outTradeNo?: string;
  /** Which app's trade, when several apps used the out_trade_no. */
  forAppId?: string;
}

export interface AlipayCall {
  httpMethod: string;
  path: string;
  /** The API method (the `method` parameter). */
  method?: string;
  /** Every parameter, query string and form body together. */
  params: Record<string, string>;
  bizContent?: unknown;
  /** The answer node (`<method>_response`), for API calls. */
  response?: Record<string, unknown>;
}

interface AppEntry {
  appId: string;
  publicKeyPem: string;
  sellerId: string;
}

type Node = Record<string, unknown>;

/** A refused call, in the gateway's words. */
interface Refusal {
  code: '40001' | '40002' | '40004' | '40006';
  sub_code: string;
  sub_msg: string;
}

const MSG: Record<string, string> = {
  '10000': 'Success',
  '40001': 'Missing Required Arguments',
  '40002': 'Invalid Arguments',
  '40004': 'Business Failed',
  '40006': 'Insufficient Permissions',
};
const PAGE_METHODS = new Set(['alipay.trade.wap.pay', 'alipay.trade.page.pay']);
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * A local Alipay open-platform gateway (`gateway.do`, RSA2) speaking the protocol alipay-sdk 4.x
 * speaks: common parameters in the query string, the rest (biz_content) in a urlencoded form body,
 * the request signed with the app key over every parameter but `sign` sorted as `k=v&…`; answers
 * `{"<method>_response":{…},"sign":"…"}` signed with Alipay's key over the exact text of the
 * response node. The browser methods (alipay.trade.wap.pay / page.pay) open a cashier page whose
 * "确认付款" button pays, notifies the notify_url and redirects to the return_url.
 */
export class FakeAlipay {
  /** Alipay's public key (SPKI PEM): what apps verify answers and notifications with. */
  readonly alipayPublicKeyPem: string;
  private readonly privateKeyPem: string;
  private server?: http.Server;
  private readonly apps = new Map<string, AppEntry>();
  /** Keyed by `${app_id}:${out_trade_no}`. */
  private readonly tradeBook = new Map<string, AlipayTrade>();
  /** Every call, for assertions on what was sent. */
  readonly calls: AlipayCall[] = [];
  /** Every notification delivered, with the merchant's answer. */
  readonly deliveries: Array<{ notification: AlipayNotification; status: number; body: string }> = [];
  url = '';
  private readonly now: () => Date;

  constructor(options: { now?: () => Date } = {}) {
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    this.alipayPublicKeyPem = pair.publicKey;
    this.privateKeyPem = pair.privateKey;
    this.now = options.now ?? (() => new Date());
  }

  get gatewayUrl(): string {
    return `${this.url}/gateway.do`;
  }

  /** A fresh app: a 16-digit app id and an RSA-2048 key pair. */
  static appCredentials(appId?: string): AlipayAppCredentials {
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    return {
      appId: appId ?? `2021${digits(12)}`,
      privateKeyPem: pair.privateKey,
      privateKeyPkcs8Pem: createPrivateKey(pair.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: pair.publicKey,
    };
  }

  /** An app and the public key uploaded for it; sellerId is the merchant's 2088… account. */
  registerApp(appId: string, appPublicKeyPem: string, sellerId?: string): void {
    this.apps.set(appId, { appId, publicKeyPem: appPublicKeyPem, sellerId: sellerId ?? `2088${digits(12)}` });
  }

  /** All trades, by out_trade_no. */
  get trades(): ReadonlyMap<string, AlipayTrade> {
    return new Map([...this.tradeBook.values()].map((t) => [t.outTradeNo, t]));
  }

  /** The trade with this out_trade_no (of this app when several apps used the number). */
  trade(outTradeNo: string, appId?: string): AlipayTrade {
    const hits = [...this.tradeBook.values()].filter(
      (t) => t.outTradeNo === outTradeNo && (!appId || t.appId === appId),
    );
    if (hits.length === 0)
      throw new Error(`no Alipay trade ${outTradeNo} (a wap/page pay trade exists once its pay URL was opened)`);
    if (hits.length > 1) throw new Error(`several apps used out_trade_no ${outTradeNo}: name the app id`);
    return hits[0]!;
  }

  /** The buyer pays: WAIT_BUYER_PAY turns TRADE_SUCCESS. Nothing is notified. */
  pay(outTradeNo: string, opts: { appId?: string; buyerId?: string; buyerLogonId?: string } = {}): AlipayTrade {
    const t = this.trade(outTradeNo, opts.appId);
    if (t.status === 'TRADE_CLOSED') throw new Error(`trade ${outTradeNo} is closed`);
    if (t.status !== 'WAIT_BUYER_PAY') return t;
    t.status = 'TRADE_SUCCESS';
    t.buyerId = opts.buyerId ?? `2088${digits(12)}`;
    t.buyerLogonId = opts.buyerLogonId ?? `${digits(3)}****${digits(4)}`;
    t.gmtPayment = alipayTime(this.now());
    return t;
  }

  /** The trade_status_sync notification Alipay would POST to the trade's notify_url. */
  notification(outTradeNo: string, overrides: AlipayNotificationOverrides = {}): AlipayNotification {
    const t = this.trade(outTradeNo, overrides.forAppId);
    if (!t.notifyUrl) throw new Error(`trade ${outTradeNo} has no notify_url`);
    const now = this.now();
    const amount = overrides.totalAmount ?? t.totalAmount;
    const status = overrides.tradeStatus ?? t.status;
    const paid = status === 'TRADE_SUCCESS' || status === 'TRADE_FINISHED';
    const appId = overrides.appId ?? t.appId;
    const form: Record<string, string> = {
      gmt_create: t.gmtCreate,
      charset: 'utf-8',
      subject: t.subject,
      buyer_id: t.buyerId ?? `2088${digits(12)}`,
      invoice_amount: paid ? amount : '0.00',
      notify_id: overrides.notifyId ?? `${compactTime(now)}${randomBytes(10).toString('hex')}`,
      fund_bill_list: JSON.stringify([{ amount: paid ? amount : '0.00', fundChannel: 'ALIPAYACCOUNT' }]),
      notify_type: 'trade_status_sync',
      trade_status: status,
      receipt_amount: paid ? amount : '0.00',
      buyer_pay_amount: paid ? amount : '0.00',
      app_id: appId,
      seller_id: t.sellerId,
      ...(paid ? { gmt_payment: t.gmtPayment ?? alipayTime(now) } : {}),
      notify_time: alipayTime(now),
      version: '1.0',
      out_trade_no: overrides.outTradeNo ?? t.outTradeNo,
      total_amount: amount,
      trade_no: t.tradeNo,
      auth_app_id: appId,
      buyer_logon_id: t.buyerLogonId ?? `${digits(3)}****${digits(4)}`,
      point_amount: '0.00',
    };
    form.sign_type = 'RSA2';
    form.sign = signRsa(signContent(form, ['sign', 'sign_type']), overrides.signWithKeyPem ?? this.privateKeyPem);
    return { url: t.notifyUrl, form };
  }

  /** POSTs a notification as Alipay does and gives back the merchant's answer (a real one says `success`). */
  async deliver(n: AlipayNotification): Promise<{ status: number; body: string }> {
    const res = await fetch(n.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(n.form).toString(),
      redirect: 'manual',
    });
    const body = await res.text();
    this.deliveries.push({ notification: n, status: res.status, body });
    return { status: res.status, body };
  }

  /** pay() and deliver the notification. */
  async payAndNotify(outTradeNo: string, opts: { appId?: string } = {}): Promise<{ status: number; body: string }> {
    const t = this.pay(outTradeNo, opts);
    return this.deliver(this.notification(outTradeNo, { forAppId: t.appId }));
  }

  /** Opens a pay URL (what pageExecute(method, 'GET', …) returns) as the buyer's browser would. */
  async openPayUrl(payUrl: string): Promise<{ status: number; body: string }> {
    const res = await fetch(payUrl, { redirect: 'manual' });
    return { status: res.status, body: await res.text() };
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req, Buffer.concat(chunks).toString('utf8'), res).catch((e: unknown) => {
          if (!res.headersSent) {
            res.statusCode = 500;
            res.end(String(e));
          }
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

  private async handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const httpMethod = req.method ?? 'GET';
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'] ?? '';
    if (
      httpMethod === 'POST' &&
      raw &&
      (contentType.startsWith('application/x-www-form-urlencoded') || contentType === '')
    ) {
      for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
    }
    const call: AlipayCall = {
      httpMethod,
      path: url.pathname,
      params,
      ...(params.method ? { method: params.method } : {}),
    };
    this.calls.push(call);

    if (url.pathname === '/__pay' && httpMethod === 'POST') return this.confirm(params, res);
    if (url.pathname !== '/gateway.do') {
      res.statusCode = 404;
      res.end('Not Found');
      return;
    }

    const method = params.method;
    const page = method !== undefined && PAGE_METHODS.has(method);
    const refusal = this.checkRequest(params);
    let biz: Node = {};
    if (!refusal && params.biz_content !== undefined) {
      try {
        const parsed = JSON.parse(params.biz_content) as unknown;
        if (isObject(parsed)) biz = parsed;
      } catch {
        biz = {};
      }
      call.bizContent = biz;
    }
    if (page) {
      if (refusal) return html(res, 200, errorPage(refusal));
      return this.openCashier(params, biz, res);
    }
    if (!method) {
      const node = { code: '40001', msg: MSG['40001'], sub_code: 'isv.missing-method', sub_msg: '缺少方法名参数' };
      call.response = node;
      return this.answer(res, 'error_response', node);
    }
    const key = `${method.replaceAll('.', '_')}_response`;
    const node = refusal ? refused(refusal) : this.execute(method, params.app_id!, biz);
    call.response = node;
    return this.answer(res, key, node);
  }

  /** The checks the gateway makes before any method runs. */
  private checkRequest(p: Record<string, string>): Refusal | undefined {
    if (!p.method) return { code: '40001', sub_code: 'isv.missing-method', sub_msg: '缺少方法名参数' };
    if (!p.app_id) return { code: '40001', sub_code: 'isv.missing-app-id', sub_msg: '缺少AppID参数' };
    if (!p.sign_type) return { code: '40001', sub_code: 'isv.missing-signature-type', sub_msg: '缺少签名类型参数' };
    if (!p.sign) return { code: '40001', sub_code: 'isv.missing-signature', sub_msg: '缺少签名参数' };
    if (!p.timestamp) return { code: '40001', sub_code: 'isv.missing-timestamp', sub_msg: '缺少时间戳参数' };
    if (!p.version) return { code: '40001', sub_code: 'isv.missing-version', sub_msg: '缺少版本参数' };
    if (!TIMESTAMP.test(p.timestamp))
      return { code: '40002', sub_code: 'isv.invalid-timestamp', sub_msg: '非法的时间戳参数' };
    if (p.version !== '1.0') return { code: '40002', sub_code: 'isv.invalid-version', sub_msg: '非法的版本参数' };
    if (p.charset && !/^utf-8$/i.test(p.charset))
      return { code: '40002', sub_code: 'isv.invalid-charset', sub_msg: '字符集错误' };
    if (p.format && p.format.toUpperCase() !== 'JSON')
      return { code: '40002', sub_code: 'isv.invalid-format', sub_msg: '无效的数据格式' };
    const app = this.apps.get(p.app_id);
    if (!app) return { code: '40002', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' };
    if (p.sign_type !== 'RSA2')
      return { code: '40002', sub_code: 'isv.invalid-signature-type', sub_msg: '无效签名类型' };
    const content = signContent(p, ['sign']);
    if (!verifyRsa(content, p.sign, app.publicKeyPem)) {
      return {
        code: '40002',
        sub_code: 'isv.invalid-signature',
        sub_msg: `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content.replace(/&/g, '&amp;')}`,
      };
    }
    if (!KNOWN_METHODS.has(p.method))
      return { code: '40002', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' };
    return undefined;
  }

  private execute(method: string, appId: string, biz: Node): Node {
    switch (method) {
      case 'alipay.trade.query':
        return this.query(appId, biz);
      case 'alipay.trade.refund':
        return this.refund(appId, biz);
      case 'alipay.trade.fastpay.refund.query':
        return this.refundQuery(appId, biz);
      case 'alipay.trade.close':
        return this.closeTrade(appId, biz);
      default:
        return refused({ code: '40002', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' });
    }
  }

  private find(appId: string, biz: Node): AlipayTrade | Node {
    const outTradeNo = str(biz.out_trade_no);
    const tradeNo = str(biz.trade_no);
    if (!outTradeNo && !tradeNo)
      return refused({
        code: '40004',
        sub_code: 'ACQ.INVALID_PARAMETER',
        sub_msg: '参数无效：out_trade_no和trade_no不能同时为空',
      });
    const t = tradeNo
      ? [...this.tradeBook.values()].find(
          (x) => x.appId === appId && x.tradeNo === tradeNo && (!outTradeNo || x.outTradeNo === outTradeNo),
        )
      : this.tradeBook.get(`${appId}:${outTradeNo}`);
    return t ?? refused({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' });
  }

  private query(appId: string, biz: Node): Node {
    const t = this.find(appId, biz);
    if (!isTrade(t)) {
      if (t.sub_code !== 'ACQ.TRADE_NOT_EXIST') return t;
      return {
        ...t,
        buyer_pay_amount: '0.00',
        invoice_amount: '0.00',
        out_trade_no: str(biz.out_trade_no) ?? '',
        point_amount: '0.00',
        receipt_amount: '0.00',
      };
    }
    const paid = t.status !== 'WAIT_BUYER_PAY' && t.gmtPayment !== undefined;
    const received = paid ? t.totalAmount : '0.00';
    return {
      code: '10000',
      msg: 'Success',
      ...(t.buyerLogonId ? { buyer_logon_id: t.buyerLogonId } : {}),
      buyer_pay_amount: received,
      ...(t.buyerId ? { buyer_user_id: t.buyerId } : {}),
      invoice_amount: received,
      out_trade_no: t.outTradeNo,
      point_amount: '0.00',
      receipt_amount: received,
      ...(paid ? { send_pay_date: t.gmtPayment } : {}),
      total_amount: t.totalAmount,
      trade_no: t.tradeNo,
      trade_status: t.status,
    };
  }

  private refund(appId: string, biz: Node): Node {
    const t = this.find(appId, biz);
    if (!isTrade(t)) return t;
    const rawAmount = biz.refund_amount;
    const amountText = typeof rawAmount === 'number' ? String(rawAmount) : str(rawAmount);
    if (!amountText || !AMOUNT.test(amountText) || cents(amountText) <= 0) {
      return refused({ code: '40004', sub_code: 'ACQ.INVALID_PARAMETER', sub_msg: '参数无效：refund_amount' });
    }
    const amount = cents(amountText);
    const outRequestNo = str(biz.out_request_no) ?? t.outTradeNo;
    const reason = str(biz.refund_reason);
    const base = {
      buyer_logon_id: t.buyerLogonId,
      buyer_user_id: t.buyerId,
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo,
    };
    const previous = t.refunds.get(outRequestNo);
    if (previous) {
      if (previous.amount !== amount) {
        return refused({
          code: '40004',
          sub_code: 'ACQ.INVALID_PARAMETER',
          sub_msg: '参数无效：同一退款请求号的退款金额与原请求不一致',
        });
      }
      return {
        code: '10000',
        msg: 'Success',
        ...base,
        fund_change: 'N',
        gmt_refund_pay: previous.gmtRefundPay,
        refund_fee: yuan(t.refunded),
        send_back_fee: '0.00',
      };
    }
    if (t.status === 'WAIT_BUYER_PAY')
      return refused({ code: '40004', sub_code: 'ACQ.TRADE_STATUS_ERROR', sub_msg: '交易状态不合法' });
    if (t.status === 'TRADE_CLOSED')
      return refused({ code: '40004', sub_code: 'ACQ.TRADE_HAS_CLOSE', sub_msg: '交易已经关闭' });
    if (t.status === 'TRADE_FINISHED')
      return refused({ code: '40004', sub_code: 'ACQ.TRADE_HAS_FINISHED', sub_msg: '交易已完结' });
    if (amount > t.total - t.refunded)
      return refused({ code: '40004', sub_code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', sub_msg: '退款金额超限' });
    const gmtRefundPay = alipayTime(this.now());
    t.refunds.set(outRequestNo, { outRequestNo, amount, ...(reason ? { reason } : {}), gmtRefundPay });
    t.refunded += amount;
    // A trade refunded in full is closed.
    if (t.refunded === t.total) t.status = 'TRADE_CLOSED';
    return {
      code: '10000',
      msg: 'Success',
      ...base,
      fund_change: 'Y',
      gmt_refund_pay: gmtRefundPay,
      refund_fee: yuan(t.refunded),
      send_back_fee: yuan(amount),
    };
  }

  private refundQuery(appId: string, biz: Node): Node {
    const outRequestNo = str(biz.out_request_no);
    if (!outRequestNo)
      return refused({ code: '40004', sub_code: 'ACQ.INVALID_PARAMETER', sub_msg: '参数无效：out_request_no不能为空' });
    const t = this.find(appId, biz);
    if (!isTrade(t)) return t;
    const r = t.refunds.get(outRequestNo);
    // Alipay answers an unknown refund with a bare success: no refund_status, no amounts.
    if (!r) return { code: '10000', msg: 'Success' };
    return {
      code: '10000',
      msg: 'Success',
      gmt_refund_pay: r.gmtRefundPay,
      out_request_no: r.outRequestNo,
      out_trade_no: t.outTradeNo,
      refund_amount: yuan(r.amount),
      refund_status: 'REFUND_SUCCESS',
      total_amount: t.totalAmount,
      trade_no: t.tradeNo,
    };
  }

  private closeTrade(appId: string, biz: Node): Node {
    const t = this.find(appId, biz);
    if (!isTrade(t)) return t;
    if (
      t.status === 'TRADE_SUCCESS' ||
      t.status === 'TRADE_FINISHED' ||
      (t.status === 'TRADE_CLOSED' && t.refunded > 0)
    ) {
      return refused({ code: '40004', sub_code: 'ACQ.TRADE_STATUS_ERROR', sub_msg: '交易状态不合法' });
    }
    t.status = 'TRADE_CLOSED';
    return { code: '10000', msg: 'Success', out_trade_no: t.outTradeNo, trade_no: t.tradeNo };
  }

  /** The cashier the wap/page pay URL opens: the trade now exists, waiting for the buyer. */
  private openCashier(params: Record<string, string>, biz: Node, res: http.ServerResponse): void {
    const app = this.apps.get(params.app_id!)!;
    const method = params.method!;
    const outTradeNo = str(biz.out_trade_no);
    const subject = str(biz.subject);
    const rawAmount = biz.total_amount;
    const totalAmount = typeof rawAmount === 'number' ? String(rawAmount) : str(rawAmount);
    const productCode = str(biz.product_code);
    const bad = (sub_code: string, sub_msg: string): void =>
      html(res, 200, errorPage({ code: '40004', sub_code, sub_msg }));
    if (!outTradeNo || outTradeNo.length > 64) return bad('ACQ.INVALID_PARAMETER', '参数无效：out_trade_no');
    if (!subject || subject.length > 256) return bad('ACQ.INVALID_PARAMETER', '参数无效：subject');
    if (!totalAmount || !AMOUNT.test(totalAmount) || cents(totalAmount) <= 0 || cents(totalAmount) > 10_000_000_000) {
      return bad('ACQ.INVALID_PARAMETER', '参数无效：total_amount');
    }
    const expectedProduct = method === 'alipay.trade.wap.pay' ? 'QUICK_WAP_WAY' : 'FAST_INSTANT_TRADE_PAY';
    if (productCode !== undefined && productCode !== expectedProduct)
      return bad('ACQ.PRODUCT_CODE_ERROR', `产品码错误，应为${expectedProduct}`);
    const total = cents(totalAmount);
    const key = `${app.appId}:${outTradeNo}`;
    let t = this.tradeBook.get(key);
    if (t) {
      if (t.status === 'TRADE_SUCCESS' || t.status === 'TRADE_FINISHED')
        return bad('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (t.status === 'TRADE_CLOSED') return bad('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      if (t.total !== total || t.subject !== subject) return bad('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      if (params.notify_url) t.notifyUrl = params.notify_url;
      if (params.return_url) t.returnUrl = params.return_url;
    } else {
      const now = this.now();
      t = {
        appId: app.appId,
        sellerId: app.sellerId,
        method,
        outTradeNo,
        tradeNo: `${compactTime(now).slice(0, 8)}22001${digits(15)}`,
        subject,
        total,
        totalAmount: yuan(total),
        ...(productCode ? { productCode } : {}),
        ...(params.notify_url ? { notifyUrl: params.notify_url } : {}),
        ...(params.return_url ? { returnUrl: params.return_url } : {}),
        status: 'WAIT_BUYER_PAY',
        gmtCreate: alipayTime(now),
        refunded: 0,
        refunds: new Map(),
      };
      this.tradeBook.set(key, t);
    }
    html(
      res,
      200,
      `<h1 data-testid="alipay-subject">${escapeHtml(t.subject)}</h1>` +
        `<p data-testid="alipay-amount">￥${t.totalAmount}</p>` +
        `<form method="post" action="/__pay">` +
        `<input type="hidden" name="app_id" value="${escapeHtml(t.appId)}">` +
        `<input type="hidden" name="out_trade_no" value="${escapeHtml(t.outTradeNo)}">` +
        `<button type="submit" data-testid="alipay-confirm">确认付款</button></form>`,
    );
  }

  /** "确认付款": pay, notify, and send the buyer back to the return_url with the signed sync return. */
  private async confirm(params: Record<string, string>, res: http.ServerResponse): Promise<void> {
    const t = this.tradeBook.get(`${params.app_id ?? ''}:${params.out_trade_no ?? ''}`);
    if (!t) return html(res, 404, errorPage({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' }));
    if (t.status === 'TRADE_CLOSED')
      return html(res, 200, errorPage({ code: '40004', sub_code: 'ACQ.TRADE_HAS_CLOSE', sub_msg: '交易已经关闭' }));
    if (t.status === 'WAIT_BUYER_PAY') {
      this.pay(t.outTradeNo, { appId: t.appId });
      if (t.notifyUrl) {
        try {
          await this.deliver(this.notification(t.outTradeNo, { forAppId: t.appId }));
        } catch {
          // Alipay retries later; the buyer is sent back all the same.
        }
      }
    }
    if (!t.returnUrl) return html(res, 200, '<p data-testid="alipay-paid">支付成功</p>');
    const back: Record<string, string> = {
      charset: 'utf-8',
      out_trade_no: t.outTradeNo,
      method: `${t.method}.return`,
      total_amount: t.totalAmount,
      trade_no: t.tradeNo,
      auth_app_id: t.appId,
      version: '1.0',
      app_id: t.appId,
      seller_id: t.sellerId,
      timestamp: alipayTime(this.now()),
    };
    back.sign_type = 'RSA2';
    back.sign = signRsa(signContent(back, ['sign', 'sign_type']), this.privateKeyPem);
    const location = new URL(t.returnUrl);
    for (const [k, v] of Object.entries(back)) location.searchParams.set(k, v);
    res.statusCode = 302;
    res.setHeader('Location', location.toString());
    res.end();
  }

  /** `{"<key>":<node>,"sign":"…"}`, the sign over the exact text of the node. */
  private answer(res: http.ServerResponse, key: string, node: Node): void {
    const nodeText = JSON.stringify(node);
    const sign = signRsa(nodeText, this.privateKeyPem);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/html;charset=utf-8');
    res.end(`{"${key}":${nodeText},"sign":"${sign}"}`);
  }
}

const KNOWN_METHODS = new Set([
  'alipay.trade.query',
  'alipay.trade.refund',
  'alipay.trade.fastpay.refund.query',
  'alipay.trade.close',
  'alipay.trade.wap.pay',
  'alipay.trade.page.pay',
]);

function refused(r: Refusal): Node {
  return { code: r.code, msg: MSG[r.code], sub_code: r.sub_code, sub_msg: r.sub_msg };
}

function isTrade(x: AlipayTrade | Node): x is AlipayTrade {
  return 'tradeNo' in x && 'refunds' in x;
}

function isObject(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Every parameter but the excluded ones and the empty ones, sorted by key, as `k=v&…` (raw values). */
function signContent(params: Record<string, string>, exclude: string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
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

function cents(amount: string): number {
  const [whole, frac = ''] = amount.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

/** Beijing wall-clock time of a date. */
function beijing(d: Date): Date {
  return new Date(d.getTime() + 8 * 3600_000);
}

/** yyyy-MM-dd HH:mm:ss in Beijing time, as Alipay writes times. */
function alipayTime(d: Date): string {
  return beijing(d).toISOString().slice(0, 19).replace('T', ' ');
}

function compactTime(d: Date): string {
  return beijing(d).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function errorPage(r: Refusal): string {
  const code = r.sub_code.replace(/^isv\./, '');
  return `<div data-testid="alipay-error"><h1>支付宝 - 网上支付 安全快速！</h1><p>错误代码：<span data-testid="alipay-error-code">${escapeHtml(code)}</span></p><p>错误原因：${escapeHtml(r.sub_msg)}</p></div>`;
}

function html(res: http.ServerResponse, status: number, content: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>支付宝</title></head><body>${content}</body></html>`,
  );
}
