import { createPrivateKey } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { readZip } from '../../../kernel/zip';
import {
  ACP_VERSION,
  acpTime,
  parseAnswer,
  parseZmFile,
  sign,
  verificationFailure,
  type AcpFields,
  type AcpSigner,
  type AcpTrust,
} from './unionpay-acp';
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
  type SettledPayment,
  type VerifiedEvent,
} from './provider';

export interface UnionPayCredentials {
  merId: string;
  certId: string;
  privateKeyPem: string;
}

/** The trade's state from a query's `origRespCode`: 00 / A6 paid, 03 / 04 / 05 still being processed. */
const PROCESSING = new Set(['03', '04', '05']);
/** A query of a trade UnionPay never saw. */
const NOT_FOUND = '34';

/** The txnTime our numbers carry: P/R, then China time to the second (see payments' `number`). */
export const txnTimeOf = (no: string) => no.slice(1, 15);

/**
 * UnionPay's online gateway (全渠道, acp 5.1.0) on node:crypto: the mobile web payment (front consume, txnType 01,
 * channelType 08) as a form the shop's h5 posts to UnionPay; the back notification (the source of truth) verified
 * against UnionPay's certificate chain; query (txnType 00), refund (txnType 04, accepted at once, settled by its own
 * back notification). UnionPay has no close for a front consume: the trade lapses at `payTimeout`, and a payment that
 * still comes is refunded as late.
 */
export class UnionPayProvider implements PaymentProvider {
  readonly name = 'unionpay' as const;
  private readonly signer: AcpSigner;

  constructor(
    private readonly creds: UnionPayCredentials,
    private readonly opts: { gateway: string; trust: AcpTrust; now: () => Date; timeoutMs?: number },
  ) {
    this.signer = { certId: creds.certId, privateKey: createPrivateKey(creds.privateKeyPem) };
  }

  private base(txnType: string, txnSubType: string): AcpFields {
    return {
      version: ACP_VERSION,
      encoding: 'UTF-8',
      signMethod: '01',
      txnType,
      txnSubType,
      bizType: '000201',
      accessType: '0',
      merId: this.creds.merId,
    };
  }

  /** A signed back-end call; the answer is trusted only when UnionPay's signature over it checks. */
  private async call(path: string, fields: AcpFields): Promise<AcpFields> {
    let text: string;
    try {
      const res = await fetch(`${this.opts.gateway}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(sign(fields, this.signer)).toString(),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (err) {
      throw new ProviderUnavailable(`UnionPay ${path}: ${(err as Error).message}`);
    }
    const answer = parseAnswer(text);
    // A refusal of the request itself (bad signature, bad field) comes unsigned; anything else must verify.
    if (answer.signature === undefined && answer.respCode && answer.respCode !== '00')
      throw new ProviderRefused(answer.respCode, answer.respMsg ?? 'refused');
    const failure = verificationFailure(answer, this.opts.trust, this.opts.now());
    if (failure) throw new ProviderUnavailable(`UnionPay ${path}: answer not trusted (${failure})`);
    return answer;
  }

  async prepay(input: PrepayInput): Promise<Prepaid> {
    if (input.method !== 'unionpay_wap')
      throw new ProviderRefused('METHOD_NOT_SUPPORTED', `UnionPay does not take ${input.method}`);
    const fields = sign(
      {
        ...this.base('01', '01'),
        channelType: '08',
        orderId: input.paymentNo,
        txnTime: txnTimeOf(input.paymentNo),
        txnAmt: String(input.amountFen),
        currencyCode: '156',
        backUrl: input.notifyUrl,
        ...(input.returnUrl ? { frontUrl: input.returnUrl } : {}),
        payTimeout: acpTime(input.expiresAt),
        riskRateInfo: `{commodityName=${input.description.slice(0, 60).replace(/[{}&=]/g, ' ')}}`,
      },
      this.signer,
    );
    return { method: 'unionpay_wap', action: `${this.opts.gateway}/gateway/api/frontTransReq.do`, fields };
  }

  verifyNotification(incoming: IncomingNotification): VerifiedEvent {
    const form: AcpFields = Object.fromEntries(new URLSearchParams(incoming.rawBody));
    const failure = verificationFailure(form, this.opts.trust, this.opts.now());
    if (failure) throw new NotificationRejected(failure);
    if (form.merId !== this.creds.merId) throw new NotificationRejected('the notification is for another merchant');
    if (!form.queryId || !form.orderId) throw new NotificationRejected('no queryId or orderId');
    const amountFen = /^\d{1,12}$/.test(form.txnAmt ?? '') ? Number(form.txnAmt) : null;
    if (amountFen === null) throw new NotificationRejected('malformed txnAmt');
    const notificationId = `${form.txnType}:${form.queryId}`;
    if (form.txnType === '04')
      return {
        kind: 'refund',
        notificationId,
        refundNo: form.orderId,
        providerRefundId: form.queryId,
        succeeded: form.respCode === '00' || form.respCode === 'A6',
        amountFen,
      };
    if (form.txnType !== '01') return { kind: 'ignored', notificationId, reason: `txnType ${form.txnType}` };
    if (form.respCode !== '00' && form.respCode !== 'A6')
      return { kind: 'ignored', notificationId, reason: `respCode ${form.respCode}` };
    return {
      kind: 'payment',
      notificationId,
      paymentNo: form.orderId,
      transactionId: form.queryId,
      amountFen,
      paidAt: this.opts.now(),
      payer: form.accNo ?? null,
    };
  }

  /** UnionPay resends until it gets HTTP 200. */
  ack(ok: boolean, message?: string): NotificationAck {
    return ok
      ? { status: 200, contentType: 'text/plain', body: 'ok' }
      : { status: 400, contentType: 'text/plain', body: message ?? 'fail' };
  }

  async query(paymentNo: string): Promise<ProviderTrade> {
    const a = await this.call('/gateway/api/queryTrans.do', {
      ...this.base('00', '00'),
      orderId: paymentNo,
      txnTime: txnTimeOf(paymentNo),
    });
    if (a.respCode === NOT_FOUND) return { state: 'not_found', amountFen: null, transactionId: null, paidAt: null };
    if (a.respCode !== '00') throw new ProviderRefused(String(a.respCode), a.respMsg ?? 'query refused');
    const paid = a.origRespCode === '00' || a.origRespCode === 'A6';
    return {
      state: paid ? 'paid' : PROCESSING.has(a.origRespCode ?? '') ? 'unpaid' : 'closed',
      amountFen: /^\d+$/.test(a.txnAmt ?? '') ? Number(a.txnAmt) : null,
      transactionId: a.queryId ?? null,
      paidAt: paid ? this.opts.now() : null,
    };
  }

  /**
   * The day's merchant settlement file (fileTransfer.do, txnType 76, fileType 00, settleDate MMDD): `fileContent` is
   * base64 of a zlib-deflated zip whose `…ZM_…` file lists the settled trades; its consumes (txnType 01) of this merchant.
   */
  async settled(day: string): Promise<SettledPayment[]> {
    const a = await this.call('/gateway/api/fileTransfer.do', {
      ...this.base('76', '01'),
      bizType: '000000',
      settleDate: day.slice(5, 7) + day.slice(8, 10),
      txnTime: acpTime(this.opts.now()),
      fileType: '00',
    });
    if (a.respCode !== '00' || !a.fileContent)
      throw new ProviderRefused(String(a.respCode), a.respMsg ?? 'no settlement file');
    let files: Map<string, Buffer>;
    try {
      files = await readZip(inflateSync(Buffer.from(a.fileContent, 'base64')));
    } catch (err) {
      throw new ProviderUnavailable(`UnionPay settlement file unreadable: ${(err as Error).message}`);
    }
    const zm = [...files.entries()].filter(([name]) => /ZM_/.test(name) && !/ZME_/.test(name));
    return zm
      .flatMap(([, bytes]) => parseZmFile(bytes))
      .filter((t) => t.txnType === '01' && t.merId === this.creds.merId)
      .map((t) => ({ paymentNo: t.orderId, transactionId: t.queryId, amountFen: t.amountFen }));
  }

  /** Nothing to close: a front consume lapses at its payTimeout. */
  async close(): Promise<void> {}

  async refund(input: {
    paymentNo: string;
    refundNo: string;
    amountFen: number;
    notifyUrl: string;
  }): Promise<RefundResult> {
    // A refund names the consume by UnionPay's number (origQryId), which its query gives.
    const trade = await this.query(input.paymentNo);
    if (trade.state !== 'paid' || !trade.transactionId)
      throw new ProviderRefused('TRADE_NOT_PAID', `UnionPay has the trade ${trade.state}`);
    const a = await this.call('/gateway/api/backTransReq.do', {
      ...this.base('04', '00'),
      channelType: '07',
      orderId: input.refundNo,
      origQryId: trade.transactionId,
      txnTime: txnTimeOf(input.refundNo),
      txnAmt: String(input.amountFen),
      backUrl: input.notifyUrl,
    });
    if (a.respCode !== '00' && !PROCESSING.has(a.respCode ?? ''))
      throw new ProviderRefused(String(a.respCode), a.respMsg ?? 'refund refused');
    return { status: 'processing', providerRefundId: a.queryId ?? null };
  }
}
