import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  header,
  NotificationRejected,
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
 * The sandbox of a shop in test mode: no money moves. A shopper "pays" by confirming, which produces a
 * notification signed with the tenant's sandbox key and sent through the same verification and
 * application path as a real provider's. Refunds succeed at once.
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;

  constructor(
    /** HMAC key of this tenant's sandbox notifications. */
    private readonly key: Buffer,
    private readonly opts: { maxAgeSeconds: number; now: () => Date },
  ) {}

  async prepay(input: PrepayInput): Promise<Prepaid> {
    return { method: 'sandbox', amountFen: input.amountFen };
  }

  /** The notification the sandbox "provider" sends when the shopper confirms a payment. */
  notification(payment: { paymentNo: string; amountFen: number }): IncomingNotification {
    const body = JSON.stringify({
      id: randomUUID(),
      event: 'payment.succeeded',
      paymentNo: payment.paymentNo,
      amountFen: payment.amountFen,
      transactionId: `SANDBOX-${payment.paymentNo}`,
    });
    const ts = String(Math.floor(this.opts.now().getTime() / 1000));
    return { headers: { 'x-sandbox-timestamp': ts, 'x-sandbox-signature': this.sign(ts, body) }, rawBody: body };
  }

  private sign(ts: string, body: string): string {
    return createHmac('sha256', this.key).update(`${ts}\n${body}`).digest('base64');
  }

  verifyNotification(incoming: IncomingNotification): VerifiedEvent {
    const ts = header(incoming.headers, 'x-sandbox-timestamp') ?? '';
    const given = Buffer.from(header(incoming.headers, 'x-sandbox-signature') ?? '', 'base64');
    const expected = Buffer.from(this.sign(ts, incoming.rawBody), 'base64');
    if (!/^\d{1,12}$/.test(ts) || given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new NotificationRejected('bad sandbox signature');
    if (Math.abs(this.opts.now().getTime() / 1000 - Number(ts)) > this.opts.maxAgeSeconds)
      throw new NotificationRejected('sandbox notification too old');
    const b = JSON.parse(incoming.rawBody) as {
      id: string;
      event: string;
      paymentNo: string;
      amountFen: number;
      transactionId: string;
    };
    if (b.event !== 'payment.succeeded') return { kind: 'ignored', notificationId: b.id, reason: b.event };
    return {
      kind: 'payment',
      notificationId: b.id,
      paymentNo: b.paymentNo,
      transactionId: b.transactionId,
      amountFen: b.amountFen,
      paidAt: this.opts.now(),
      payer: null,
    };
  }

  ack(ok: boolean, message = ''): NotificationAck {
    return {
      status: ok ? 200 : 400,
      contentType: 'application/json',
      body: JSON.stringify(ok ? { ok: true } : { ok: false, message }),
    };
  }

  /** The sandbox keeps no books: our own record is the only one. */
  async query(): Promise<ProviderTrade> {
    return { state: 'not_found', amountFen: null, transactionId: null, paidAt: null };
  }

  async close(): Promise<void> {}

  async refund(input: { refundNo: string }): Promise<RefundResult> {
    return { status: 'succeeded', providerRefundId: `SANDBOX-${input.refundNo}` };
  }
}
