import { refused, WechatPayV3, type WechatPayV3Keys, type WechatPayV3Options } from './wechatpay-v3';

/** A transfer's state as WeChat Pay gives it, and what it means to whoever waits for the money. */
export interface WechatTransfer {
  outBillNo: string;
  transferBillNo: string | null;
  /** ACCEPTED, PROCESSING, WAIT_USER_CONFIRM, TRANSFERING, SUCCESS, FAIL, CANCELING, CANCELLED. */
  state: string;
  /** SUCCESS: the money arrived; FAIL and CANCELLED: it did not (and will not); anything else: on its way. */
  outcome: 'pending' | 'success' | 'failed';
  /** For `wx.requestMerchantTransfer`, while the user must confirm receipt (WAIT_USER_CONFIRM). */
  packageInfo: string | null;
  failReason: string | null;
}

const str = (v: unknown) => (v === undefined || v === null ? null : String(v));

function toTransfer(b: Record<string, unknown>): WechatTransfer {
  const state = String(b.state ?? '');
  return {
    outBillNo: String(b.out_bill_no ?? ''),
    transferBillNo: str(b.transfer_bill_no),
    state,
    outcome: state === 'SUCCESS' ? 'success' : state === 'FAIL' || state === 'CANCELLED' ? 'failed' : 'pending',
    packageInfo: str(b.package_info),
    failReason: str(b.fail_reason),
  };
}

/**
 * WeChat Pay's transfer to a user's change (商家转账, user-confirm mode), as a merchant of its own: commission paid to a
 * distributor (scene 1005, 佣金报酬). The merchant's bill number makes a transfer once however often it is sent.
 */
export class WechatPayTransfers {
  private readonly v3: WechatPayV3;

  constructor(
    private readonly keys: WechatPayV3Keys,
    opts: WechatPayV3Options,
  ) {
    this.v3 = new WechatPayV3(keys, opts);
  }

  async transfer(t: {
    outBillNo: string;
    openid: string;
    amountFen: number;
    remark: string;
    notifyUrl?: string;
  }): Promise<WechatTransfer> {
    const a = await this.v3.call('POST', '/v3/fund-app/mch-transfer/transfer-bills', {
      appid: this.keys.appId,
      out_bill_no: t.outBillNo,
      transfer_scene_id: '1005',
      openid: t.openid,
      transfer_amount: t.amountFen,
      transfer_remark: t.remark,
      ...(t.notifyUrl ? { notify_url: t.notifyUrl } : {}),
      user_recv_perception: '劳务报酬',
      transfer_scene_report_infos: [
        { info_type: '岗位类型', info_content: '分销员' },
        { info_type: '报酬说明', info_content: '分销佣金' },
      ],
    });
    if (a.status !== 200) refused(a);
    return toTransfer(a.body);
  }

  /** The transfer of a bill number; null when WeChat Pay has none (it never received it). */
  async query(outBillNo: string): Promise<WechatTransfer | null> {
    const a = await this.v3.call(
      'GET',
      `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(outBillNo)}`,
    );
    if (a.status === 404) return null;
    if (a.status !== 200) refused(a);
    return toTransfer(a.body);
  }
}
