import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { SUPPORT_WS_PATH, type SupportClientFrame, type SupportServerFrame } from '@shopfleet/contracts';
import type { TestPlatform } from './test-platform';

/** The platform's app and its chat WebSocket on a free local port, as `main.ts` serves them. */
export async function serveChat(t: TestPlatform): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  await t.platform.services.chat.attach(server);
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      // Upgraded sockets are not the server's connections any more: the gateway closes them.
      await t.platform.services.chat.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A chat socket as a client holds it: every frame it got, and a way to wait for one. */
export class ChatClient {
  readonly frames: SupportServerFrame[] = [];
  private waiters: Array<{ test: (f: SupportServerFrame) => boolean; resolve: (f: SupportServerFrame) => void }> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as SupportServerFrame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  /** Connects as a shopper of `shopKey` or as merchant staff; rejects with the HTTP status when refused. */
  static async connect(
    origin: string,
    who: { audience: 'shopper'; shop: string; token: string } | { audience: 'merchant'; token: string },
  ): Promise<ChatClient> {
    const q = new URLSearchParams(who as Record<string, string>);
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}${SUPPORT_WS_PATH}?${q}`);
    const client = new ChatClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.once('error', reject);
      ws.once('open', () => resolve());
    });
    await client.next((f) => f.type === 'ready');
    return client;
  }

  send(frame: SupportClientFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame (already here, or to come) that passes `test`. */
  next<T extends SupportServerFrame>(test: (f: SupportServerFrame) => boolean, timeoutMs = 5_000): Promise<T> {
    const seen = this.frames.find(test);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no such frame in time; got ${JSON.stringify(this.frames.slice(-5))}`)),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as T);
        },
      });
    });
  }

  /** The messages received (frames of type `message`), in arrival order. */
  messages(conversationId?: number) {
    return this.frames.flatMap((f) =>
      f.type === 'message' && (conversationId === undefined || f.message.conversationId === conversationId)
        ? [f.message]
        : [],
    );
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
