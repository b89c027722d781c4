import { describe, expect, it } from '@jest/globals';
import type { SupportConversation, SupportMessage } from '@shopfleet/contracts';
import { applyConversation, belongsTo, previewOf, previewTitle, sortInbox, withMessage } from './inbox';

const ME = 7;
const OTHER = 8;

const conversation = (id: number, over: Partial<SupportConversation> = {}): SupportConversation => ({
  id,
  channel: 'shop',
  status: 'open',
  shopper: { id: 100 + id, nickname: `买家${id}`, phoneMasked: null },
  agentId: ME,
  agentName: '店主',
  lastSeq: 1,
  lastMessage: { sender: 'shopper', kind: 'text', preview: '在吗', at: `2026-12-06T08:0${id}:00.000Z` },
  unread: 1,
  startedWith: null,
  createdAt: '2026-12-06T08:00:00.000Z',
  ...over,
});

const message = (conversationId: number, seq: number, over: Partial<SupportMessage> = {}): SupportMessage => ({
  conversationId,
  seq,
  sender: 'shopper',
  senderName: null,
  kind: 'text',
  text: '还有货吗',
  imageUrl: null,
  card: null,
  clientMsgId: null,
  at: '2026-12-06T09:00:00.000Z',
  ...over,
});

describe('the inbox views', () => {
  it('mine holds the agent’s open conversations; the others hold a status', () => {
    expect(belongsTo('mine', conversation(1), ME)).toBe(true);
    expect(belongsTo('mine', conversation(1, { agentId: OTHER }), ME)).toBe(false);
    expect(belongsTo('mine', conversation(1, { status: 'closed' }), ME)).toBe(false);
    expect(belongsTo('open', conversation(1, { agentId: OTHER }), ME)).toBe(true);
    expect(belongsTo('queued', conversation(1, { status: 'queued', agentId: null }), ME)).toBe(true);
    expect(belongsTo('closed', conversation(1, { status: 'closed' }), ME)).toBe(true);
  });

  it('lists the latest message first, the queue the longest waiting first', () => {
    const items = [conversation(2), conversation(5), conversation(3, { lastMessage: null })];
    expect(sortInbox('mine', items).map((c) => c.id)).toEqual([5, 2, 3]);
    expect(sortInbox('queued', items).map((c) => c.id)).toEqual([3, 2, 5]);
  });

  it('a conversation frame puts the line in its place, or takes it out when it left the view', () => {
    const items = [conversation(5), conversation(2)];
    const taken = applyConversation('mine', items, conversation(6), ME);
    expect(taken).toEqual({ items: [conversation(6), conversation(5), conversation(2)], delta: 1 });
    const transferred = applyConversation('mine', items, conversation(5, { agentId: OTHER }), ME);
    expect(transferred).toEqual({ items: [conversation(2)], delta: -1 });
    expect(applyConversation('queued', [], conversation(5, { agentId: OTHER }), ME)).toEqual({ items: [], delta: 0 });
    const updated = applyConversation('mine', items, conversation(2, { unread: 0 }), ME);
    expect(updated.delta).toBe(0);
    expect(updated.items.find((c) => c.id === 2)!.unread).toBe(0);
  });

  it('a live message moves the last message and counts unread, once', () => {
    const c = conversation(1);
    const next = withMessage(c, message(1, 2), false);
    expect(next).toMatchObject({ lastSeq: 2, unread: 2, lastMessage: { preview: '还有货吗', sender: 'shopper' } });
    expect(withMessage(next, message(1, 2), false)).toBe(next);
    expect(withMessage(next, message(1, 3, { sender: 'agent', text: '有的' }), false).unread).toBe(2);
    expect(withMessage(next, message(1, 3), true).unread).toBe(2);
  });

  it('words a message’s preview as the server does', () => {
    expect(previewOf(message(1, 1, { text: '长'.repeat(200) }))).toHaveLength(120);
    expect(previewOf(message(1, 1, { kind: 'image', text: null }))).toBe('[image]');
    const card = {
      type: 'product' as const,
      id: 3,
      title: '马克杯',
      imageUrl: null,
      priceFen: 100,
      no: null,
      status: null,
    };
    expect(previewOf(message(1, 1, { kind: 'product', text: null, card }))).toBe('[product] 马克杯');
    expect(previewTitle('[after_sales] 退款')).toBe('退款');
    expect(previewTitle('[图片]不是前缀')).toBe('[图片]不是前缀');
  });
});
