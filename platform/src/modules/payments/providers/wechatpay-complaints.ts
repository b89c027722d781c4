import { NotificationRejected, type IncomingNotification } from './provider';
import { refused, WechatPayV3, type WechatPayV3Keys, type WechatPayV3Options } from './wechatpay-v3';

/** A WeChat Pay consumer complaint (消费者投诉 2.0) as its detail gives it. */
export interface WechatComplaint {
  complaintId: string;
  complainedAt: Date;
  /** The shopper's words. */
  detail: string;
  /** PENDING (待处理), PROCESSING (处理中), PROCESSED (已处理完成). */
  state: string;
  /** The sub-merchant complained about. */
  complaintedMchid: string;
  /** The trades it is about: WeChat Pay's transaction id, our payment number, the amount in fen. */
  orders: Array<{ transactionId: string; outTradeNo: string; amountFen: number }>;
  /** The shopper's images (WeChat Pay's media links, downloaded with a signed request). */
  mediaUrls: string[];
  problemDescription: string;
  /** REFUND (申请退款), SERVICE_NOT_WORK, OTHERS. */
  problemType: string;
  applyRefundFen: number | null;
}

/** A line of a complaint's negotiation history. */
export interface WechatNegotiation {
  logId: string;
  /** 投诉人 / 商户 / 微信支付客服 / 系统… as WeChat Pay names who acted. */
  operator: string;
  at: Date;
  /** USER_CREATE_COMPLAINT, USER_CONTINUE_COMPLAINT, USER_RESPONSE, MERCHANT_RESPONSE, PLATFORM_RESPONSE, … */
  type: string;
  details: string;
  mediaUrls: string[];
}

/** A complaint notification, verified and decrypted. */
export interface ComplaintNotification {
  notificationId: string;
  complaintId: string;
  /** CREATE_COMPLAINT, CONTINUE_COMPLAINT, USER_RESPONSE, RESPONSE_BY_PLATFORM, SELLER_REFUND, MERCHANT_RESPONSE, … */
  actionType: string;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function toComplaint(b: Record<string, unknown>): WechatComplaint {
  const orders = Array.isArray(b.complaint_order_info)
    ? (b.complaint_order_info as Array<Record<string, unknown>>)
    : [];
  const media = Array.isArray(b.complaint_media_list) ? (b.complaint_media_list as Array<Record<string, unknown>>) : [];
  return {
    complaintId: str(b.complaint_id),
    complainedAt: new Date(str(b.complaint_time)),
    detail: str(b.complaint_detail),
    state: str(b.complaint_state),
    complaintedMchid: str(b.complainted_mchid),
    orders: orders.map((o) => ({
      transactionId: str(o.transaction_id),
      outTradeNo: str(o.out_trade_no),
      amountFen: Number(o.amount ?? 0),
    })),
    mediaUrls: media.flatMap((m) => (Array.isArray(m.media_url) ? (m.media_url as unknown[]).map(str) : [])),
    problemDescription: str(b.problem_description),
    problemType: str(b.problem_type),
    applyRefundFen: b.apply_refund_amount === undefined ? null : Number(b.apply_refund_amount),
  };
}

/**
 * WeChat Pay's consumer complaints (消费者投诉 2.0) for the platform's service-provider account: the complaints of its
 * sub-merchants — the notification, the list, the detail and negotiation history, the reply to the shopper, the refund
 * decision of a 申请退款 complaint, and completion; and the notification URL's registration.
 */
export class WechatPayComplaints {
  private readonly v3: WechatPayV3;

  constructor(keys: WechatPayV3Keys, opts: WechatPayV3Options) {
    this.v3 = new WechatPayV3(keys, opts);
  }

  /** Checks WeChat Pay's signature and decrypts a complaint notification (COMPLAINT.* events). */
  verifyNotification(incoming: IncomingNotification): ComplaintNotification {
    const { id, eventType, plain } = this.v3.open(incoming);
    if (!eventType.startsWith('COMPLAINT.')) throw new NotificationRejected('not a complaint notification');
    if (typeof plain.complaint_id !== 'string') throw new NotificationRejected('no complaint_id');
    return { notificationId: id, complaintId: plain.complaint_id, actionType: str(plain.action_type) };
  }

  async detail(complaintId: string): Promise<WechatComplaint> {
    const a = await this.v3.call('GET', `/v3/merchant-service/complaints-v2/${encodeURIComponent(complaintId)}`);
    if (a.status !== 200) refused(a);
    return toComplaint(a.body);
  }

  /** Complaints filed between two China dates (at most 30 days apart), every page. */
  async list(beginDate: string, endDate: string): Promise<WechatComplaint[]> {
    const out: WechatComplaint[] = [];
    for (let offset = 0; ;) {
      const q = new URLSearchParams({ limit: '50', offset: String(offset), begin_date: beginDate, end_date: endDate });
      const a = await this.v3.call('GET', `/v3/merchant-service/complaints-v2?${q}`);
      if (a.status !== 200) refused(a);
      const page = Array.isArray(a.body.data) ? (a.body.data as Array<Record<string, unknown>>) : [];
      out.push(...page.map(toComplaint));
      offset += page.length;
      const total = a.body.total_count === undefined ? null : Number(a.body.total_count);
      if (page.length < 50 || (total !== null && offset >= total)) return out;
    }
  }

  /** A complaint's negotiation history, oldest first, every page. */
  async history(complaintId: string): Promise<WechatNegotiation[]> {
    const out: WechatNegotiation[] = [];
    for (let offset = 0; ;) {
      const a = await this.v3.call(
        'GET',
        `/v3/merchant-service/complaints-v2/${encodeURIComponent(complaintId)}/negotiation-historys?limit=50&offset=${offset}`,
      );
      if (a.status !== 200) refused(a);
      const page = Array.isArray(a.body.data) ? (a.body.data as Array<Record<string, unknown>>) : [];
      for (const e of page) {
        const media = Array.isArray(e.complaint_media_list)
          ? (e.complaint_media_list as Array<Record<string, unknown>>)
          : [];
        out.push({
          logId: str(e.log_id),
          operator: str(e.operator),
          at: new Date(str(e.operate_time)),
          type: str(e.operate_type),
          details: str(e.operate_details),
          mediaUrls: media.flatMap((m) => (Array.isArray(m.media_url) ? (m.media_url as unknown[]).map(str) : [])),
        });
      }
      offset += page.length;
      if (page.length < 50) return out;
    }
  }

  /** Replies to the shopper in the complaint (at most 200 characters). */
  async respond(complaintId: string, complaintedMchid: string, content: string): Promise<void> {
    const a = await this.v3.call(
      'POST',
      `/v3/merchant-service/complaints-v2/${encodeURIComponent(complaintId)}/response`,
      {
        complainted_mchid: complaintedMchid,
        response_content: content.slice(0, 200),
      },
    );
    if (a.status !== 204 && a.status !== 200) refused(a);
  }

  /** A 申请退款 complaint's refund decision: approved (refunded now) or rejected with the reason. */
  async updateRefundProgress(
    complaintId: string,
    decision: { action: 'APPROVE' } | { action: 'REJECT'; rejectReason: string },
  ): Promise<void> {
    const a = await this.v3.call(
      'POST',
      `/v3/merchant-service/complaints-v2/${encodeURIComponent(complaintId)}/update-refund-progress`,
      decision.action === 'APPROVE'
        ? { action: 'APPROVE', launch_refund_day: 0 }
        : { action: 'REJECT', reject_reason: decision.rejectReason.slice(0, 200) },
    );
    if (a.status !== 204 && a.status !== 200) refused(a);
  }

  /** Tells WeChat Pay the complaint is handled. */
  async complete(complaintId: string, complaintedMchid: string): Promise<void> {
    const a = await this.v3.call(
      'POST',
      `/v3/merchant-service/complaints-v2/${encodeURIComponent(complaintId)}/complete`,
      {
        complainted_mchid: complaintedMchid,
      },
    );
    if (a.status !== 204 && a.status !== 200) refused(a);
  }

  /** Makes `url` the account's complaint notification URL: created, or changed when it differs. */
  async ensureNotificationUrl(url: string): Promise<'created' | 'updated' | 'kept'> {
    const path = '/v3/merchant-service/complaint-notifications';
    const got = await this.v3.call('GET', path);
    if (got.status === 200 && got.body.url === url) return 'kept';
    if (got.status !== 200 && got.status !== 404) refused(got);
    const a = await this.v3.call(got.status === 404 ? 'POST' : 'PUT', path, { url });
    if (a.status !== 200) refused(a);
    return got.status === 404 ? 'created' : 'updated';
  }
}
