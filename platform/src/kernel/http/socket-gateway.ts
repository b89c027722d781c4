import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { claimWsPath, isWsPathClaimed } from './ws-paths';

/** An open socket of a gateway: what `open` said of it, its socket, and whether it answered the last ping. */
export type GatewayConn<C extends { tenantId: number }> = C & { ws: WebSocket; alive: boolean };

export interface SocketGatewayOptions<C extends { tenantId: number }> {
  /** The path whose upgrades this gateway answers. */
  path: string;
  /** The largest frame a client may send. */
  maxPayload: number;
  /** Seconds between pings; a socket that has not answered the last one is dropped. */
  heartbeatSeconds?: number;
  /** Who asks to open a socket (from the upgrade's query), bound to a shop; throws to refuse it (401, no upgrade). */
  open(req: IncomingMessage, url: URL): Promise<C>;
  /** A socket is open and registered: its first frame, and what it does with the frames it gets. */
  connected(conn: GatewayConn<C>): void;
  /** A frame from a socket (the socket is known alive). */
  message(conn: GatewayConn<C>, data: RawData): void;
  /** Starts delivering the module's events (a bus subscription); answers how to stop. */
  subscribe(): Promise<() => Promise<void>>;
}

/**
 * What every WebSocket endpoint of the API does alike (ADR 0013): answer upgrades to its path on the HTTP server
 * (refusing an unknown sign-in before the upgrade, as an HTTP answer; answering 404, once, an upgrade to a path no
 * gateway claims), keep its open sockets by shop for the module's fan-out, ping them and drop the silent, and close
 * them all at shutdown. The module says who may open a socket and what its frames do.
 */
export function socketGateway<C extends { tenantId: number }>(opts: SocketGatewayOptions<C>) {
  type Conn = GatewayConn<C>;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload });
  const byTenant = new Map<number, Set<Conn>>();
  let unsubscribe: (() => Promise<void>) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  /** The HTTP servers whose upgrades this answers (attached once each). */
  const attached = new WeakSet<Server>();
  const none: ReadonlySet<Conn> = new Set();

  function onUpgrade(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== opts.path) {
      // An upgrade to a path no gateway answers is answered (once, by the first gateway), never left open.
      if (!isWsPathClaimed(server, url.pathname) && socket.writable)
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    opts.open(req, url).then(
      (who) =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          const conn = { ...who, ws, alive: true } as Conn;
          const set = byTenant.get(conn.tenantId) ?? new Set<Conn>();
          set.add(conn);
          byTenant.set(conn.tenantId, set);
          ws.on('pong', () => (conn.alive = true));
          ws.on('message', (data: RawData) => {
            conn.alive = true;
            opts.message(conn, data);
          });
          ws.on('close', () => {
            set.delete(conn);
            if (set.size === 0) byTenant.delete(conn.tenantId);
          });
          opts.connected(conn);
        }),
      // Signed out, another shop's token, no permission: refused before the upgrade, as an HTTP answer.
      () => socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
    );
  }

  return {
    /** The open sockets of a shop in this process. */
    of(tenantId: number): ReadonlySet<Conn> {
      return byTenant.get(tenantId) ?? none;
    },

    /** Starts delivering events and answers upgrades to the gateway's path on `server`. */
    async attach(server: Server): Promise<void> {
      unsubscribe ??= await opts.subscribe();
      if (attached.has(server)) return;
      attached.add(server);
      claimWsPath(server, opts.path);
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
        onUpgrade(server, req, socket, head),
      );
      heartbeat ??= setInterval(
        () => {
          for (const set of byTenant.values())
            for (const conn of set) {
              if (!conn.alive) conn.ws.terminate();
              else {
                conn.alive = false;
                conn.ws.ping();
              }
            }
        },
        (opts.heartbeatSeconds ?? 30) * 1000,
      );
      heartbeat.unref();
    },

    /** How many sockets are open (for metrics and tests). */
    size(): number {
      let n = 0;
      for (const set of byTenant.values()) n += set.size;
      return n;
    },

    /** Closes every socket and stops delivering. */
    async close(): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      for (const set of byTenant.values()) for (const conn of set) conn.ws.close(1001, 'server shutting down');
      byTenant.clear();
      wss.close();
      await unsubscribe?.();
      unsubscribe = null;
    },
  };
}
