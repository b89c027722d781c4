/**
 * The console's end of the customer-service WebSocket (ADR 0013): one connection per tab, signed in with the merchant's
 * access token. The server sends each conversation's messages in seq order, once per socket; this client keeps, per
 * conversation it follows (the one the agent has open), the last seq it has, drops what it has seen (an `ack` and the
 * echoed `message` carry the same seq), and on every (re)connection asks for what it missed (`resume`, or `watch` for
 * a conversation that is not the agent's). It reconnects with an exponential backoff; a connection refused before it
 * opened (the browser cannot tell a 401 from a network failure) first lets the caller refresh the token.
 * No Vue, no store, no `window`: the pure parts and the class are tested with a fake socket.
 */
import type { SupportClientFrame, SupportMessage, SupportSendBody, SupportServerFrame } from '@shopfleet/contracts';

/** The delay before reconnect attempt `attempt` (0-based): 1 s doubling up to 30 s, its upper half random. */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 1_000,
  maxMs = 30_000,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The seqs of one conversation this client has: the last one with none missing before it, and any past a gap. */
export class SeqCursor {
  private readonly ahead = new Set<number>();

  constructor(private contiguous = 0) {}

  /** The seq to resume after: everything up to it is here. */
  get last(): number {
    return this.contiguous;
  }

  /** Records a seq; false when it was here already. */
  see(seq: number): boolean {
    if (seq <= this.contiguous || this.ahead.has(seq)) return false;
    this.ahead.add(seq);
    while (this.ahead.delete(this.contiguous + 1)) this.contiguous++;
    return true;
  }
}

/** `incoming` merged into `list`: in seq order, each seq once (the one already there is kept). */
export function mergeBySeq(list: readonly SupportMessage[], incoming: readonly SupportMessage[]): SupportMessage[] {
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of incoming) if (!bySeq.has(m.seq)) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** A conversation the client follows: how far it has it, and whether it watches it (not the agent's own). */
export interface Followed {
  cursor: SeqCursor;
  watch: boolean;
}

/** The most conversations one `resume` frame may name (the contracts' limit). */
export const RESUME_MAX = 200;

/** What to say on (re)connection: `resume` for the agent's own conversations, `watch` for the others, after each last seq. */
export function resumeFrames(followed: ReadonlyMap<number, Followed>): SupportClientFrame[] {
  const resume: Array<{ id: number; afterSeq: number }> = [];
  const watches: SupportClientFrame[] = [];
  for (const [id, f] of followed) {
    if (f.watch) watches.push({ type: 'watch', conversationId: id, afterSeq: f.cursor.last });
    else resume.push({ id, afterSeq: f.cursor.last });
  }
  const frames: SupportClientFrame[] = [];
  for (let i = 0; i < resume.length; i += RESUME_MAX)
    frames.push({ type: 'resume', conversations: resume.slice(i, i + RESUME_MAX) });
  return [...frames, ...watches];
}

/** A client message id: 20 letters and digits (the server takes 8 to 64 of letters, digits, - and _). */
export function newClientMsgId(random: () => number = Math.random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 20; i++) id += alphabet[Math.floor(random() * alphabet.length)];
  return id;
}

/** The server refused a message (its code and the reason to say it by). */
export class SupportSendError extends Error {
  override readonly name = 'SupportSendError';
  constructor(
    readonly code: string,
    readonly reason?: string,
    readonly params?: Record<string, unknown>,
  ) {
    super(reason ?? code);
  }
}

/** The socket is not connected, or closed before the answer came: send the same message over HTTP. */
export class SupportSocketDown extends Error {
  override readonly name = 'SupportSocketDown';
  constructor() {
    super('the chat socket is not connected');
  }
}

/** What this client needs of a WebSocket (the browser's, or a test's fake). */
export type SocketLike = Pick<WebSocket, 'send' | 'close' | 'onopen' | 'onmessage' | 'onclose' | 'onerror'>;

/** idle: not started or stopped; connecting; ready: the server said `ready`; waiting: to reconnect after a delay. */
export type SupportSocketState = 'idle' | 'connecting' | 'ready' | 'waiting';

export interface SupportSocketOptions {
  /** The socket's address with the current access token; null when signed out (nothing is tried). */
  url(): string | null;
  /**
   * Called when a connection failed before it opened, before the next try: refresh the access token if it has
   * expired. Resolves false when the session is over (no more tries).
   */
  recover(): Promise<boolean>;
  connect(url: string): SocketLike;
  random?: () => number;
  /** How long a sent message waits for its `ack` before it is sent again over HTTP (same client id). */
  ackTimeoutMs?: number;
  /** A `ping` this often; a socket that said nothing since the last one is dropped and reconnected. */
  pingMs?: number;
  setTimeout?: (run: () => void, ms: number) => unknown;
  clearTimeout?: (timer: unknown) => void;
}

interface Pending {
  resolve(message: SupportMessage): void;
  reject(error: Error): void;
  timer: unknown;
}

export class SupportSocket {
  private ws: SocketLike | null = null;
  private running = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private heard = true;
  private current: SupportSocketState = 'idle';
  private readonly followed = new Map<number, Followed>();
  private readonly pending = new Map<string, Pending>();
  private readonly frameListeners = new Set<(frame: SupportServerFrame) => void>();
  private readonly stateListeners = new Set<(state: SupportSocketState) => void>();
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: SupportSocketOptions) {
    this.setTimer = options.setTimeout ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimeout ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  get state(): SupportSocketState {
    return this.current;
  }

  /** Every frame the server sends, a followed conversation's messages once each; returns the unsubscribe. */
  onFrame(listener: (frame: SupportServerFrame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onState(listener: (state: SupportSocketState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.running = false;
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    if (ws) this.closed(ws, 'stopped');
    this.setState('idle');
  }

  /** A try now instead of at the end of the backoff (the network is back, the tab is shown again). */
  reconnectNow(): void {
    if (!this.running || this.current !== 'waiting') return;
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  /**
   * Follows a conversation from `afterSeq` (the last seq the caller has): its messages after it arrive, each once,
   * now and after every reconnection. `watch` for a conversation that is not the agent's own.
   */
  follow(conversationId: number, afterSeq: number, watch: boolean): void {
    const followed: Followed = { cursor: new SeqCursor(afterSeq), watch };
    this.followed.set(conversationId, followed);
    if (this.current !== 'ready') return;
    for (const frame of resumeFrames(new Map([[conversationId, followed]]))) this.write(frame);
  }

  unfollow(conversationId: number): void {
    const followed = this.followed.get(conversationId);
    this.followed.delete(conversationId);
    if (followed?.watch && this.current === 'ready') this.write({ type: 'unwatch', conversationId });
  }

  /** Whether the client watches this conversation (open, but not the agent's own). */
  watching(conversationId: number): boolean {
    return this.followed.get(conversationId)?.watch ?? false;
  }

  /** The last seq with none missing before it, of a followed conversation. */
  lastSeq(conversationId: number): number | null {
    return this.followed.get(conversationId)?.cursor.last ?? null;
  }

  /**
   * Sends a message and resolves with it as stored. Rejects with SupportSendError when the server refuses it, and
   * with SupportSocketDown when the socket is not ready or closes (or stays silent) before the answer: the caller
   * sends it over HTTP with the same client id, which the server answers with the first if it had stored it.
   */
  send(conversationId: number, message: SupportSendBody): Promise<SupportMessage> {
    if (this.current !== 'ready') return Promise.reject(new SupportSocketDown());
    return new Promise<SupportMessage>((resolve, reject) => {
      const id = message.clientMsgId;
      const timer = this.setTimer(() => {
        this.pending.delete(id);
        reject(new SupportSocketDown());
      }, this.options.ackTimeoutMs ?? 15_000);
      this.pending.get(id)?.reject(new SupportSocketDown());
      this.pending.set(id, { resolve, reject, timer });
      this.write({ type: 'send', conversationId, message });
    });
  }

  /** Marks the shopper's messages read up to `seq`; false when the socket is not ready (use HTTP). */
  read(conversationId: number, seq: number): boolean {
    if (this.current !== 'ready') return false;
    this.write({ type: 'read', conversationId, seq });
    return true;
  }

  private setState(state: SupportSocketState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private write(frame: SupportClientFrame): void {
    this.ws?.send(JSON.stringify(frame));
  }

  private emit(frame: SupportServerFrame): void {
    for (const listener of this.frameListeners) listener(frame);
  }

  private open(): void {
    const url = this.options.url();
    if (!url) {
      this.running = false;
      this.setState('idle');
      return;
    }
    this.setState('connecting');
    let opened = false;
    let ws: SocketLike;
    try {
      ws = this.options.connect(url);
    } catch {
      this.setState('waiting');
      this.scheduleRetry(false);
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      this.heard = true;
      let frame: SupportServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as SupportServerFrame;
      } catch {
        return;
      }
      this.onServerFrame(frame);
    };
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.closed(ws, opened ? 'dropped' : 'refused');
    };
  }

  /** The socket is gone: what waited for it is sent over HTTP, and unless stopped, a new one is tried. */
  private closed(ws: SocketLike, why: 'dropped' | 'refused' | 'stopped'): void {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (this.ws === ws) this.ws = null;
    try {
      ws.close(1000);
    } catch {
      // Already closed.
    }
    if (this.pingTimer !== null) this.clearTimer(this.pingTimer);
    this.pingTimer = null;
    for (const [id, pending] of this.pending) {
      this.clearTimer(pending.timer);
      this.pending.delete(id);
      pending.reject(new SupportSocketDown());
    }
    if (why === 'stopped' || !this.running) return;
    this.setState('waiting');
    this.scheduleRetry(why === 'refused');
  }

  private scheduleRetry(refused: boolean): void {
    const next = async () => {
      if (refused) {
        let go = true;
        try {
          go = await this.options.recover();
        } catch {
          // The token could not be checked now (the network): try again later.
        }
        if (!go) {
          this.running = false;
          this.setState('idle');
          return;
        }
      }
      if (!this.running || this.current !== 'waiting') return;
      this.retryTimer = this.setTimer(
        () => {
          this.retryTimer = null;
          if (this.running && this.current === 'waiting') this.open();
        },
        backoffDelay(this.attempt++, this.options.random),
      );
    };
    void next();
  }

  private ping(): void {
    this.pingTimer = this.setTimer(() => {
      const ws = this.ws;
      if (!ws || this.current !== 'ready') return;
      if (!this.heard) {
        // Silent since the last ping: the connection is dead without having said so.
        this.closed(ws, 'dropped');
        return;
      }
      this.heard = false;
      this.write({ type: 'ping' });
      this.ping();
    }, this.options.pingMs ?? 25_000);
  }

  private onServerFrame(frame: SupportServerFrame): void {
    switch (frame.type) {
      case 'ready':
        this.attempt = 0;
        this.setState('ready');
        for (const out of resumeFrames(this.followed)) this.write(out);
        this.ping();
        this.emit(frame);
        return;
      case 'message': {
        const followed = this.followed.get(frame.message.conversationId);
        if (followed && !followed.cursor.see(frame.message.seq)) return;
        this.emit(frame);
        return;
      }
      case 'ack': {
        this.followed.get(frame.message.conversationId)?.cursor.see(frame.message.seq);
        const pending = this.pending.get(frame.clientMsgId);
        if (pending) {
          this.clearTimer(pending.timer);
          this.pending.delete(frame.clientMsgId);
          pending.resolve(frame.message);
        }
        this.emit(frame);
        return;
      }
      case 'error': {
        const pending = frame.clientMsgId ? this.pending.get(frame.clientMsgId) : undefined;
        if (pending && frame.clientMsgId) {
          this.clearTimer(pending.timer);
          this.pending.delete(frame.clientMsgId);
          pending.reject(new SupportSendError(frame.code, frame.reason, frame.params));
          return;
        }
        this.emit(frame);
        return;
      }
      case 'pong':
        return;
      default:
        this.emit(frame);
    }
  }
}
