import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ALERTS_WS_PATH, type AlertServerFrame } from '@shopfleet/contracts';
import type { Actor } from '../../kernel/context';
import { claimWsPath, isWsPathClaimed } from '../../kernel/http/ws-paths';
import type { Log } from '../../kernel/logger';
import type { AlertEvent, AlertsBus } from './alerts.bus';

export interface AlertsGatewayDeps {
  bus: AlertsBus;
  authenticate(audience: 'merchant', token: string): Promise<Actor>;
  log: Log;
  /** Seconds between pings; a socket that has not answered the last one is dropped. */
  heartbeatSeconds?: number;
}

/** One console tab: its shop and what its staff member may see. */
interface Conn {
  ws: WebSocket;
  tenantId: number;
  permissions: ReadonlySet<string>;
  alive: boolean;
}

const send = (conn: Conn, frame: AlertServerFrame | string) => {
  if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
};

/**
 * The console's alerts WebSocket (`ALERTS_WS_PATH`, ADR 0020), on the API's HTTP server beside the chat's and built as
 * it is (ADR 0013): signed in with the merchant's access token in the query, bound to its shop; every process delivers
 * the bus's alerts to its own sockets of that shop whose staff member has the alert's permission. One way only: the
 * console sends nothing but pings.
 */
export function alertsGateway(deps: AlertsGatewayDeps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const byTenant = new Map<number, Set<Conn>>();
  let unsubscribe: (() => Promise<void>) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  const attached = new WeakSet<Server>();

  function onEvent(e: AlertEvent): void {
    const conns = byTenant.get(e.tenantId);
    if (!conns) return;
    const frame = JSON.stringify({ type: 'alert', notification: e.notification } satisfies AlertServerFrame);
    for (const conn of conns) if (conn.permissions.has(e.permission)) send(conn, frame);
  }

  async function open(req: IncomingMessage): Promise<Omit<Conn, 'ws' | 'alive'>> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const actor = await deps.authenticate('merchant', url.searchParams.get('token') ?? '');
    if (actor.type !== 'merchant') throw new Error('not merchant staff');
    return { tenantId: actor.tenantId, permissions: new Set(actor.permissions) };
  }

  function onUpgrade(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== ALERTS_WS_PATH) {
      if (!isWsPathClaimed(server, path) && socket.writable)
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    open(req).then(
      (partial) =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          const conn: Conn = { ...partial, ws, alive: true };
          const set = byTenant.get(conn.tenantId) ?? new Set<Conn>();
          set.add(conn);
          byTenant.set(conn.tenantId, set);
          ws.on('pong', () => (conn.alive = true));
          ws.on('message', (data) => {
            conn.alive = true;
            if (String(data).includes('"ping"')) send(conn, { type: 'pong' });
          });
          ws.on('close', () => {
            set.delete(conn);
            if (set.size === 0) byTenant.delete(conn.tenantId);
          });
          send(conn, { type: 'ready' });
        }),
      () => socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
    );
  }

  return {
    /** Starts listening to the bus and answers upgrades to the alerts' path on `server`. */
    async attach(server: Server): Promise<void> {
      unsubscribe ??= await deps.bus.subscribe(onEvent);
      if (attached.has(server)) return;
      attached.add(server);
      claimWsPath(server, ALERTS_WS_PATH);
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
        (deps.heartbeatSeconds ?? 30) * 1000,
      );
      heartbeat.unref();
    },

    /** How many sockets are open (for metrics and tests). */
    size(): number {
      let n = 0;
      for (const set of byTenant.values()) n += set.size;
      return n;
    },

    /** Closes every socket and stops listening. */
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

export type AlertsGateway = ReturnType<typeof alertsGateway>;
