import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, platformLogin } from '../../helpers/fixtures';
import { sellingShop } from '../../helpers/orders';
import { deliverTo, paidWithWechat, subMerchantShop } from '../../helpers/wechatpay';
import { FakeWechatPayComplaints } from '../../fakes/wechatpay-complaints';
import { systemContext } from '../../../src/kernel/context';

let t: TestPlatform;
let complaints: FakeWechatPayComplaints;
let staff: string;
beforeAll(async () => {
  t = await startTestPlatform({}, { serviceProvider: true });
  complaints = new FakeWechatPayComplaints(t.wechatpay, t.clock.now);
  staff = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
});
afterAll(() => t.close());

const M = '/merchant-api/v1';
const P = '/platform-api/v1';
const ctx = () => systemContext(t.platform.log, 'test');
const flow = () => t.platform.services.wechatComplaints;

describe('WeChat Pay consumer complaints (消费者投诉 2.0) in the arbitration queue', () => {
  it('a notification brings the complaint in once, with its history; the decision is refunded and answered at WeChat Pay', async () => {
    const s = await subMerchantShop(t);
    const { order, paymentNo } = await paidWithWechat(t, s, 5_000);
    // The sync registers the platform's notification URL with WeChat Pay.
    expect(await flow().syncRecent(ctx())).toBe(0);
    expect(complaints.notifyUrlOf(t.serviceProvider!.mchid)).toMatch(/\/webhooks\/wechatpay\/complaints$/);

    const wx = complaints.file({
      outTradeNo: paymentNo,
      detail: '商品与描述不符，申请退款',
      applyRefundFen: 5_000,
      images: 2,
    });
    const first = await deliverTo(t, complaints.notification(wx.complaintId, 'CREATE_COMPLAINT'));
    expect(first.status).toBe(204);
    // Delivered again (WeChat Pay retries): still one complaint.
    expect((await deliverTo(t, complaints.notification(wx.complaintId, 'CREATE_COMPLAINT'))).status).toBe(204);
    complaints.userResponds(wx.complaintId, '请尽快处理');
    expect((await deliverTo(t, complaints.notification(wx.complaintId, 'USER_RESPONSE'))).status).toBe(204);

    const listed = (await t.api.get(`${M}/complaints`).set(bearer(s.merchant)).expect(200)).body;
    expect(listed.total).toBe(1);
    const c = listed.items[0];
    expect(c).toMatchObject({
      source: 'wechatpay',
      status: 'open',
      reason: 'refund_refused',
      orderId: order.id,
      requestedFen: 5_000,
      wechatpay: { complaintId: wx.complaintId, state: 'PENDING', problem: '申请退款', replyState: null },
    });
    expect(c.statements.map((x: { side: string; body: string }) => [x.side, x.body])).toEqual([
      ['shopper', '商品与描述不符，申请退款'],
      ['shopper', '请尽快处理'],
    ]);
    expect(c.statements[0].photoUrls).toEqual(wx.mediaUrls);
    const bell = (await t.api.get(`${M}/notifications`).set(bearer(s.merchant)).expect(200)).body;
    expect(bell.items.map((n: { textCode: string }) => n.textCode)).toContain('COMPLAINT_FILED');

    // In the platform's queue beside the shop's own complaints.
    const queue = (await t.api.get(`${P}/arbitration`).query({ source: 'wechatpay' }).set(bearer(staff)).expect(200))
      .body;
    expect(queue.items.map((i: { complaint: { id: number } }) => i.complaint.id)).toContain(c.id);

    // Decided: the refund goes through WeChat Pay, and WeChat Pay is answered (reply, refund approved, complete).
    const decided = (
      await t.api
        .post(`${P}/arbitration/${c.id}/decide`)
        .set(bearer(staff))
        .send({ decision: 'refund', amountFen: 5_000, note: '商家未能提供发货凭证' })
        .expect(200)
    ).body;
    expect(decided.complaint).toMatchObject({ status: 'resolved', wechatpay: { replyState: 'pending' } });
    const refund = [...t.wechatpay.refunds.values()].find((r) => r.outTradeNo === paymentNo);
    expect(refund).toMatchObject({ refund: 5_000, subMchid: s.subMchId });

    const ctxOf = { ...ctx(), tenantId: s.shop.id };
    expect(await flow().reply(ctxOf, c.id)).toBe('sent');
    const answered = complaints.book.get(wx.complaintId)!;
    expect(answered.state).toBe('PROCESSED');
    expect(answered.responses).toEqual([expect.stringContaining('退款 ¥50.00')]);
    expect(answered.refundDecision).toMatchObject({ action: 'APPROVE' });
    // Run again (a retried job): nothing more is sent.
    expect(await flow().reply(ctxOf, c.id)).toBe('skipped');
    expect(answered.responses).toHaveLength(1);
    const after = (await t.api.get(`${M}/complaints/${c.id}`).set(bearer(s.merchant)).expect(200)).body;
    expect(after.wechatpay.replyState).toBe('sent');

    // WeChat Pay's notification of the completion changes nothing of the decision.
    expect((await deliverTo(t, complaints.notification(wx.complaintId, 'MERCHANT_CONFIRM_COMPLETE'))).status).toBe(204);
    const final = (await t.api.get(`${M}/complaints/${c.id}`).set(bearer(s.merchant)).expect(200)).body;
    expect(final).toMatchObject({ status: 'resolved', wechatpay: { state: 'PROCESSED' } });
  });

  it('a failed answer is marked failed and retried; a refused decision rejects the refund there', async () => {
    const s = await subMerchantShop(t);
    const { paymentNo } = await paidWithWechat(t, s, 1_200);
    await flow().syncRecent(ctx());
    const wx = complaints.file({ outTradeNo: paymentNo, detail: '没收到货' });
    await deliverTo(t, complaints.notification(wx.complaintId, 'CREATE_COMPLAINT')).expect(204);
    const c = (await t.api.get(`${M}/complaints`).set(bearer(s.merchant)).expect(200)).body.items[0];
    await t.api
      .post(`${P}/arbitration/${c.id}/decide`)
      .set(bearer(staff))
      .send({ decision: 'refuse', note: '物流显示已签收' })
      .expect(200);
    const ctxOf = { ...ctx(), tenantId: s.shop.id };
    t.wechatpay.outage('/v3/merchant-service/complaints-v2', 'error');
    await expect(flow().reply(ctxOf, c.id)).rejects.toThrow();
    expect(
      (await t.api.get(`${M}/complaints/${c.id}`).set(bearer(s.merchant)).expect(200)).body.wechatpay.replyState,
    ).toBe('failed');
    t.wechatpay.outage('/v3/merchant-service/complaints-v2', null);
    expect(await flow().reply(ctxOf, c.id)).toBe('sent');
    expect(complaints.book.get(wx.complaintId)!.refundDecision).toMatchObject({
      action: 'REJECT',
      reject_reason: '物流显示已签收',
    });
  });

  it('a lost notification is caught by the list; a complaint withdrawn at WeChat Pay is withdrawn here', async () => {
    const s = await subMerchantShop(t);
    const { paymentNo } = await paidWithWechat(t, s, 800);
    const wx = complaints.file({ outTradeNo: paymentNo, detail: '服务态度差', problemType: 'SERVICE_NOT_WORK' });
    // No notification delivered: the sync lists it.
    expect(await flow().syncRecent(ctx())).toBeGreaterThanOrEqual(1);
    const c = (await t.api.get(`${M}/complaints`).set(bearer(s.merchant)).expect(200)).body.items[0];
    expect(c).toMatchObject({ reason: 'service', status: 'open', wechatpay: { complaintId: wx.complaintId } });
    complaints.userRevokes(wx.complaintId);
    await deliverTo(t, complaints.notification(wx.complaintId, 'USER_REVOKE_COMPLAINT')).expect(204);
    const gone = (await t.api.get(`${M}/complaints/${c.id}`).set(bearer(s.merchant)).expect(200)).body;
    expect(gone.status).toBe('withdrawn');
    expect(gone.statements.at(-1)).toMatchObject({ side: 'shopper', body: '用户撤销投诉' });
  });

  it('a forged or tampered notification is refused and changes nothing', async () => {
    const s = await subMerchantShop(t);
    const { paymentNo } = await paidWithWechat(t, s, 900);
    await flow().syncRecent(ctx());
    const wx = complaints.file({ outTradeNo: paymentNo, detail: '伪造测试' });
    const n = complaints.notification(wx.complaintId, 'CREATE_COMPLAINT');
    const forged = await deliverTo(t, { ...n, headers: { ...n.headers, 'Wechatpay-Signature': 'AAAA' } });
    expect(forged.status).toBe(400);
    const tampered = await deliverTo(t, {
      ...n,
      body: n.body.replace('"COMPLAINT.CREATE"', '"COMPLAINT.STATE_CHANGE"'),
    });
    expect(tampered.status).toBe(400);
    expect((await t.api.get(`${M}/complaints`).set(bearer(s.merchant)).expect(200)).body.total).toBe(0);
  });

  it('a sub-merchant number is one shop’s', async () => {
    const s = await subMerchantShop(t);
    const other = await sellingShop(t);
    const taken = await t.api
      .put(`${M}/payment-settings/wechat`)
      .set(bearer(other.merchant))
      .send({ mode: 'partner', appId: 'wxabcdef1234567891', subMchId: s.subMchId })
      .expect(409);
    expect(taken.body.error.reason).toBe('SUB_MERCHANT_TAKEN');
  });
});
