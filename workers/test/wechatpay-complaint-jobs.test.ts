import { QueueEvents } from 'bullmq';
import { AFTER_SALES_JOBS, QUEUES } from '@shopfleet/contracts';
import { queuePrefix } from '@shopfleet/platform';
import { startTestPlatform, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer, createPlatformUser, platformLogin } from '../../platform/test/helpers/fixtures';
import { deliverTo, paidWithWechat, subMerchantShop } from '../../platform/test/helpers/wechatpay';
import { FakeWechatPayComplaints } from '../../platform/test/fakes/wechatpay-complaints';
import { startWorkers, type RunningWorkers } from '../src/worker';

let t: TestPlatform;
let workers: RunningWorkers;
let events: QueueEvents;
let complaints: FakeWechatPayComplaints;
beforeAll(async () => {
  t = await startTestPlatform({}, { serviceProvider: true });
  complaints = new FakeWechatPayComplaints(t.wechatpay, t.clock.now);
  workers = startWorkers(t.platform);
  events = new QueueEvents(QUEUES.afterSales, {
    connection: { url: t.config.REDIS_URL },
    prefix: queuePrefix(t.config.REDIS_PREFIX),
  });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events?.close();
  await workers?.close();
  await t?.close();
});

describe('WeChat Pay complaints through the real queue and worker', () => {
  it('the sync job registers the notification URL and brings in a complaint; a decision queues the answer, sent once', async () => {
    const s = await subMerchantShop(t);
    const { paymentNo } = await paidWithWechat(t, s, 3_300);
    const queue = t.platform.queues.get(QUEUES.afterSales);
    const wx = complaints.file({ outTradeNo: paymentNo, detail: '收到的商品是坏的', applyRefundFen: 3_300 });

    // No notification was ever delivered: the sync job lists the complaint (and registers the URL for next time).
    const sync = await queue.add(AFTER_SALES_JOBS.complaintSync, {});
    expect(await sync.waitUntilFinished(events, 20_000)).toEqual({ synced: 1 });
    expect(complaints.notifyUrlOf(t.serviceProvider!.mchid)).toMatch(/\/webhooks\/wechatpay\/complaints$/);
    complaints.userResponds(wx.complaintId, '还在等处理');
    await deliverTo(t, complaints.notification(wx.complaintId, 'USER_RESPONSE')).expect(204);

    const c = (await t.api.get('/merchant-api/v1/complaints').set(bearer(s.merchant)).expect(200)).body.items[0];
    expect(c.statements).toHaveLength(2);
    const staff = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
    await t.api
      .post(`/platform-api/v1/arbitration/${c.id}/decide`)
      .set(bearer(staff))
      .send({ decision: 'refund', amountFen: 3_300, note: '商品破损属实' })
      .expect(200);

    // The worker answers WeChat Pay: the reply, the refund approved, completion.
    const job = await queue.getJob(`cpr-${s.shop.id}-${c.id}`);
    expect(job?.name).toBe(AFTER_SALES_JOBS.complaintReply);
    expect(await job!.waitUntilFinished(events, 20_000)).toEqual({ reply: 'sent' });
    const there = complaints.book.get(wx.complaintId)!;
    expect(there).toMatchObject({ state: 'PROCESSED', refundDecision: { action: 'APPROVE' } });
    expect(there.responses).toHaveLength(1);
    const after = (await t.api.get(`/merchant-api/v1/complaints/${c.id}`).set(bearer(s.merchant)).expect(200)).body;
    expect(after.wechatpay).toMatchObject({ state: 'PROCESSED', replyState: 'sent' });
  });
});
