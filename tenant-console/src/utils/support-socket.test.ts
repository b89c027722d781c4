import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { SupportClientFrame, SupportMessage, SupportServerFrame } from '@shopfleet/contracts';
import {
  RESUME_MAX,
  SeqCursor,
  SupportSendError,
  SupportSocket,
  SupportSocketDown,
  backoffDelay,
  mergeBySeq,
  newClientMsgId,
  resumeFrames,
  type Followed,
  type SocketLike,
} from './support-socket';

const message = (conversationId: number, seq: number, over: Partial<SupportMessage> = {}): SupportMessage => ({
  conversationId,
  seq,
  sender: 'shopper',
  senderName: null,
  kind: 'text',
  text: `#${seq}`,
  imageUrl: null,
  card: null,
  clientMsgId: null,
  at: '2026-12-06T08:00:00.000Z',
  ...over,
});

describe('backoffDelay', () => {
  it('doubles from a second up to thirty, each delay in the upper half of its step', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect([0, 1, 2, 5].map((n) => backoffDelay(n, () => 0))).toEqual([500, 1_000, 2_000, 15_000]);
    for (let n = 0; n < 40; n++) {
      const delay = backoffDelay(n);
      const step = Math.min(30_000, 1_000 * 2 ** n);
      expect(delay).toBeGreaterThanOrEqual(step / 2);
      expect(delay).toBeLessThanOrEqual(step);
    }
  });
});

describe('SeqCursor', () => {
  it('takes each seq once and resumes after the last one with none missing before it', () => {
    const cursor = new SeqCursor(3);
    expect(cursor.see(3)).toBe(false);
    expect(cursor.see(5)).toBe(true);
    expect(cursor.last).toBe(3);
    expect(cursor.see(5)).toBe(false);
    expect(cursor.see(4)).toBe(true);
    expect(cursor.last).toBe(5);
    expect(cursor.see(2)).toBe(false);
    expect(cursor.see(6)).toBe(true);
    expect(cursor.last).toBe(6);
  });
});

describe('mergeBySeq', () => {
  it('keeps the messages in seq order, each seq once, whatever order they come in', () => {
    const list = [message(1, 1), message(1, 2), message(1, 4)];
    const merged = mergeBySeq(list, [message(1, 5), message(1, 3), message(1, 2, { text: 'again' }), message(1, 5)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(merged[1]!.text).toBe('#2');
    expect(mergeBySeq([], [message(1, 9), message(1, 7)]).map((m) => m.seq)).toEqual([7, 9]);
  });
});

describe('resumeFrames', () => {
  const followed = (last: number, watch: boolean, ahead: number[] = []): Followed => {
    const cursor = new SeqCursor(last);
    for (const seq of ahead) cursor.see(seq);
    return { cursor, watch };
  };

  it('resumes the agent’s own conversations and watches the others, each after its last seq before a gap', () => {
    const frames = resumeFrames(
      new Map([
        [10, followed(4, false, [6, 7])],
        [11, followed(0, false)],
        [12, followed(9, true)],
      ]),
    );
    expect(frames).toEqual([
      {
        type: 'resume',
        conversations: [
          { id: 10, afterSeq: 4 },
          { id: 11, afterSeq: 0 },
        ],
      },
      { type: 'watch', conversationId: 12, afterSeq: 9 },
    ]);
    expect(resumeFrames(new Map())).toEqual([]);
  });

  it('names at most the contracts’ limit in one resume', () => {
    const many = new Map(Array.from({ length: RESUME_MAX + 1 }, (_, i) => [i + 1, followed(1, false)] as const));
    const frames = resumeFrames(many) as Array<Extract<SupportClientFrame, { type: 'resume' }>>;
    expect(frames.map((f) => f.conversations.length)).toEqual([RESUME_MAX, 1]);
  });
});

describe('newClientMsgId', () => {
  it('is what the server takes, and differs each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newClientMsgId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});

/** A WebSocket as the server's end drives it. */
class FakeSocket implements SocketLike {
  readonly sent: SupportClientFrame[] = [];
  closedByClient = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as SupportClientFrame);
  }

  close(): void {
    this.closedByClient = true;
  }

  /** The upgrade went through and the server said `ready`. */
  accept(): void {
    this.onopen?.call(this as never, {} as Event);
    this.say({ type: 'ready', audience: 'merchant' });
  }

  say(frame: SupportServerFrame): void {
    this.onmessage?.call(this as never, { data: JSON.stringify(frame) } as MessageEvent);
  }

  /** The connection ends (refused before opening, when it never opened). */
  end(): void {
    this.onclose?.call(this as never, {} as CloseEvent);
  }
}

describe('SupportSocket', () => {
  let sockets: FakeSocket[];
  let token: string | null;
  let recover: jest.Mock<() => Promise<boolean>>;
  let client: SupportSocket;
  let frames: SupportServerFrame[];
  const last = () => sockets[sockets.length - 1]!;

  beforeEach(() => {
    jest.useFakeTimers();
    sockets = [];
    token = 'access-1';
    recover = jest.fn(async () => {
      token = 'access-2';
      return true;
    });
    client = new SupportSocket({
      url: () => (token ? `ws://shop.test/ws/support?audience=merchant&token=${token}` : null),
      recover,
      connect: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      random: () => 1,
      ackTimeoutMs: 10_000,
      pingMs: 20_000,
    });
    frames = [];
    client.onFrame((f) => frames.push(f));
  });

  afterEach(() => {
    client.stop();
    jest.useRealTimers();
  });

  it('resumes what it follows once ready; gives each message of a followed conversation once', async () => {
    client.follow(7, 2, false);
    client.follow(8, 5, true);
    client.start();
    expect(client.state).toBe('connecting');
    last().accept();
    expect(client.state).toBe('ready');
    expect(last().sent).toEqual([
      { type: 'resume', conversations: [{ id: 7, afterSeq: 2 }] },
      { type: 'watch', conversationId: 8, afterSeq: 5 },
    ]);

    const sent = client.send(7, { kind: 'text', clientMsgId: 'abcdefgh12', text: '您好' });
    expect(last().sent.at(-1)).toEqual({
      type: 'send',
      conversationId: 7,
      message: { kind: 'text', clientMsgId: 'abcdefgh12', text: '您好' },
    });
    const stored = message(7, 3, { sender: 'agent', clientMsgId: 'abcdefgh12', text: '您好' });
    last().say({ type: 'ack', clientMsgId: 'abcdefgh12', message: stored });
    await expect(sent).resolves.toEqual(stored);
    // The echo of the acknowledged message, a seq already had, and the next one.
    last().say({ type: 'message', message: stored });
    last().say({ type: 'message', message: message(7, 2) });
    last().say({ type: 'message', message: message(7, 4) });
    // A conversation it does not follow (assigned to the agent, not open): passed on as it comes.
    last().say({ type: 'message', message: message(9, 1) });
    const messages = frames.flatMap((f) =>
      f.type === 'message' ? [`${f.message.conversationId}:${f.message.seq}`] : [],
    );
    expect(messages).toEqual(['7:4', '9:1']);
    expect(client.lastSeq(7)).toBe(4);

    client.unfollow(8);
    expect(last().sent.at(-1)).toEqual({ type: 'unwatch', conversationId: 8 });
  });

  it('reconnects with a growing delay and resumes after the last seq it has with none missing', async () => {
    client.follow(7, 1, false);
    client.start();
    last().accept();
    last().say({ type: 'message', message: message(7, 2) });
    last().say({ type: 'message', message: message(7, 4) });

    last().end();
    expect(client.state).toBe('waiting');
    await jest.advanceTimersByTimeAsync(999);
    expect(sockets).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    last().accept();
    expect(last().sent).toEqual([{ type: 'resume', conversations: [{ id: 7, afterSeq: 2 }] }]);
    // What it missed arrives; the seq it had past the gap is not given twice.
    last().say({ type: 'message', message: message(7, 3) });
    last().say({ type: 'message', message: message(7, 4) });
    last().say({ type: 'message', message: message(7, 5) });
    const seqs = frames.flatMap((f) => (f.type === 'message' ? [f.message.seq] : []));
    expect(seqs).toEqual([2, 4, 3, 5]);

    // Opened, then dropped again at once: the delays grow until a connection is ready.
    last().onopen?.call(last() as never, {} as Event);
    last().end();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(3);
    last().onopen?.call(last() as never, {} as Event);
    last().end();
    await jest.advanceTimersByTimeAsync(1_999);
    expect(sockets).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(4);
  });

  it('lets the token be refreshed after a connection refused before opening; stops when the session is over', async () => {
    client.start();
    last().end();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(recover).toHaveBeenCalledTimes(1);
    expect(last().url).toContain('token=access-2');
    last().accept();
    expect(client.state).toBe('ready');

    recover.mockImplementation(async () => false);
    last().end();
    expect(client.state).toBe('waiting');
    // A drop of an open socket reconnects without asking; a refusal then asks, and the session is over.
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(3);
    expect(recover).toHaveBeenCalledTimes(1);
    last().end();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(recover).toHaveBeenCalledTimes(2);
    expect(sockets).toHaveLength(3);
    expect(client.state).toBe('idle');
  });

  it('says a refused message by its reason, and hands unanswered ones back to be sent over HTTP', async () => {
    await expect(client.send(7, { kind: 'text', clientMsgId: 'notready01', text: 'x' })).rejects.toBeInstanceOf(
      SupportSocketDown,
    );
    client.start();
    last().accept();
    const refused = client.send(7, { kind: 'text', clientMsgId: 'refused001', text: 'x' });
    last().say({ type: 'error', clientMsgId: 'refused001', code: 'CONFLICT', reason: 'SUPPORT_CONVERSATION_TAKEN' });
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupportSendError);
    expect(error).toMatchObject({ code: 'CONFLICT', reason: 'SUPPORT_CONVERSATION_TAKEN' });

    const cut = client.send(7, { kind: 'text', clientMsgId: 'cutoff0001', text: 'x' });
    last().end();
    await expect(cut).rejects.toBeInstanceOf(SupportSocketDown);

    await jest.advanceTimersByTimeAsync(1_000);
    last().accept();
    const silent = client.send(7, { kind: 'text', clientMsgId: 'silent0001', text: 'x' }).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await silent).toBeInstanceOf(SupportSocketDown);
    // An error that is not about a message is passed on.
    last().say({ type: 'error', code: 'NOT_FOUND', reason: 'SUPPORT_CONVERSATION_NOT_FOUND' });
    expect(frames.at(-1)).toMatchObject({ type: 'error', reason: 'SUPPORT_CONVERSATION_NOT_FOUND' });
  });

  it('pings, and replaces a socket that stays silent', async () => {
    client.start();
    last().accept();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(last().sent.at(-1)).toEqual({ type: 'ping' });
    last().say({ type: 'pong' });
    await jest.advanceTimersByTimeAsync(20_000);
    expect(sockets).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(sockets[0]!.closedByClient).toBe(true);
    expect(client.state).toBe('waiting');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(2);
  });

  it('tries nothing while signed out', () => {
    token = null;
    client.start();
    expect(sockets).toHaveLength(0);
    expect(client.state).toBe('idle');
  });
});
