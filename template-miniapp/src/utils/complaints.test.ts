import { describe, expect, it, jest } from '@jest/globals';
import { AFTER_SALES_STATUSES, COMPLAINT_REASONS, COMPLAINT_SIDES } from '@shopfleet/contracts/constants';

type Complaints = typeof import('./complaints');

/** The module as a device in `language` loads it (the shop's language is fixed when the app starts). */
function complaintsOn(language: string): Complaints {
  const global = globalThis as { uni?: unknown };
  global.uni = { getSystemInfoSync: () => ({ language }) };
  try {
    let loaded: Complaints | undefined;
    jest.isolateModules(() => {
      loaded = jest.requireActual<Complaints>('./complaints');
    });
    return loaded!;
  } finally {
    delete global.uni;
  }
}

const zh = complaintsOn('zh-CN');
const en = complaintsOn('en-US');
const decided = (decision: 'refund' | 'refuse', amountFen: number) => ({
  decision: { decision, amountFen, note: '商品有质量问题', refundId: null, at: '2025-03-01T08:00:00.000Z' },
});

describe('a complaint in the shopper’s words', () => {
  it('offers the platform only a case the merchant refused or that closed, and only a paid order', () => {
    expect(AFTER_SALES_STATUSES.filter((s) => zh.canComplainAboutCase(s))).toEqual([
      'refused',
      'receipt_refused',
      'closed',
    ]);
    const orderStates = ['pending_payment', 'paid', 'shipped', 'completed', 'cancelled', 'refunded'] as const;
    expect(orderStates.filter((status) => zh.canComplainAboutOrder({ status }))).toEqual([
      'paid',
      'shipped',
      'completed',
      'refunded',
    ]);
  });

  it('asks back at most what was paid less what was refunded; nothing before payment', () => {
    const payment = {
      paymentNo: 'P1',
      provider: 'sandbox',
      method: 'sandbox',
      amountFen: 3_000,
      transactionId: null,
      paidAt: '2025-03-01T08:00:00.000Z',
    } as const;
    expect(zh.refundableFen({ payment, refundedFen: 1_000 })).toBe(2_000);
    expect(zh.refundableFen({ payment, refundedFen: 3_000 })).toBe(0);
    expect(zh.refundableFen({ payment: null, refundedFen: 0 })).toBe(0);
  });

  it('says the decision as 退款 ¥x.xx or 驳回, with its note; nothing before it', () => {
    expect(zh.complaintDecisionView(decided('refund', 2_000))).toMatchObject({
      decision: 'refund',
      text: '退款 ¥20.00',
      note: '商品有质量问题',
    });
    expect(zh.complaintDecisionView(decided('refuse', 0))?.text).toBe('驳回');
    expect(en.complaintDecisionView(decided('refund', 1_205))?.text).toBe('Refund ¥12.05');
    expect(zh.complaintDecisionView({ decision: null })).toBeNull();
    expect(zh.complaintHint({ status: 'resolved', ...decided('refund', 100) })).toBe(
      '平台已判定退款，款项将按原支付方式退回',
    );
    expect(en.complaintHint({ status: 'withdrawn', decision: null })).toBe('You withdrew this complaint');
  });

  it('names every reason and every side in both languages', () => {
    expect(COMPLAINT_REASONS.map((r) => zh.complaintReasonText(r))).toContain('商家拒绝退款');
    expect(COMPLAINT_SIDES.map((s) => zh.complaintSideText(s))).toEqual(['买家', '商家', '平台', '微信支付']);
    expect(COMPLAINT_SIDES.map((s) => en.complaintSideText(s))).toEqual(['Buyer', 'Shop', 'Platform', 'WeChat Pay']);
    for (const lang of [zh, en]) {
      const texts = COMPLAINT_REASONS.map((r) => lang.complaintReasonText(r));
      expect(new Set(texts).size).toBe(COMPLAINT_REASONS.length);
      expect(texts.every((text) => !text.startsWith('complaint.'))).toBe(true);
    }
  });
});
