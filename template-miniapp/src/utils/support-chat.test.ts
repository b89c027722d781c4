import { describe, expect, it } from '@jest/globals';
import type { SupportMessage } from '@shopfleet/contracts';
import { SUPPORT_LIMITS } from '@shopfleet/contracts/constants';
import {
  BACKOFF_MAX_MS,
  SUPPORT_EMOJI,
  appendWithin,
  backoffDelay,
  contiguousSeqOf,
  hasOlder,
  lastSeqOf,
  latestAgentName,
  mergeMessages,
  parseServerFrame,
  resumeFrame,
  seqToMarkRead,
  settlePending,
  supportSocketUrl,
  timeBreaks,
  type PendingMessage,
} from './support-chat';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 8, minute)).toISOString();

function message(seq: number, over: Partial<SupportMessage> = {}): SupportMessage {
  return {
    conversationId: 7,
    seq,
    sender: 'shopper',
    senderName: null,
    kind: 'text',
    text: `m${seq}`,
    imageUrl: null,
    card: null,
    clientMsgId: null,
    at: at(seq),
    ...over,
  };
}

const pending = (clientMsgId: string, state: PendingMessage['state'] = 'sending'): PendingMessage => ({
  clientMsgId,
  body: { kind: 'text', clientMsgId, text: 'hi' },
  state,
  error: null,
  preview: { text: 'hi' },
});

describe('messages, one per seq and in seq order', () => {
  it('merges history, acks and live frames whatever order they come in, keeping each seq once', () => {
    const history = [message(3), message(4), message(5)];
    // A live frame that overtook the resume, the ack of the shopper's own message and its echo, an older page.
    let list = mergeMessages(history, [message(7)]);
    list = mergeMessages(list, [message(6, { clientMsgId: 'abcdefgh' })]);
    list = mergeMessages(list, [message(6, { clientMsgId: 'abcdefgh' }), message(5), message(7)]);
    list = mergeMessages(list, [message(1), message(2)]);
    expect(list.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a later copy of a seq replaces the earlier one (the server’s own view wins)', () => {
    const list = mergeMessages([message(1, { senderName: null })], [message(1, { senderName: '小王' })]);
    expect(list).toEqual([message(1, { senderName: '小王' })]);
  });

  it('leaves the list it was given as it was', () => {
    const list = [message(2)];
    mergeMessages(list, [message(1)]);
    expect(list.map((m) => m.seq)).toEqual([2]);
  });

  it('knows the last seq (0 before any) and whether older history exists', () => {
    expect(lastSeqOf([])).toBe(0);
    expect(lastSeqOf([message(4), message(5)])).toBe(5);
    expect(hasOlder([])).toBe(false);
    expect(hasOlder([message(1), message(2)])).toBe(false);
    expect(hasOlder([message(31), message(32)])).toBe(true);
  });
});

describe('pending → acknowledged', () => {
  it('a pending message is settled by the shopper’s message with its clientMsgId, by ack or by echo alike', () => {
    const waiting = [pending('first001'), pending('second02', 'failed'), pending('third003')];
    const stored = [
      message(1, { clientMsgId: 'first001' }),
      // An agent's message with the same id does not settle the shopper's.
      message(2, { sender: 'agent', clientMsgId: 'third003' }),
    ];
    expect(settlePending(waiting, stored).map((p) => p.clientMsgId)).toEqual(['second02', 'third003']);
    expect(settlePending(waiting, [...stored, message(3, { clientMsgId: 'third003' })])).toEqual([
      pending('second02', 'failed'),
    ]);
  });
});

describe('resume', () => {
  it('continues after the last seq with none missing before it, not after one that came ahead of a gap', () => {
    expect(contiguousSeqOf([])).toBe(0);
    // History from 31 on (older pages are not needed to resume).
    expect(contiguousSeqOf([message(31), message(32), message(33)])).toBe(33);
    // The shopper's own 8 was acknowledged through the API while the socket was down: 6 and 7 are still to come.
    const held = [message(4), message(5), message(8, { clientMsgId: 'offline1' })];
    expect(contiguousSeqOf(held)).toBe(5);
    expect(resumeFrame(7, contiguousSeqOf(held))).toEqual({ type: 'resume', conversations: [{ id: 7, afterSeq: 5 }] });
    expect(contiguousSeqOf(mergeMessages(held, [message(7), message(6)]))).toBe(8);
  });

  it('asks for everything after the last seq held, of the shopper’s conversation; nothing before there is one', () => {
    expect(resumeFrame(7, 12)).toEqual({ type: 'resume', conversations: [{ id: 7, afterSeq: 12 }] });
    expect(resumeFrame(7, 0)).toEqual({ type: 'resume', conversations: [{ id: 7, afterSeq: 0 }] });
    expect(resumeFrame(null, 0)).toBeNull();
  });

  it('the socket URL is the API origin as ws/wss, with the shop and the token in the query', () => {
    expect(supportSocketUrl('https://api.example.com', 'demo', 'a.b+c/=')).toBe(
      'wss://api.example.com/ws/support?audience=shopper&shop=demo&token=a.b%2Bc%2F%3D',
    );
    expect(supportSocketUrl('http://127.0.0.1:4000', 'tea-shop', 'tok')).toBe(
      'ws://127.0.0.1:4000/ws/support?audience=shopper&shop=tea-shop&token=tok',
    );
  });
});

describe('reading', () => {
  it('marks the last seq read when an agent’s message came after what was marked, else nothing', () => {
    const list = [message(1), message(2, { sender: 'agent' }), message(3)];
    expect(seqToMarkRead(list, 0)).toBe(3);
    expect(seqToMarkRead(list, 2)).toBeNull();
    expect(seqToMarkRead([...list, message(4, { sender: 'system' })], 3)).toBe(4);
    expect(seqToMarkRead([], 0)).toBeNull();
    // Not past a gap: the agent's 5 is not here yet.
    expect(seqToMarkRead([message(3), message(4, { sender: 'agent' }), message(6)], 0)).toBe(4);
  });

  it('the agent’s name is the one of their latest message', () => {
    expect(latestAgentName([message(1)])).toBeNull();
    expect(
      latestAgentName([
        message(1, { sender: 'agent', senderName: '小王' }),
        message(2, { sender: 'agent', senderName: '小李' }),
        message(3),
      ]),
    ).toBe('小李');
  });

  it('puts the time above the first message and above each that came five minutes or more after the one before', () => {
    const list = [message(1), message(2), message(3, { at: at(9) }), message(4, { at: at(12) })];
    expect([...timeBreaks(list)]).toEqual([1, 3]);
  });
});

describe('backoff', () => {
  it('doubles from a second to at most thirty, each wait between half and all of that', () => {
    const low = [0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => backoffDelay(attempt, () => 0));
    const high = [0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => backoffDelay(attempt, () => 1));
    expect(high).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(low).toEqual(high.map((ms) => ms / 2));
    expect(backoffDelay(1_000, () => 1)).toBe(BACKOFF_MAX_MS);
  });
});

describe('frames from the server', () => {
  it('reads the frames it knows; anything else is not one', () => {
    expect(parseServerFrame('{"type":"ready","audience":"shopper"}')).toEqual({ type: 'ready', audience: 'shopper' });
    const live = { type: 'message', message: message(3) };
    expect(parseServerFrame(JSON.stringify(live))).toEqual(live);
    expect(parseServerFrame('{"type":"message","message":{"seq":"3"}}')).toBeNull();
    expect(parseServerFrame('{"type":"surprise"}')).toBeNull();
    expect(parseServerFrame('not json')).toBeNull();
    expect(parseServerFrame('null')).toBeNull();
    expect(parseServerFrame(new ArrayBuffer(4))).toBeNull();
  });
});

describe('the composer', () => {
  it('adds an emoji only while the text stays within the limit', () => {
    expect(appendWithin('hi', '😀', SUPPORT_LIMITS.textMax)).toBe('hi😀');
    const full = 'x'.repeat(SUPPORT_LIMITS.textMax - 1);
    expect(appendWithin(full, '😀', SUPPORT_LIMITS.textMax)).toBe(full);
  });

  it('offers a fixed grid of distinct emoji', () => {
    expect(SUPPORT_EMOJI.length).toBe(40);
    expect(new Set(SUPPORT_EMOJI).size).toBe(SUPPORT_EMOJI.length);
  });
});
