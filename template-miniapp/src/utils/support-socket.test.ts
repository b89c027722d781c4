import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { SupportServerFrame } from '@shopfleet/contracts';
import { SupportSocket, type ChatSocketEvents, type ChatSocketState } from './support-socket';

/** A socket the test plays the server of. */
class FakeSocket {
  readonly sent: unknown[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly events: ChatSocketEvents,
  ) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  say(frame: SupportServerFrame) {
    this.events.message(JSON.stringify(frame));
  }
}

let sockets: FakeSocket[];
let states: ChatSocketState[];
let frames: SupportServerFrame[];
let readies: number;
let signedIn: boolean;
let checks: number;
let token: string | null;

function chat() {
  return new SupportSocket({
    url: () => (token ? `ws://shop/ws/support?token=${token}` : null),
    open: (url, events) => {
      const socket = new FakeSocket(url, events);
      sockets.push(socket);
      return socket;
    },
    checkSignIn: async () => {
      checks += 1;
      // The request client refreshed the token (or the session ended).
      if (signedIn) token = `fresh${checks}`;
      return signedIn;
    },
    onReady: () => (readies += 1),
    onFrame: (frame) => frames.push(frame),
    onState: (state) => states.push(state),
    random: () => 1,
    pingEveryMs: 25_000,
    silenceMs: 10_000,
  });
}

const last = () => sockets[sockets.length - 1]!;
/** Lets the awaited sign-in check settle. */
const settle = () => jest.advanceTimersByTimeAsync(0);

beforeEach(() => {
  jest.useFakeTimers();
  sockets = [];
  states = [];
  frames = [];
  readies = 0;
  signedIn = true;
  checks = 0;
  token = 'tok';
});
afterEach(() => {
  jest.useRealTimers();
});

describe('the chat socket', () => {
  it('is ready once the server says so, then hands over every frame but pong, and sends only while ready', () => {
    const s = chat();
    s.start();
    expect(s.send({ type: 'ping' })).toBe(false);
    last().say({ type: 'ready', audience: 'shopper' });
    expect(readies).toBe(1);
    expect(states).toEqual(['connecting', 'ready']);
    last().say({ type: 'pong' });
    last().events.message('garbage');
    last().say({ type: 'resumed', conversationId: 7, lastSeq: 3 });
    expect(frames).toEqual([{ type: 'resumed', conversationId: 7, lastSeq: 3 }]);
    expect(s.send({ type: 'read', conversationId: 7, seq: 3 })).toBe(true);
    expect(last().sent).toEqual([{ type: 'read', conversationId: 7, seq: 3 }]);
    s.stop();
  });

  it('reconnects after a drop with a doubling wait, back to the shortest once connected again', async () => {
    const s = chat();
    s.start();
    last().say({ type: 'ready', audience: 'shopper' });
    last().events.closed();
    // An error and then a close of the same socket count once.
    last().events.closed();
    expect(states.at(-1)).toBe('waiting');
    await jest.advanceTimersByTimeAsync(999);
    expect(sockets).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);

    // Failing again and again before `ready`: 2 s, then 4 s.
    last().events.closed();
    await settle();
    await jest.advanceTimersByTimeAsync(1_999);
    expect(sockets).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    last().events.closed();
    await settle();
    await jest.advanceTimersByTimeAsync(3_999);
    expect(sockets).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(4);

    // Connected: the next drop waits the shortest again, and the new socket is told to resume.
    last().say({ type: 'ready', audience: 'shopper' });
    expect(readies).toBe(2);
    last().events.closed();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(5);
    last().say({ type: 'ready', audience: 'shopper' });
    expect(readies).toBe(3);
    s.stop();
  });

  it('a refused upgrade checks the sign-in (which refreshes the token) and reconnects with the new token', async () => {
    token = 'expired';
    const s = chat();
    s.start();
    expect(last().url).toContain('token=expired');
    last().events.closed();
    await settle();
    expect(checks).toBe(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(last().url).toContain('token=fresh1');
    s.stop();
  });

  it('stops trying once the sign-in is over, and tries nothing while signed out', async () => {
    const s = chat();
    s.start();
    signedIn = false;
    last().events.closed();
    await settle();
    expect(states.at(-1)).toBe('signed-out');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);

    token = null;
    s.wake();
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('signed-out');
  });

  it('coming back to the foreground reconnects at once while waiting, and resumes a socket that is up', async () => {
    const s = chat();
    s.start();
    last().say({ type: 'ready', audience: 'shopper' });
    s.wake();
    expect(readies).toBe(2);
    expect(sockets).toHaveLength(1);

    last().events.closed();
    expect(states.at(-1)).toBe('waiting');
    s.wake();
    expect(sockets).toHaveLength(2);
    // The wait that was running (a second) connects no other socket.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(sockets).toHaveLength(2);
    s.stop();
  });

  it('pings while ready; a socket silent after a ping, or one that never gets ready, is dropped and replaced', async () => {
    const s = chat();
    s.start();
    last().say({ type: 'ready', audience: 'shopper' });
    await jest.advanceTimersByTimeAsync(25_000);
    expect(last().sent).toEqual([{ type: 'ping' }]);
    last().say({ type: 'pong' });
    await jest.advanceTimersByTimeAsync(25_000);
    expect(last().sent).toHaveLength(2);
    // No pong this time.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sockets[0]!.closed).toBe(true);
    expect(states.at(-1)).toBe('waiting');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(2);

    // This one never answers at all: after the silence allowed it counts as refused.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sockets[1]!.closed).toBe(true);
    expect(checks).toBe(1);
    s.stop();
  });

  it('stop closes the socket and nothing reconnects', async () => {
    const s = chat();
    s.start();
    last().say({ type: 'ready', audience: 'shopper' });
    s.stop();
    expect(last().closed).toBe(true);
    last().events.closed();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('stopped');
  });
});
