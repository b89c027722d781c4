import type { SupportClientFrame, SupportServerFrame } from '@shopfleet/contracts';
import { backoffDelay, parseServerFrame } from './support-chat';

/** One WebSocket as the chat uses it. */
export interface ChatSocket {
  send(data: string): void;
  close(): void;
}

/** What a socket tells its owner; `closed` may come more than once (an error, then the close), the owner takes one. */
export interface ChatSocketEvents {
  message(data: unknown): void;
  closed(): void;
}

export type OpenChatSocket = (url: string, events: ChatSocketEvents) => ChatSocket;

/**
 * `idle` before start; `connecting` until the server says `ready`; `ready`; `waiting` to reconnect after a drop or
 * a refusal; `signed-out` when the sign-in is gone (nothing more is tried); `stopped`.
 */
export type ChatSocketState = 'idle' | 'connecting' | 'ready' | 'waiting' | 'signed-out' | 'stopped';

export interface SupportSocketOptions {
  /** The URL with the current access token, or null when signed out. */
  url(): string | null;
  open: OpenChatSocket;
  /**
   * After a socket ended before the server said `ready` (the upgrade is refused with a 401 when the token is bad):
   * checks the sign-in the way the request client does (refreshing an expired token). False when it is over.
   */
  checkSignIn(): Promise<boolean>;
  /** The server is ready: ask it for what was missed (`resume`). */
  onReady(): void;
  onFrame(frame: SupportServerFrame): void;
  onState(state: ChatSocketState): void;
  random?: () => number;
  /** Between pings while ready. */
  pingEveryMs?: number;
  /** How long a socket may stay silent after a ping, or before `ready`, before it is taken for dead. */
  silenceMs?: number;
}

const PING_EVERY_MS = 25_000;
const SILENCE_MS = 10_000;

/**
 * The shopper's chat connection: connects, says when the server is ready (so the owner resumes), reconnects after a
 * drop with exponential backoff (at once when `wake` is called: the page came back to the foreground), refreshes the
 * sign-in when the server refuses it, and takes a socket that stops answering pings for dead.
 */
export class SupportSocket {
  private socket: ChatSocket | null = null;
  private attempt = 0;
  private state: ChatSocketState = 'idle';
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;
  /** Closes the current socket and handles it as closed, whether or not the platform says so. */
  private drop: (() => void) | null = null;

  constructor(private readonly options: SupportSocketOptions) {}

  get current(): ChatSocketState {
    return this.state;
  }

  /** Connects, unless already connected or connecting. */
  start(): void {
    if (this.state === 'connecting' || this.state === 'ready' || this.state === 'waiting') return;
    this.connect();
  }

  /** The page is in front again: a socket that is up resumes; one that is down (or waiting) connects now. */
  wake(): void {
    if (this.state === 'ready') {
      this.options.onReady();
      return;
    }
    if (this.state === 'connecting') return;
    this.attempt = 0;
    this.clearRetry();
    this.connect();
  }

  /** Sends a frame when the server is ready; false otherwise (the caller uses the REST endpoint instead). */
  send(frame: SupportClientFrame): boolean {
    if (this.state !== 'ready' || !this.socket) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Closes the socket and tries no more. */
  stop(): void {
    this.clearRetry();
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    this.setState('stopped');
    socket?.close();
  }

  private connect(): void {
    const url = this.options.url();
    if (!url) {
      this.setState('signed-out');
      return;
    }
    let ready = false;
    let ended = false;
    const events: ChatSocketEvents = {
      message: (data) => {
        if (this.socket !== socket) return;
        const frame = parseServerFrame(data);
        if (!frame) return;
        this.heard();
        if (frame.type === 'ready') {
          ready = true;
          this.attempt = 0;
          this.setState('ready');
          this.startPings();
          this.options.onReady();
          return;
        }
        if (frame.type !== 'pong') this.options.onFrame(frame);
      },
      closed: () => {
        if (ended) return;
        ended = true;
        if (this.socket !== socket) return;
        this.socket = null;
        this.clearTimers();
        if (this.state === 'stopped') return;
        if (ready) this.retryLater();
        else void this.afterRefusal();
      },
    };
    this.setState('connecting');
    const socket = this.options.open(url, events);
    this.socket = socket;
    this.drop = () => {
      socket.close();
      events.closed();
    };
    // A socket that neither opens nor fails (a mini-program on a bad network) is given up on.
    this.expectWithin(socket);
  }

  private async afterRefusal(): Promise<void> {
    const signedIn = await this.options.checkSignIn().catch(() => true);
    if (this.state === 'stopped' || this.socket) return;
    if (!signedIn) {
      this.setState('signed-out');
      return;
    }
    this.retryLater();
  }

  private retryLater(): void {
    this.clearRetry();
    this.setState('waiting');
    const delay = backoffDelay(this.attempt, this.options.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private startPings(): void {
    this.clearPings();
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      if (!socket || this.state !== 'ready') return;
      socket.send(JSON.stringify({ type: 'ping' } satisfies SupportClientFrame));
      this.expectWithin(socket);
    }, this.options.pingEveryMs ?? PING_EVERY_MS);
  }

  /** Takes `socket` for dead unless the server says something within the silence allowed. */
  private expectWithin(socket: ChatSocket): void {
    if (this.silenceTimer) return;
    this.silenceTimer = setTimeout(() => {
      this.silenceTimer = null;
      if (this.socket === socket) this.drop?.();
    }, this.options.silenceMs ?? SILENCE_MS);
  }

  private heard(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
  }

  private setState(state: ChatSocketState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState(state);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearPings(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private clearTimers(): void {
    this.clearPings();
    this.heard();
  }
}

/** A chat socket on `uni.connectSocket` (the browser's WebSocket on h5, wx.connectSocket in the mini-program). */
export const openUniSocket: OpenChatSocket = (url, events) => {
  // Passing a callback makes uni return the SocketTask rather than a promise.
  const task = uni.connectSocket({ url, complete: () => undefined });
  task.onMessage((res) => events.message(res.data));
  task.onError(() => events.closed());
  task.onClose(() => events.closed());
  return {
    send: (data) => task.send({ data }),
    close: () => task.close({}),
  };
};
