import { AlipaySdk } from 'alipay-sdk';
import { chinaDateTime } from '../../../kernel/china-time';
import { fenOf, yuan } from '../../../kernel/money';
import {
  NotificationRejected,
  ProviderRefused,
  ProviderUnavailable,
  type IncomingNotification,
  type NotificationAck,
  type PaymentProvider,
  type Prepaid,
  type PrepayInput,
  type ProviderTrade,
  type RefundResult,
  type VerifiedEvent,
} from './provider';

export interface AlipayCredentials {
  appId: string;
  privateKeyPem: string;
  alipayPublicKeyPem: string;
}

type AlipayAnswer = Record<string, unknown> & { code?: string; msg?: string; subCode?: string; subMsg?: string };

function parseChinaClock(text: unknown): Date | null {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
    ? new Date(`${text.replace(' ', 'T')}+08:00`)
    : null;
}

/**
 * Alipay's mobile-site payment (alipay.trade.wap.pay) for the web build, through alipay-sdk: RSA2
 * signatures on requests, responses checked against Alipay's public key, notifications verified with
 * the SDK. Refunds are synchronous; Alipay sends no refund notification.
 */
export class AlipayProvider implements PaymentProvider {
  readonly name = 'alipay' as const;
  private readonly sdk: AlipaySdk;

  constructor(
    private readonly creds: AlipayCredentials,
    opts: { gateway: string; timeoutMs?: number },
  ) {
    this.sdk = new AlipaySdk({
      appId: creds.appId,
      privateKey: creds.privateKeyPem,
      keyType: creds.privateKeyPem.includes('BEGIN RSA PRIVATE KEY') ? 'PKCS1' : 'PKCS8',
      alipayPublicKey: creds.alipayPublicKeyPem,
      gateway: opts.gateway,
      signType: 'RSA2',
      camelcase: true,
      timeout: opts.timeoutMs ?? 10_000,
    });
  }

  private async exec(method: string, bizContent: Record<string, unknown>): Promise<AlipayAnswer> {
    try {
      return (await this.sdk.exec(method, { bizContent }, { validateSign: true })) as AlipayAnswer;
    } catch (err) {
      throw new ProviderUnavailable(`Alipay ${method}: ${(err as Error).message}`);
    }
  }

  async prepay(input: PrepayInput): Promise<Prepaid> {
    if (input.method !== 'alipay_wap')
      throw new ProviderRefused('METHOD_NOT_SUPPORTED', `Alipay does not take ${input.method}`);
    const redirectUrl = this.sdk.pageExecute('alipay.trade.wap.pay', 'GET', {
      bizContent: {
        out_trade_no: input.paymentNo,
        total_amount: yuan(input.amountFen),
        subject: input.description.slice(0, 256),
        product_code: 'QUICK_WAP_WAY',
        time_expire: chinaDateTime(input.expiresAt),
      },
      notifyUrl: input.notifyUrl,
      ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
    });
    return { method: 'alipay_wap', redirectUrl };
  }

  verifyNotification(incoming: IncomingNotification): VerifiedEvent {
    const form = Object.fromEntries(new URLSearchParams(incoming.rawBody));
    let valid = false;
    try {
      valid = typeof form.sign === 'string' && this.sdk.checkNotifySignV2(form);
    } catch {
      valid = false;
    }
    if (!valid) throw new NotificationRejected('bad Alipay signature');
    if (form.app_id !== this.creds.appId) throw new NotificationRejected('the notification is for another Alipay app');
    const id = String(form.notify_id ?? '');
    if (!id) throw new NotificationRejected('no notify_id');
    if (form.trade_status !== 'TRADE_SUCCESS' && form.trade_status !== 'TRADE_FINISHED')
      return { kind: 'ignored', notificationId: id, reason: `trade_status ${String(form.trade_status)}` };
    const amountFen = fenOf(String(form.total_amount ?? ''));
    if (amountFen === null) throw new NotificationRejected('malformed total_amount');
    return {
      kind: 'payment',
      notificationId: id,
      paymentNo: String(form.out_trade_no),
      transactionId: String(form.trade_no),
      amountFen,
      paidAt: parseChinaClock(form.gmt_payment) ?? new Date(),
      payer: form.buyer_id ? String(form.buyer_id) : null,
    };
  }

  ack(ok: boolean): NotificationAck {
    return { status: 200, contentType: 'text/plain', body: ok ? 'success' : 'fail' };
  }

  async query(paymentNo: string): Promise<ProviderTrade> {
    const a = await this.exec('alipay.trade.query', { out_trade_no: paymentNo });
    if (a.code !== '10000') {
      if (a.subCode === 'ACQ.TRADE_NOT_EXIST')
        return { state: 'not_found', amountFen: null, transactionId: null, paidAt: null };
      throw new ProviderRefused(String(a.subCode ?? a.code), String(a.subMsg ?? a.msg));
    }
    const state =
      (
        { TRADE_SUCCESS: 'paid', TRADE_FINISHED: 'paid', TRADE_CLOSED: 'closed' } as Record<
          string,
          ProviderTrade['state']
        >
      )[String(a.tradeStatus)] ?? 'unpaid';
    return {
      state,
      amountFen: fenOf(String(a.totalAmount ?? '')),
      transactionId: a.tradeNo ? String(a.tradeNo) : null,
      paidAt: parseChinaClock(a.sendPayDate),
    };
  }

  async close(paymentNo: string): Promise<void> {
    const a = await this.exec('alipay.trade.close', { out_trade_no: paymentNo });
    // A trade the shopper never opened does not exist at Alipay yet: nothing to close.
    if (a.code !== '10000' && a.subCode !== 'ACQ.TRADE_NOT_EXIST')
      throw new ProviderRefused(String(a.subCode ?? a.code), String(a.subMsg ?? a.msg));
  }

  async refund(input: {
    paymentNo: string;
    refundNo: string;
    amountFen: number;
    reason: string;
  }): Promise<RefundResult> {
    const a = await this.exec('alipay.trade.refund', {
      out_trade_no: input.paymentNo,
      refund_amount: yuan(input.amountFen),
      out_request_no: input.refundNo,
      refund_reason: input.reason,
    });
    if (a.code !== '10000') {
      if (a.code === '20000') throw new ProviderUnavailable(`Alipay refund: ${String(a.subMsg ?? a.msg)}`);
      throw new ProviderRefused(String(a.subCode ?? a.code), String(a.subMsg ?? a.msg));
    }
    return { status: 'succeeded', providerRefundId: a.tradeNo ? `${String(a.tradeNo)}:${input.refundNo}` : null };
  }
}
