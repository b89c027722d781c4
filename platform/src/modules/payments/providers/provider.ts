import type { PaymentMethod, PaymentProviderName, PayParams } from '@shopfleet/contracts';

/** What the client needs to pay, without our payment number (the service adds it). */
export type Prepaid = PayParams extends infer P
  ? P extends { paymentNo: string }
    ? Omit<P, 'paymentNo'>
    : never
  : never;

export interface PrepayInput {
  method: PaymentMethod;
  paymentNo: string;
  amountFen: number;
  description: string;
  /** The payer's openid in the tenant's mini-program (JSAPI). */
  openid: string | null;
  clientIp: string;
  expiresAt: Date;
  notifyUrl: string;
  returnUrl: string | null;
}

/** A notification whose signature, age and encryption were checked: what the provider says happened. */
export type VerifiedEvent =
  | {
      kind: 'payment';
      notificationId: string;
      paymentNo: string;
      transactionId: string;
      amountFen: number;
      paidAt: Date;
      payer: string | null;
    }
  | {
      kind: 'refund';
      notificationId: string;
      refundNo: string;
      providerRefundId: string | null;
      succeeded: boolean;
      amountFen: number;
    }
  /** A notification we have nothing to do for (e.g. a trade closed); acknowledged so it is not resent. */
  | { kind: 'ignored'; notificationId: string; reason: string };

export interface ProviderTrade {
  state: 'paid' | 'unpaid' | 'closed' | 'refunded' | 'not_found';
  amountFen: number | null;
  transactionId: string | null;
  paidAt: Date | null;
}

/** A payment on a provider's statement of a day (UnionPay's settlement file). */
export interface SettledPayment {
  paymentNo: string;
  transactionId: string;
  amountFen: number;
}

export interface RefundResult {
  /** Alipay and the sandbox answer at once; WeChat Pay says PROCESSING and notifies later. */
  status: 'processing' | 'succeeded';
  providerRefundId: string | null;
}

export interface IncomingNotification {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

/** The answer a provider expects to a notification: WeChat Pay wants 200/204 or a JSON failure, Alipay the text `success`. */
export interface NotificationAck {
  status: number;
  contentType: string;
  body: string;
}

/**
 * One payment provider, bound to one tenant's credentials. Every call is idempotent on our numbers
 * (out_trade_no = paymentNo, out_refund_no = refundNo), so a retry never pays or refunds twice.
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  prepay(input: PrepayInput): Promise<Prepaid>;
  /** Verifies and decodes a notification; throws NotificationRejected when it cannot be trusted. */
  verifyNotification(incoming: IncomingNotification): VerifiedEvent;
  ack(ok: boolean, message?: string): NotificationAck;
  query(paymentNo: string): Promise<ProviderTrade>;
  /** The payments the provider settled on a China-time day (YYYY-MM-DD), from its daily file; providers without one leave it out. */
  settled?(day: string): Promise<SettledPayment[]>;
  close(paymentNo: string): Promise<void>;
  refund(input: {
    paymentNo: string;
    refundNo: string;
    amountFen: number;
    totalFen: number;
    reason: string;
    notifyUrl: string;
  }): Promise<RefundResult>;
}

/** A notification that failed verification: nothing is applied, and the reason is logged. */
export class NotificationRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The provider refused a call for good (bad request, not enough to refund): retrying will not help. */
export class ProviderRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The provider could not be reached or failed (network, 5xx, a response whose signature is wrong): retry later. */
export class ProviderUnavailable extends Error {}

export function header(headers: IncomingNotification['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
