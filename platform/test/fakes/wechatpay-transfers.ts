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
} from './wechatpay-server';

/** A transfer bill as WeChat Pay keeps it. */
export interface FakeTransferBill {
  mchid: string;
  appid: string;
  outBillNo: string;
  transferBillNo: string;
  openid: string;
  amount: number;
  remark: string;
  sceneId: string;
  state: 'ACCEPTED' | 'PROCESSING' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';
  packageInfo: string;
  failReason?: string;
  createdAt: Date;
}

const OUT_BILL_NO = /^[A-Za-z0-9]{1,32}$/;
const SCENES = new Set(['1000', '1002', '1004', '1005', '1009', '1010', '1011', '1013']);
/** What each scene must report (a subset WeChat Pay checks). */
const SCENE_REPORTS: Record<string, string[]> = { '1000': ['活动名称', '奖励说明'], '1005': ['岗位类型', '报酬说明'] };

/**
 * WeChat Pay's transfer to a user's change (商家转账, user-confirm mode) on the fake WeChat Pay: creating a bill (once
 * per merchant bill number: the same number again answers the bill it made), querying it by that number, and the user
 * confirming receipt (or the transfer failing). Calls are signed and checked as every call to the fake is; only a
 * merchant of its own may make them, and its balance must cover the amount.
 */
export class FakeWechatPayTransfers {
  readonly bills = new Map<string, FakeTransferBill>();
  /** Each merchant's balance in fen (unlimited when not set). */
  readonly balances = new Map<string, number>();
  calls = 0;

  constructor(
    private readonly pay: FakeWechatPay,
    private readonly now: () => Date = () => new Date(),
  ) {
    pay.extend((m, method, url, body) => this.route(m, method, url, body));
  }

  /** The user confirms receipt in the mini-program (`wx.requestMerchantTransfer`): the money arrives. */
  confirm(outBillNo: string): FakeTransferBill {
    const b = this.mustBill(outBillNo);
    if (b.state !== 'WAIT_USER_CONFIRM') throw new Error(`bill ${outBillNo} is ${b.state}`);
    b.state = 'SUCCESS';
    return b;
  }

  /** The transfer fails (the user's account cannot receive it, or it was not confirmed in time). */
  failBill(outBillNo: string, reason = 'TRANSFER_RISK'): FakeTransferBill {
    const b = this.mustBill(outBillNo);
    b.state = 'FAIL';
    b.failReason = reason;
    this.balances.set(b.mchid, (this.balances.get(b.mchid) ?? Infinity) + b.amount);
    return b;
  }

  private mustBill(outBillNo: string): FakeTransferBill {
    const b = [...this.bills.values()].find((x) => x.outBillNo === outBillNo);
    if (!b) throw new Error(`no transfer bill ${outBillNo}`);
    return b;
  }

  private route(m: MerchantEntry, method: string, url: URL, body: JsonObject): Reply | null {
    const path = url.pathname;
    if (method === 'POST' && path === '/v3/fund-app/mch-transfer/transfer-bills') return this.create(m, body);
    const hit = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/.exec(path);
    if (method === 'GET' && hit) {
      const b = this.bills.get(`${m.mchid}:${decodeSegment(hit[1]!)}`);
      return b ? { status: 200, body: this.view(b) } : fail(404, 'NOT_FOUND', '记录不存在');
    }
    return null;
  }

  private create(m: MerchantEntry, body: JsonObject): Reply {
    if (m.kind !== 'merchant') return fail(403, 'NO_AUTH', '商户无权限');
    this.calls++;
    const appid = requireString(body, 'appid', 32);
    const outBillNo = requireString(body, 'out_bill_no', 32);
    if (!OUT_BILL_NO.test(outBillNo)) throw new ParamError('out_bill_no', '格式', '商户单号仅支持数字和字母');
    const sceneId = requireString(body, 'transfer_scene_id', 8);
    if (!SCENES.has(sceneId)) return fail(400, 'PARAM_ERROR', '转账场景ID不存在或未开通');
    const openid = requireString(body, 'openid', 64);
    const amount = body.transfer_amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 10)
      throw new ParamError('transfer_amount', '取值', '转账金额不能低于0.1元');
    if (amount >= 200_000 && !body.user_name) return fail(400, 'PARAM_ERROR', '转账金额超过2000元时须填写收款用户姓名');
    const remark = requireString(body, 'transfer_remark', 32);
    const infos = Array.isArray(body.transfer_scene_report_infos)
      ? (body.transfer_scene_report_infos as JsonObject[])
      : [];
    for (const type of SCENE_REPORTS[sceneId] ?? [])
      if (!infos.some((i) => i.info_type === type && typeof i.info_content === 'string' && i.info_content))
        return fail(400, 'PARAM_ERROR', `转账场景报备信息缺少${type}`);
    const key = `${m.mchid}:${outBillNo}`;
    const existing = this.bills.get(key);
    if (existing) {
      if (existing.openid !== openid || existing.amount !== amount)
        return fail(400, 'INVALID_REQUEST', '商户单号重复，但请求参数与原单不一致');
      return { status: 200, body: this.view(existing) };
    }
    const balance = this.balances.get(m.mchid) ?? Infinity;
    if (balance < amount) return fail(403, 'NOT_ENOUGH', '商户运营账户资金不足');
    this.balances.set(m.mchid, balance - amount);
    const bill: FakeTransferBill = {
      mchid: m.mchid,
      appid,
      outBillNo,
      transferBillNo: `1330000${digits(21)}`,
      openid,
      amount,
      remark,
      sceneId,
      state: 'WAIT_USER_CONFIRM',
      packageInfo: `ABBQO+oYAAABAAAAAAAk${digits(16)}`,
      createdAt: this.now(),
    };
    this.bills.set(key, bill);
    return {
      status: 200,
      body: {
        out_bill_no: bill.outBillNo,
        transfer_bill_no: bill.transferBillNo,
        create_time: rfc3339(bill.createdAt),
        state: bill.state,
        package_info: bill.packageInfo,
      },
    };
  }

  private view(b: FakeTransferBill): JsonObject {
    return {
      mch_id: b.mchid,
      out_bill_no: b.outBillNo,
      transfer_bill_no: b.transferBillNo,
      appid: b.appid,
      state: b.state,
      transfer_amount: b.amount,
      transfer_remark: b.remark,
      openid: b.openid,
      create_time: rfc3339(b.createdAt),
      update_time: rfc3339(this.now()),
      ...(b.state === 'WAIT_USER_CONFIRM' ? { package_info: b.packageInfo } : {}),
      ...(b.failReason ? { fail_reason: b.failReason } : {}),
    };
  }
}
