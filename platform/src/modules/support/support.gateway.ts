import type { RawData } from 'ws';
import {
  SUPPORT_LIMITS,
  SUPPORT_WS_PATH,
  supportClientFrameSchema,
  type SupportClientFrame,
  type SupportMessage,
  type SupportServerFrame,
} from '@shopfleet/contracts';
import type { Actor, TenantContext } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { socketGateway, type GatewayConn } from '../../kernel/http/socket-gateway';
import type { Log } from '../../kernel/logger';
import type { SupportBus, SupportEvent } from './support.bus';
import type { SupportService } from './support.service';

export interface SupportGatewayDeps {
  support: SupportService;
  bus: SupportBus;
  authenticate(audience: 'shopper' | 'merchant', token: string): Promise<Actor>;
  /** The tenant a shop key names, if the shop takes shoppers now. */
  shopId(shopKey: string): Promise<number>;
  log: Log;
  /** Seconds between pings; a socket that has not answered the last one is dropped. */
  heartbeatSeconds?: number;
}

/** One socket: whose it is, and how far each conversation has been delivered to it. */
interface Socket {
  tenantId: number;
  ctx: TenantContext;
  shopperId: number | null;
  userId: number | null;
  /** The seq last delivered per conversation: a message at or below it is never sent again, one above fills the gap. */
  cursors: Map<number, number>;
  /** Deliveries per conversation, one after another, so a gap is filled before what follows it is sent. */
  chains: Map<number, Promise<void>>;
  /** Conversations an agent opened without having them (their messages arrive live too). */
  watching: Set<number>;
  /**
   * The first seq of a conversation this socket got live, before any resume (a conversation new to it): from there on
   * its deliveries are contiguous, so a later resume only fills what came before it.
   */
  firstLive: Map<number, number>;
}
type Conn = GatewayConn<Socket>;

const send = (conn: Conn, frame: SupportServerFrame | string) => {
  if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
};

/**
 * The chat's WebSocket endpoint (`SUPPORT_WS_PATH`), on the API's HTTP server. A socket is signed in with the same
 * tokens as the API (a shopper in its own shop, merchant staff with the chat permission), bound to its tenant. Every
 * process delivers the bus's events to its own sockets; each socket gets each conversation's messages in seq order,
 * once: a message past a gap first fetches what it missed from MySQL, one already delivered is dropped. A client that
 * reconnects sends `resume` with the last seq it has and gets everything after it.
 */
export function supportGateway(deps: SupportGatewayDeps) {
  let counter = 0;
  const gateway = socketGateway<Socket>({
    path: SUPPORT_WS_PATH,
    maxPayload: SUPPORT_LIMITS.frameMaxBytes,
    heartbeatSeconds: deps.heartbeatSeconds,
    open: (_req, url) => open(url),
    connected: (conn) => send(conn, { type: 'ready', audience: conn.shopperId !== null ? 'shopper' : 'merchant' }),
    message: onMessage,
    subscribe: () => deps.bus.subscribe(onEvent),
  });

  function enqueue(conn: Conn, conversationId: number, work: () => Promise<void>): void {
    const next = (conn.chains.get(conversationId) ?? Promise.resolve()).then(work).catch((err: unknown) => {
      conn.ctx.log.warn({ err, conversationId }, 'a chat delivery failed; the client catches up when it resumes');
    });
    conn.chains.set(conversationId, next);
  }

  /** Sends the messages after `from` up to `upTo` (or all), in order, moving the cursor. */
  async function fill(conn: Conn, conversationId: number, from: number, upTo = Infinity): Promise<void> {
    let cursor = from;
    for (;;) {
      const want = Math.min(SUPPORT_LIMITS.pageMax, upTo - cursor);
      if (want <= 0) break;
      const missed = await deps.support.after(conn.ctx, conversationId, cursor, want);
      for (const m of await deps.support.messageViews(conn.ctx, missed)) {
        send(conn, { type: 'message', message: m });
        cursor = m.seq;
      }
      if (missed.length < want) break;
    }
    conn.cursors.set(conversationId, Math.max(cursor, conn.cursors.get(conversationId) ?? 0));
  }

  function deliver(conn: Conn, message: SupportMessage, frame: string): void {
    enqueue(conn, message.conversationId, async () => {
      const cursor = conn.cursors.get(message.conversationId);
      if (cursor === undefined) {
        // A conversation new to this socket (not resumed): delivered from here on, contiguously.
        conn.firstLive.set(message.conversationId, message.seq);
        conn.cursors.set(message.conversationId, message.seq);
        send(conn, frame);
        return;
      }
      if (message.seq <= cursor) return;
      if (cursor !== undefined && message.seq > cursor + 1)
        await fill(conn, message.conversationId, cursor, message.seq - 1);
      if ((conn.cursors.get(message.conversationId) ?? 0) >= message.seq) return;
      send(conn, frame);
      conn.cursors.set(message.conversationId, message.seq);
    });
  }

  /** Everything after `afterSeq`, then `resumed`; live messages queue behind it. */
  function catchUp(conn: Conn, conversationId: number, afterSeq: number): void {
    enqueue(conn, conversationId, async () => {
      const first = conn.firstLive.get(conversationId);
      if (first === undefined) {
        conn.cursors.set(conversationId, afterSeq);
        await fill(conn, conversationId, afterSeq);
      } else {
        // Delivered from `first` on already: only what came before it is missing.
        conn.firstLive.delete(conversationId);
        if (afterSeq < first - 1) await fill(conn, conversationId, afterSeq, first - 1);
      }
      send(conn, { type: 'resumed', conversationId, lastSeq: conn.cursors.get(conversationId) ?? afterSeq });
    });
  }

  /** Whether an event's conversation is this socket's: the shopper's own, or an agent's (assigned or watched). */
  const concerns = (conn: Conn, e: SupportEvent) =>
    conn.shopperId !== null
      ? e.shopperId === conn.shopperId
      : e.agentId === conn.userId || conn.watching.has(e.conversationId);

  function onEvent(e: SupportEvent): void {
    const conns = gateway.of(e.tenantId);
    if (e.kind === 'message') {
      const frame = JSON.stringify({ type: 'message', message: e.message } satisfies SupportServerFrame);
      for (const conn of conns) if (concerns(conn, e)) deliver(conn, e.message, frame);
      return;
    }
    if (e.kind === 'conversation') {
      // Every agent's inbox follows the queue and the hand-outs.
      const frame = JSON.stringify({ type: 'conversation', conversation: e.conversation } satisfies SupportServerFrame);
      for (const conn of conns) if (conn.userId !== null) send(conn, frame);
      return;
    }
    const frame = JSON.stringify({
      type: 'read',
      conversationId: e.conversationId,
      seq: e.seq,
      by: e.by,
    } satisfies SupportServerFrame);
    for (const conn of conns) if (concerns(conn, e)) send(conn, frame);
  }

  async function onFrame(conn: Conn, frame: SupportClientFrame): Promise<void> {
    switch (frame.type) {
      case 'ping':
        send(conn, { type: 'pong' });
        return;
      case 'resume':
        for (const { id, afterSeq } of frame.conversations) {
          const c = await deps.support.conversationFor(conn.ctx, id, conn.shopperId ?? undefined);
          if (!c) send(conn, { type: 'error', code: 'NOT_FOUND', reason: 'SUPPORT_CONVERSATION_NOT_FOUND' });
          else catchUp(conn, id, afterSeq);
        }
        return;
      case 'watch': {
        if (conn.userId === null) return send(conn, { type: 'error', code: 'FORBIDDEN' });
        const c = await deps.support.conversationFor(conn.ctx, frame.conversationId);
        if (!c) return send(conn, { type: 'error', code: 'NOT_FOUND', reason: 'SUPPORT_CONVERSATION_NOT_FOUND' });
        conn.watching.add(frame.conversationId);
        catchUp(conn, frame.conversationId, frame.afterSeq);
        return;
      }
      case 'unwatch':
        conn.watching.delete(frame.conversationId);
        return;
      case 'send': {
        const clientMsgId = frame.message.clientMsgId;
        try {
          const message =
            conn.shopperId !== null
              ? await deps.support.send(conn.ctx, { side: 'shopper', shopperId: conn.shopperId }, frame.message)
              : frame.conversationId
                ? await deps.support.reply(conn.ctx, frame.conversationId, frame.message)
                : null;
          if (!message) return send(conn, { type: 'error', clientMsgId, code: 'VALIDATION_FAILED' });
          send(conn, { type: 'ack', clientMsgId, message });
        } catch (err) {
          send(conn, errorFrame(err, clientMsgId));
          if (!(err instanceof AppError)) conn.ctx.log.error({ err }, 'a chat message failed');
        }
        return;
      }
      case 'read':
        try {
          if (conn.shopperId !== null) await deps.support.readMine(conn.ctx, frame.seq);
          else await deps.support.readAsAgent(conn.ctx, frame.conversationId, frame.seq);
        } catch (err) {
          send(conn, errorFrame(err));
        }
        return;
    }
  }

  async function open(url: URL): Promise<Socket> {
    const token = url.searchParams.get('token') ?? '';
    const audience = url.searchParams.get('audience');
    const log = deps.log.child({ ws: ++counter });
    if (audience === 'shopper') {
      const tenantId = await deps.shopId(url.searchParams.get('shop') ?? '');
      const actor = await deps.authenticate('shopper', token);
      if (actor.type !== 'shopper' || actor.tenantId !== tenantId) throw new Error('a sign-in of another shop');
      return base({ requestId: `ws:${counter}`, tenantId, actor, log }, actor.shopperId, null);
    }
    if (audience === 'merchant') {
      const actor = await deps.authenticate('merchant', token);
      if (actor.type !== 'merchant' || !actor.permissions.includes('support:conversation:manage'))
        throw new Error('no chat permission');
      return base({ requestId: `ws:${counter}`, tenantId: actor.tenantId, actor, log }, null, actor.userId);
    }
    throw new Error('unknown audience');
  }

  function base(ctx: TenantContext, shopperId: number | null, userId: number | null): Socket {
    return {
      tenantId: ctx.tenantId,
      ctx,
      shopperId,
      userId,
      cursors: new Map(),
      chains: new Map(),
      watching: new Set(),
      firstLive: new Map(),
    };
  }

  function onMessage(conn: Conn, data: RawData): void {
    let parsed: SupportClientFrame;
    try {
      const result = supportClientFrameSchema.safeParse(JSON.parse(String(data)));
      if (!result.success) return send(conn, { type: 'error', code: 'VALIDATION_FAILED' });
      parsed = result.data;
    } catch {
      return send(conn, { type: 'error', code: 'VALIDATION_FAILED' });
    }
    void onFrame(conn, parsed).catch((err: unknown) => conn.ctx.log.error({ err }, 'a chat frame failed'));
  }

  return { attach: gateway.attach, size: gateway.size, close: gateway.close };
}

/** An error as a frame: its code, and the reason a client says in its language. */
function errorFrame(err: unknown, clientMsgId?: string): SupportServerFrame {
  if (err instanceof AppError) {
    // A field's problem (an image not the sender's) says its own reason: the frame has no room for the issues.
    const details = err.details as { reason?: string; issues?: Array<{ reason?: string }> } | undefined;
    return {
      type: 'error',
      clientMsgId,
      code: err.code,
      reason: details?.issues?.[0]?.reason ?? err.reason ?? details?.reason,
      params: err.params as Record<string, unknown> | undefined,
    };
  }
  return { type: 'error', clientMsgId, code: 'INTERNAL' };
}

export type SupportGateway = ReturnType<typeof supportGateway>;
