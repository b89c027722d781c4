import { describe, expect, it, jest } from '@jest/globals';
import { AFTER_SALES_OPEN_STATUSES, AFTER_SALES_STATUSES } from '@shopfleet/contracts/constants';

type AfterSales = typeof import('./after-sales');

/** The module as a device in `language` loads it (the shop's language is fixed when the app starts). */
function afterSalesOn(language: string): AfterSales {
  const global = globalThis as { uni?: unknown };
  global.uni = { getSystemInfoSync: () => ({ language }) };
  try {
    let loaded: AfterSales | undefined;
    jest.isolateModules(() => {
      loaded = jest.requireActual<AfterSales>('./after-sales');
    });
    return loaded!;
  } finally {
    delete global.uni;
  }
}

const zh = afterSalesOn('zh-CN');
const en = afterSalesOn('en-US');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2025-03-01T08:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('a case in the shopper’s words', () => {
  it('says the time left as whole days rounded up, then hours, then minutes; nothing once it passed', () => {
    expect(zh.timeLeftText(at(2 * DAY), NOW)).toBe('2 天');
    expect(zh.timeLeftText(at(2 * DAY - 5 * 60_000), NOW)).toBe('2 天');
    expect(zh.timeLeftText(at(DAY + 1), NOW)).toBe('2 天');
    expect(zh.timeLeftText(at(DAY), NOW)).toBe('1 天');
    expect(zh.timeLeftText(at(5 * HOUR - 1), NOW)).toBe('5 小时');
    expect(zh.timeLeftText(at(30 * 60_000), NOW)).toBe('30 分钟');
    expect(zh.timeLeftText(at(1), NOW)).toBe('1 分钟');
    expect(zh.timeLeftText(at(0), NOW)).toBeNull();
    expect(zh.timeLeftText(at(-HOUR), NOW)).toBeNull();
    expect(en.timeLeftText(at(7 * DAY), NOW)).toBe('7 days');
    expect(en.timeLeftText(at(HOUR), NOW)).toBe('1 hour');
  });

  it('explains each step with its deadline: the shop answers a refund, the shopper ships back, the shop confirms receipt', () => {
    expect(zh.afterSalesHint({ status: 'requested', kind: 'refund_only', deadlineAt: at(2 * DAY) }, NOW)).toBe(
      '商家将在 2 天内处理，超时将自动同意退款',
    );
    // A return asked for has no timer: the shop answers when it does.
    expect(zh.afterSalesHint({ status: 'requested', kind: 'return_refund', deadlineAt: null }, NOW)).toBe(
      '申请已提交，请等待商家处理',
    );
    expect(zh.afterSalesHint({ status: 'approved', kind: 'return_refund', deadlineAt: at(7 * DAY) }, NOW)).toBe(
      '商家已同意，请在 7 天内寄回商品并填写退货物流，超时申请将自动关闭',
    );
    expect(zh.afterSalesHint({ status: 'returned', kind: 'return_refund', deadlineAt: at(10 * DAY) }, NOW)).toBe(
      '商家将在 10 天内确认收货，超时将自动退款',
    );
    expect(zh.afterSalesHint({ status: 'returned', kind: 'exchange', deadlineAt: null }, NOW)).toBe(
      '商品已寄回，商家收到后将为你发出换货',
    );
    // The deadline passed and the timer has not acted yet: no countdown, just the step.
    expect(zh.afterSalesHint({ status: 'approved', kind: 'exchange', deadlineAt: at(-HOUR) }, NOW)).toBe(
      '商家已同意，请寄回商品并填写退货物流',
    );
    expect(en.afterSalesHint({ status: 'refunded', kind: 'return_refund', deadlineAt: null }, NOW)).toMatch(
      /^Refunded/,
    );
    for (const status of AFTER_SALES_STATUSES) {
      expect(zh.afterSalesHint({ status, kind: 'exchange', deadlineAt: null }, NOW)).not.toMatch(/afterSales\./);
    }
  });

  it('names history steps, falling back to the state they led to; parcels by carrier name; never the timer’s own notes', () => {
    expect(zh.describeAfterSalesEvent({ type: 'shipBack', toStatus: 'returned' })).toBe('寄回商品');
    expect(zh.describeAfterSalesEvent({ type: 'somethingNew', toStatus: 'closed' })).toBe('已关闭');
    expect(zh.afterSalesNoteText({ type: 'shipBack', actorType: 'shopper', note: 'SF SF1234567890' })).toBe(
      '顺丰速运 SF1234567890',
    );
    expect(en.afterSalesNoteText({ type: 'reship', actorType: 'merchant', note: 'JTSD JT-00112233' })).toBe(
      'J&T Express JT-00112233',
    );
    expect(zh.afterSalesNoteText({ type: 'closeUnshipped', actorType: 'system', note: '超时未寄回' })).toBe('');
    expect(zh.afterSalesNoteText({ type: 'refuse', actorType: 'merchant', note: '已超过退货期' })).toBe('已超过退货期');
  });

  it('splits the states into the list’s tabs: in progress is the open states, finished all the others', () => {
    expect(zh.tabStatuses('open')).toEqual([...AFTER_SALES_OPEN_STATUSES]);
    expect([...zh.tabStatuses('open'), ...zh.tabStatuses('done')].sort()).toEqual([...AFTER_SALES_STATUSES].sort());
    expect(zh.openCount({ requested: 2, approved: 1, refunded: 5, reshipped: 1 })).toBe(4);
  });
});

describe('several newest-first lists read as one', () => {
  /** Lists of ids by key, each paged as the server pages it (newest first), and the reads made. */
  function server(lists: Record<string, number[]>) {
    const reads: string[] = [];
    const read = async (key: string, page: number, pageSize: number) => {
      reads.push(`${key}#${page}`);
      const all = [...lists[key]!].sort((a, b) => b - a);
      return { items: all.slice((page - 1) * pageSize, page * pageSize).map((id) => ({ id })), total: all.length };
    };
    return { reads, read };
  }

  it('hands out pages newest first across the lists, reading a list’s next page only when it is needed', async () => {
    const { reads, read } = server({ a: [10, 7, 3, 1], b: [9, 8, 2], c: [] });
    const merged = zh.newestFirst(['a', 'b', 'c'], read, 2);
    expect((await merged.next()).map((x) => x.id)).toEqual([10, 9]);
    expect(reads).toEqual(['a#1', 'b#1', 'c#1']);
    expect((await merged.next()).map((x) => x.id)).toEqual([8, 7]);
    expect((await merged.next()).map((x) => x.id)).toEqual([3, 2]);
    expect(merged.done()).toBe(false);
    expect((await merged.next()).map((x) => x.id)).toEqual([1]);
    expect(merged.done()).toBe(true);
    expect(await merged.next()).toEqual([]);
    expect(reads.filter((r) => r.startsWith('c'))).toEqual(['c#1']);
  });

  it('shows a case once even when it moved between two of the lists, and a failed read loses nothing', async () => {
    let fail = false;
    // Case 4 moved from b to a between two reads: both lists have it.
    const { read } = server({ a: [6, 4, 3], b: [5, 4, 1] });
    const flaky = async (key: string, page: number, size: number) => {
      if (fail && page > 1) throw new Error('network');
      return read(key, page, size);
    };
    const merged = zh.newestFirst(['a', 'b'], flaky, 2);
    expect((await merged.next()).map((x) => x.id)).toEqual([6, 5]);
    // 4 is taken, then a's next page fails: 4 goes back.
    fail = true;
    await expect(merged.next()).rejects.toThrow('network');
    fail = false;
    expect((await merged.next()).map((x) => x.id)).toEqual([4, 3]);
    expect((await merged.next()).map((x) => x.id)).toEqual([1]);
    expect(merged.done()).toBe(true);
  });
});
