import { ALERTS_WS_PATH, type AlertServerFrame } from '@shopfleet/contracts';
import type { Actor } from '../../kernel/context';
import { socketGateway, type GatewayConn } from '../../kernel/http/socket-gateway';
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
type Conn = GatewayConn<{ tenantId: number; permissions: ReadonlySet<string> }>;

const send = (conn: Conn, frame: AlertServerFrame | string) => {
  if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
};

/**
 * The console's alerts WebSocket (`ALERTS_WS_PATH`, ADR 0020), on the API's HTTP server beside the chat's and built as
 * it is (ADR 0013, `socketGateway`): signed in with the merchant's access token in the query, bound to its shop; every
 * process delivers the bus's alerts to its own sockets of that shop whose staff member has the alert's permission. One
 * way only: the console sends nothing but pings.
 */
export function alertsGateway(deps: AlertsGatewayDeps) {
  const gateway = socketGateway({
    path: ALERTS_WS_PATH,
    maxPayload: 1024,
    heartbeatSeconds: deps.heartbeatSeconds,
    async open(_req, url) {
      const actor = await deps.authenticate('merchant', url.searchParams.get('token') ?? '');
      if (actor.type !== 'merchant') throw new Error('not merchant staff');
      return { tenantId: actor.tenantId, permissions: new Set(actor.permissions) as ReadonlySet<string> };
    },
    connected: (conn) => send(conn, { type: 'ready' }),
    message(conn, data) {
      if (String(data).includes('"ping"')) send(conn, { type: 'pong' });
    },
    subscribe: () => deps.bus.subscribe(onEvent),
  });

  function onEvent(e: AlertEvent): void {
    const frame = JSON.stringify({ type: 'alert', notification: e.notification } satisfies AlertServerFrame);
    for (const conn of gateway.of(e.tenantId)) if (conn.permissions.has(e.permission)) send(conn, frame);
  }

  return { attach: gateway.attach, size: gateway.size, close: gateway.close };
}

export type AlertsGateway = ReturnType<typeof alertsGateway>;
