/**
 * The console's end of the alerts WebSocket (ADR 0020): one connection per tab, signed in with the merchant's access
 * token, over which the server sends the shop's live alerts the staff member may see. One way: the client sends only
 * pings. It reconnects with the chat socket's backoff; a connection refused before it opened (the browser cannot tell
 * a 401 from a network failure) first lets the caller refresh the token. Nothing is lost while it is down: each alert is
 * a notification, and the bell's poll shows it. No Vue, no store, no `window`.
 */
import type { AlertServerFrame, Notification } from '@shopfleet/contracts';
import { backoffDelay, type SocketLike } from './support-socket';

export interface AlertsSocketOptions {
  /** The socket's address with the current access token; null when signed out (nothing is tried). */
  url(): string | null;
  /** Before a retry after a refusal: refresh the access token if it expired; false when the session is over. */
  recover(): Promise<boolean>;
  connect(url: string): SocketLike;
  onAlert(notification: Notification): void;
  /** The socket is signed in and listening (true), or down (false). */
  onReady?(ready: boolean): void;
  random?: () => number;
  /** A ping this often keeps the connection through proxies that close quiet ones. */
  pingMs?: number;
}

export class AlertsSocket {
  private ws: SocketLike | null = null;
  private running = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: AlertsSocketOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.running = false;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.ws) this.drop(this.ws);
  }

  /** A try now instead of at the end of the backoff (the network is back, the tab is shown again). */
  reconnectNow(): void {
    if (!this.running || this.ws || this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  private open(): void {
    const url = this.options.url();
    if (!url) {
      this.running = false;
      return;
    }
    let opened = false;
    let ws: SocketLike;
    try {
      ws = this.options.connect(url);
    } catch {
      this.retry(false);
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.pingTimer = setInterval(() => ws.send(JSON.stringify({ type: 'ping' })), this.options.pingMs ?? 25_000);
    };
    ws.onmessage = (event) => {
      let frame: AlertServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as AlertServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'alert') this.options.onAlert(frame.notification);
      else if (frame.type === 'ready') this.options.onReady?.(true);
    };
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.drop(ws);
      if (this.running) this.retry(!opened);
    };
  }

  private drop(ws: SocketLike): void {
    this.options.onReady?.(false);
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (this.ws === ws) this.ws = null;
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    try {
      ws.close(1000);
    } catch {
      // Already closed.
    }
  }

  private retry(refused: boolean): void {
    const delay = backoffDelay(this.attempt++, this.options.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void (async () => {
        if (refused) {
          let go = true;
          try {
            go = await this.options.recover();
          } catch {
            // The token could not be checked now: try again later.
          }
          if (!go) {
            this.running = false;
            return;
          }
        }
        if (this.running) this.open();
      })();
    }, delay);
  }
}
