import {
  decodeSegment,
  digits,
  fail,
  ParamError,
  requireString,
  rfc3339,
  type FakeWechatPay,
  type JsonObject,
  type MerchantEntry,
  type Reply,
  type WechatPayNotification,
} from './wechatpay-server';

/** A consumer complaint as WeChat Pay keeps it. */
export interface FakeComplaint {
  complaintId: string;
  spMchid: string;
  subMchid: string;
  time: Date;
  detail: string;
  state: 'PENDING' | 'PROCESSING' | 'PROCESSED';
  problemType: 'REFUND' | 'SERVICE_NOT_WORK' | 'OTHERS';
  problemDescription: string;
  applyRefundFen?: number;
  outTradeNo: string;
  transactionId: string;
  amount: number;
  mediaUrls: string[];
  history: JsonObject[];
  /** What the merchant (here, the service provider) answered: replies, a refund decision, completion. */
  responses: string[];
  refundDecision?: JsonObject;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const chinaDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * WeChat Pay's consumer complaints 2.0 (消费者投诉) for service providers, on the fake WeChat Pay: the list, the detail,
 * the negotiation history, the reply, the refund decision of a 申请退款 complaint, completion, the notification URL,
 * and the COMPLAINT.* notifications — sealed with the service provider's APIv3 key and signed by WeChat Pay, as it
 * posts them. Calls are signed and checked as every call to the fake is; only a service provider may make them.
 */
export class FakeWechatPayComplaints {
  readonly book = new Map<string, FakeComplaint>();
  private readonly notifyUrls = new Map<string, string>();

  constructor(
    private readonly pay: FakeWechatPay,
    private readonly now: () => Date = () => new Date(),
  ) {
    pay.extend((m, method, url, body) => this.route(m, method, url, body));
  }

  /** The shopper complains about a paid partner trade: a complaint PENDING, its first history line. */
  file(opts: {
    outTradeNo: string;
    detail: string;
    problemType?: FakeComplaint['problemType'];
    problemDescription?: string;
    applyRefundFen?: number;
    images?: number;
  }): FakeComplaint {
    const trade = this.pay.trade(opts.outTradeNo);
    if (trade.mode !== 'partner' || !trade.subMchid) throw new Error('complaints here are against sub-merchants');
    if (!trade.transactionId) throw new Error('the trade was never paid');
    const at = this.now();
    const complaintId = `2000000${chinaDate(at).replace(/-/g, '')}${digits(12)}`;
    const mediaUrls = Array.from(
      { length: opts.images ?? 0 },
      (_, i) => `${this.pay.url}/v3/merchant-service/images/${complaintId}-${i}`,
    );
    const c: FakeComplaint = {
      complaintId,
      spMchid: trade.mchid,
      subMchid: trade.subMchid,
      time: at,
      detail: opts.detail,
      state: 'PENDING',
      problemType: opts.problemType ?? 'REFUND',
      problemDescription: opts.problemDescription ?? '申请退款',
      applyRefundFen: opts.applyRefundFen,
      outTradeNo: trade.outTradeNo,
      transactionId: trade.transactionId,
      amount: trade.total,
      mediaUrls,
      history: [],
      responses: [],
    };
    this.log(c, '投诉人', 'USER_CREATE_COMPLAINT', opts.detail, mediaUrls);
    this.book.set(complaintId, c);
    return c;
  }

  /** The shopper says more (USER_RESPONSE). */
  userResponds(complaintId: string, text: string): void {
    this.log(this.must(complaintId), '投诉人', 'USER_RESPONSE', text);
  }

  /** The shopper withdraws: the complaint is processed at WeChat Pay. */
  userRevokes(complaintId: string): void {
    const c = this.must(complaintId);
    c.state = 'PROCESSED';
    this.log(c, '投诉人', 'USER_REVOKE_COMPLAINT', '用户撤销投诉');
  }

  /** The COMPLAINT.* notification of an action, to the service provider's registered URL. */
  notification(complaintId: string, actionType: string): WechatPayNotification {
    const c = this.must(complaintId);
    const url = this.notifyUrls.get(c.spMchid);
    if (!url) throw new Error(`service provider ${c.spMchid} registered no complaint notification URL`);
    return this.pay.sealedNotification(url, c.spMchid, {
      eventType: actionType === 'CREATE_COMPLAINT' ? 'COMPLAINT.CREATE' : 'COMPLAINT.STATE_CHANGE',
      summary: actionType === 'CREATE_COMPLAINT' ? '产生新投诉' : '投诉单状态变化',
      originalType: 'complaint',
      plaintext: { complaint_id: complaintId, action_type: actionType },
    });
  }

  /** The notification URL a service provider registered. */
  notifyUrlOf(spMchid: string): string | undefined {
    return this.notifyUrls.get(spMchid);
  }

  /** Registers a notification URL as the service provider would have (tests that skip the platform's sync). */
  registerNotifyUrl(spMchid: string, url: string): void {
    this.notifyUrls.set(spMchid, url);
  }

  // ---------------------------------------------------------------------------------------------

  private must(complaintId: string): FakeComplaint {
    const c = this.book.get(complaintId);
    if (!c) throw new Error(`no complaint ${complaintId}`);
    return c;
  }

  private log(c: FakeComplaint, operator: string, type: string, details: string, media: string[] = []): void {
    c.history.push({
      log_id: `${c.complaintId}-${c.history.length + 1}`,
      operator,
      operate_time: rfc3339(this.now()),
      operate_type: type,
      operate_details: details,
      complaint_media_list: media.length ? [{ media_type: 'USER_COMPLAINT_IMAGE', media_url: media }] : [],
    });
  }

  private detailJson(c: FakeComplaint): JsonObject {
    return {
      complaint_id: c.complaintId,
      complaint_time: rfc3339(c.time),
      complaint_detail: c.detail,
      complaint_state: c.state,
      complainted_mchid: c.subMchid,
      payer_phone: 'encrypted-phone',
      complaint_order_info: [{ transaction_id: c.transactionId, out_trade_no: c.outTradeNo, amount: c.amount }],
      complaint_media_list: c.mediaUrls.length ? [{ media_type: 'USER_COMPLAINT_IMAGE', media_url: c.mediaUrls }] : [],
      complaint_full_refunded: false,
      incoming_user_response: false,
      problem_description: c.problemDescription,
      user_complaint_times: 1,
      problem_type: c.problemType,
      ...(c.applyRefundFen !== undefined ? { apply_refund_amount: c.applyRefundFen } : {}),
    };
  }

  private route(m: MerchantEntry, method: string, url: URL, body: JsonObject): Reply | null {
    const path = url.pathname;
    if (!path.startsWith('/v3/merchant-service/complaint')) return null;
    if (m.kind !== 'service_provider') return fail(403, 'NO_AUTH', '商户无权限，请确认商户号为服务商');
    if (path === '/v3/merchant-service/complaint-notifications') return this.notifyUrl(m, method, body);
    if (method === 'GET' && path === '/v3/merchant-service/complaints-v2') return this.list(m, url.searchParams);
    const hit = /^\/v3\/merchant-service\/complaints-v2\/([^/]+)(\/[a-z-]+)?$/.exec(path);
    if (!hit) return null;
    const c = this.book.get(decodeSegment(hit[1]!));
    if (!c || c.spMchid !== m.mchid) return fail(404, 'RESOURCE_NOT_EXISTS', '投诉单不存在');
    const action = hit[2] ?? '';
    if (method === 'GET' && action === '') return { status: 200, body: this.detailJson(c) };
    if (method === 'GET' && action === '/negotiation-historys') {
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      if (!Number.isInteger(limit) || limit < 1 || limit > 300)
        throw new ParamError('limit', '范围', '应在1到300之间', 'query', limit);
      return {
        status: 200,
        body: {
          data: c.history.slice(offset, offset + limit),
          limit,
          offset,
          ...(offset === 0 ? { total_count: c.history.length } : {}),
        },
      };
    }
    if (method !== 'POST') return null;
    if (action === '/response') {
      const mchid = requireString(body, 'complainted_mchid', 64);
      const content = requireString(body, 'response_content', 200);
      if (mchid !== c.subMchid) return fail(400, 'INVALID_REQUEST', '被诉商户号与投诉单不一致');
      if (c.state === 'PROCESSED') return fail(400, 'INVALID_REQUEST', '投诉单已处理完成，不能回复');
      c.responses.push(content);
      c.state = 'PROCESSING';
      this.log(c, '商户', 'MERCHANT_RESPONSE', content);
      return { status: 204 };
    }
    if (action === '/update-refund-progress') {
      const decision = requireString(body, 'action', 16);
      if (decision !== 'APPROVE' && decision !== 'REJECT')
        throw new ParamError('action', '枚举', '应为APPROVE或REJECT');
      if (c.problemType !== 'REFUND') return fail(400, 'INVALID_REQUEST', '非申请退款类型投诉单，不能更新退款审批结果');
      if (decision === 'REJECT') requireString(body, 'reject_reason', 200);
      c.refundDecision = body;
      this.log(c, '商户', decision === 'APPROVE' ? 'MERCHANT_APPROVE_REFUND' : 'MERCHANT_REJECT_REFUND', '');
      return { status: 204 };
    }
    if (action === '/complete') {
      const mchid = requireString(body, 'complainted_mchid', 64);
      if (mchid !== c.subMchid) return fail(400, 'INVALID_REQUEST', '被诉商户号与投诉单不一致');
      if (c.state === 'PROCESSED') return fail(400, 'INVALID_REQUEST', '投诉单已处理完成');
      c.state = 'PROCESSED';
      this.log(c, '商户', 'MERCHANT_CONFIRM_COMPLETE', '商户反馈处理完成');
      return { status: 204 };
    }
    return null;
  }

  private notifyUrl(m: MerchantEntry, method: string, body: JsonObject): Reply {
    const current = this.notifyUrls.get(m.mchid);
    if (method === 'GET')
      return current
        ? { status: 200, body: { mchid: m.mchid, url: current } }
        : fail(404, 'RESOURCE_NOT_EXISTS', '未设置投诉通知回调地址');
    if (method === 'DELETE') {
      this.notifyUrls.delete(m.mchid);
      return { status: 204 };
    }
    const url = requireString(body, 'url', 256);
    if (method === 'POST' && current) return fail(400, 'INVALID_REQUEST', '投诉通知回调地址已存在，请使用更新接口');
    if (method === 'PUT' && !current) return fail(404, 'RESOURCE_NOT_EXISTS', '未设置投诉通知回调地址');
    this.notifyUrls.set(m.mchid, url);
    return { status: 200, body: { mchid: m.mchid, url } };
  }

  private list(m: MerchantEntry, q: URLSearchParams): Reply {
    const begin = q.get('begin_date') ?? '';
    const end = q.get('end_date') ?? '';
    if (!DATE.test(begin)) throw new ParamError('begin_date', '格式', '应为yyyy-MM-dd', 'query', begin);
    if (!DATE.test(end)) throw new ParamError('end_date', '格式', '应为yyyy-MM-dd', 'query', end);
    if (Date.parse(end) < Date.parse(begin) || Date.parse(end) - Date.parse(begin) > 29 * DAY_MS)
      return fail(400, 'PARAM_ERROR', '查询日期跨度不超过30天');
    const limit = Number(q.get('limit') ?? 10);
    const offset = Number(q.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50)
      throw new ParamError('limit', '范围', '应在1到50之间', 'query', limit);
    const sub = q.get('complainted_mchid');
    const all = [...this.book.values()].filter(
      (c) =>
        c.spMchid === m.mchid && (!sub || c.subMchid === sub) && chinaDate(c.time) >= begin && chinaDate(c.time) <= end,
    );
    return {
      status: 200,
      body: {
        data: all.slice(offset, offset + limit).map((c) => this.detailJson(c)),
        limit,
        offset,
        ...(offset === 0 ? { total_count: all.length } : {}),
      },
    };
  }
}
