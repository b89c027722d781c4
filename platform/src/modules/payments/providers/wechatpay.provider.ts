import { randomBytes } from 'node:crypto';
import { chinaRfc3339 } from '../../../kernel/china-time';
import { refused, WechatPayV3, type Answer, type WechatPayV3Options } from './wechatpay-v3';
import {
  NotificationRejected,
  ProviderRefused,
  type IncomingNotification,
  type NotificationAck,
  type PaymentProvider,
  type Prepaid,
  type PrepayInput,
  type ProviderTrade,
  type RefundResult,
  type VerifiedEvent,
} from './provider';

/**
 * One tenant's WeChat Pay account: its own merchant account, or a sub-merchant of the platform's
 * service-provider account (then mchId, keys and public key are the service provider's, and
 * subMchId / spAppId name the sub-merchant). Public-key mode: WeChat Pay signs with the key of publicKeyId.
 */
export interface WechatPayCredentials {
  mode: 'merchant' | 'partner';
  /** The tenant's mini-program AppID (appid, or sub_appid in partner mode). */
  appId: string;
  mchId: string;
  subMchId: string | null;
  spAppId: string | null;
  serialNo: string;
  privateKeyPem: string;
  apiV3Key: string;
  publicKeyId: string;
  publicKeyPem: string;
}

export type { WechatPayV3Options as WechatPayOptions } from './wechatpay-v3';

/**
 * WeChat Pay API v3 payments. The signed HTTP, the answer and notification checks and the decryption are
 * `WechatPayV3` (shared with the service provider's complaints client); this is the payment side.
 */
export class WechatPayProvider implements PaymentProvider {
  readonly name = 'wechatpay' as const;
  private readonly v3: WechatPayV3;

  constructor(
    private readonly creds: WechatPayCredentials,
    private readonly opts: WechatPayV3Options,
  ) {
    this.v3 = new WechatPayV3(creds, opts);
  }

  private get partner(): boolean {
    return this.creds.mode === 'partner';
  }

  private call(method: 'GET' | 'POST', pathWithQuery: string, body?: Record<string, unknown>): Promise<Answer> {
    return this.v3.call(method, pathWithQuery, body);
  }

  private refuse(a: Answer): never {
    return refused(a);
  }

  async prepay(input: PrepayInput): Promise<Prepaid> {
    const kind =
      input.method === 'wechat_jsapi'
        ? 'jsapi'
        : input.method === 'wechat_h5'
          ? 'h5'
          : input.method === 'wechat_native'
            ? 'native'
            : null;
    if (!kind) throw new ProviderRefused('METHOD_NOT_SUPPORTED', `WeChat Pay does not take ${input.method}`);
    const c = this.creds;
    const body: Record<string, unknown> = {
      ...(this.partner
        ? { sp_appid: c.spAppId, sp_mchid: c.mchId, sub_appid: c.appId, sub_mchid: c.subMchId }
        : { appid: c.appId, mchid: c.mchId }),
      description: input.description.slice(0, 127),
      out_trade_no: input.paymentNo,
      time_expire: chinaRfc3339(input.expiresAt),
      notify_url: input.notifyUrl,
      amount: { total: input.amountFen, currency: 'CNY' },
    };
    if (kind === 'jsapi') {
      if (!input.openid)
        throw new ProviderRefused(
          'NO_OPENID',
          'WeChat Pay in the mini-program needs the shopper signed in with WeChat',
        );
      body.payer = this.partner ? { sub_openid: input.openid } : { openid: input.openid };
    }
    if (kind === 'h5') body.scene_info = { payer_client_ip: input.clientIp, h5_info: { type: 'Wap' } };
    if (kind === 'native') body.scene_info = { payer_client_ip: input.clientIp };
    const answer = await this.call('POST', `/v3/pay/${this.partner ? 'partner/' : ''}transactions/${kind}`, body);
    if (answer.status !== 200) this.refuse(answer);
    if (kind === 'h5') {
      const url = String(answer.body.h5_url);
      return {
        method: 'wechat_h5',
        h5Url: input.returnUrl ? `${url}&redirect_url=${encodeURIComponent(input.returnUrl)}` : url,
      };
    }
    if (kind === 'native') return { method: 'wechat_native', codeUrl: String(answer.body.code_url) };
    const params = {
      appId: c.appId,
      timeStamp: String(Math.floor(this.opts.now().getTime() / 1000)),
      nonceStr: randomBytes(16).toString('hex'),
      package: `prepay_id=${String(answer.body.prepay_id)}`,
    };
    const paySign = this.v3.sign(`${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`);
    return { method: 'wechat_jsapi', requestPayment: { ...params, signType: 'RSA', paySign } };
  }

  verifyNotification(incoming: IncomingNotification): VerifiedEvent {
    const { id, eventType, plain } = this.v3.open(incoming);
    const c = this.creds;
    const ownAccount = this.partner
      ? plain.sp_mchid === c.mchId && plain.sub_mchid === c.subMchId
      : plain.mchid === c.mchId;
    if (!ownAccount) throw new NotificationRejected('the notification is for another merchant account');
    const amount = (plain.amount ?? {}) as Record<string, unknown>;
    if (eventType === 'TRANSACTION.SUCCESS') {
      if (plain.trade_state !== 'SUCCESS')
        return { kind: 'ignored', notificationId: id, reason: `trade_state ${String(plain.trade_state)}` };
      const payer = (plain.payer ?? {}) as Record<string, unknown>;
      return {
        kind: 'payment',
        notificationId: id,
        paymentNo: String(plain.out_trade_no),
        transactionId: String(plain.transaction_id),
        amountFen: Number(amount.total),
        paidAt: new Date(String(plain.success_time)),
        payer: String(payer.sub_openid ?? payer.openid ?? payer.sp_openid ?? '') || null,
      };
    }
    if (eventType.startsWith('REFUND.')) {
      return {
        kind: 'refund',
        notificationId: id,
        refundNo: String(plain.out_refund_no),
        providerRefundId: plain.refund_id ? String(plain.refund_id) : null,
        succeeded: eventType === 'REFUND.SUCCESS' && plain.refund_status === 'SUCCESS',
        amountFen: Number(amount.refund),
      };
    }
    return { kind: 'ignored', notificationId: id, reason: `event ${eventType}` };
  }

  ack(ok: boolean, message = ''): NotificationAck {
    return ok
      ? { status: 204, contentType: 'application/json', body: '' }
      : {
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'FAIL', message: message || '失败' }),
        };
  }

  private accountQuery(): string {
    return this.partner ? `sp_mchid=${this.creds.mchId}&sub_mchid=${this.creds.subMchId}` : `mchid=${this.creds.mchId}`;
  }

  async query(paymentNo: string): Promise<ProviderTrade> {
    const answer = await this.call(
      'GET',
      `/v3/pay/${this.partner ? 'partner/' : ''}transactions/out-trade-no/${encodeURIComponent(paymentNo)}?${this.accountQuery()}`,
    );
    if (answer.status === 404 || answer.body.code === 'ORDER_NOT_EXIST')
      return { state: 'not_found', amountFen: null, transactionId: null, paidAt: null };
    if (answer.status !== 200) this.refuse(answer);
    const b = answer.body;
    const state =
      (
        { SUCCESS: 'paid', REFUND: 'refunded', CLOSED: 'closed', REVOKED: 'closed' } as Record<
          string,
          ProviderTrade['state']
        >
      )[String(b.trade_state)] ?? 'unpaid';
    const amount = (b.amount ?? {}) as Record<string, unknown>;
    return {
      state,
      amountFen: amount.total === undefined ? null : Number(amount.total),
      transactionId: b.transaction_id ? String(b.transaction_id) : null,
      paidAt: b.success_time ? new Date(String(b.success_time)) : null,
    };
  }

  async close(paymentNo: string): Promise<void> {
    const body = this.partner
      ? { sp_mchid: this.creds.mchId, sub_mchid: this.creds.subMchId }
      : { mchid: this.creds.mchId };
    const answer = await this.call(
      'POST',
      `/v3/pay/${this.partner ? 'partner/' : ''}transactions/out-trade-no/${encodeURIComponent(paymentNo)}/close`,
      body,
    );
    if (answer.status !== 204 && answer.status !== 200 && answer.body.code !== 'ORDER_CLOSED') this.refuse(answer);
  }

  async refund(input: {
    paymentNo: string;
    refundNo: string;
    amountFen: number;
    totalFen: number;
    reason: string;
    notifyUrl: string;
  }): Promise<RefundResult> {
    const answer = await this.call('POST', '/v3/refund/domestic/refunds', {
      ...(this.partner ? { sub_mchid: this.creds.subMchId } : {}),
      out_trade_no: input.paymentNo,
      out_refund_no: input.refundNo,
      reason: input.reason.slice(0, 80),
      notify_url: input.notifyUrl,
      amount: { refund: input.amountFen, total: input.totalFen, currency: 'CNY' },
    });
    if (answer.status !== 200) this.refuse(answer);
    return {
      status: answer.body.status === 'SUCCESS' ? 'succeeded' : 'processing',
      providerRefundId: answer.body.refund_id ? String(answer.body.refund_id) : null,
    };
  }
}
