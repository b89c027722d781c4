import { describe, expect, it, jest } from '@jest/globals';
import type { SupportCard } from '@shopfleet/contracts';

type Cards = typeof import('./support-cards');

/** The module as a device in `language` loads it (the shop's language is fixed when the app starts). */
function cardsOn(language: string): Cards {
  const global = globalThis as { uni?: unknown };
  global.uni = { getSystemInfoSync: () => ({ language }) };
  try {
    let loaded: Cards | undefined;
    jest.isolateModules(() => {
      loaded = jest.requireActual<Cards>('./support-cards');
    });
    return loaded!;
  } finally {
    delete global.uni;
  }
}

const zh = cardsOn('zh-CN');
const en = cardsOn('en-US');
const card = (over: Partial<SupportCard>): SupportCard => ({
  type: 'product',
  id: 5,
  title: '北欧陶瓷马克杯',
  imageUrl: null,
  priceFen: 3_900,
  no: null,
  status: null,
  ...over,
});

describe('a card in the chat, in the shopper’s words', () => {
  it('a product: its title and price', () => {
    expect(zh.cardView(card({}))).toEqual({
      type: 'product',
      id: 5,
      tag: '商品',
      title: '北欧陶瓷马克杯',
      imageUrl: null,
      priceText: '¥39.00',
      noText: null,
      statusText: null,
    });
  });

  it('an order: its number, total and status; a case: its number and status (its amount says little)', () => {
    const order = card({ type: 'order', id: 9, priceFen: 4_700, no: 'O123', status: 'pending_payment' });
    expect(zh.cardView(order)).toMatchObject({
      tag: '订单',
      noText: '订单号 O123',
      priceText: '¥47.00',
      statusText: '待付款',
    });
    expect(en.cardView(order)).toMatchObject({ tag: 'Order', noText: 'Order O123' });
    const theCase = card({ type: 'after_sales', id: 3, priceFen: 0, no: 'A77', status: 'refused' });
    expect(zh.cardView(theCase)).toMatchObject({
      tag: '售后',
      noText: '售后单号 A77',
      priceText: null,
      statusText: '商家已拒绝',
    });
  });

  it('sends the card of what the chat was opened from', () => {
    expect(zh.sendBodyOf({ kind: 'product', id: 5 }, 'abcdefgh')).toEqual({
      kind: 'product',
      clientMsgId: 'abcdefgh',
      productId: 5,
    });
    expect(zh.sendBodyOf({ kind: 'order', id: 9 }, 'abcdefgh')).toEqual({
      kind: 'order',
      clientMsgId: 'abcdefgh',
      orderId: 9,
    });
    expect(zh.sendBodyOf({ kind: 'after_sales', id: 3 }, 'abcdefgh')).toEqual({
      kind: 'after_sales',
      clientMsgId: 'abcdefgh',
      caseId: 3,
    });
  });
});
