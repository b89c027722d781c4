import {
  SUPPORT_LIMITS,
  type MerchantPermission,
  type Page,
  type QuickReply,
  type ShopSupport,
  type SupportAgent,
  type SupportAgentStatus,
  type SupportCard,
  type SupportConversation,
  type SupportConversationDetail,
  type SupportInboxView,
  type SupportMessage,
  type SupportSendBody,
} from '@shopfleet/contracts';
import { shopperIdOf, type TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  ValidationError,
  issue,
} from '../../kernel/errors';
import type { Limiter } from '../../kernel/auth/rate-limit';
import { retryOnDeadlock } from '../../kernel/db/retry';
import type { ImagesService } from '../catalog';
import type { SupportBus } from './support.bus';
import type { NewMessage, StoredConversation, StoredMessage, SupportRepository } from './support.repository';

/** The cards a message can carry, built from their owners (catalog, orders, after-sales) when it is sent. */
export interface SupportCards {
  product(ctx: TenantContext, productId: number): Promise<SupportCard | null>;
  /** One of this shopper's orders. */
  order(ctx: TenantContext, orderId: number, shopperId: number): Promise<SupportCard | null>;
  /** One of this shopper's after-sales cases. */
  afterSales(ctx: TenantContext, caseId: number, shopperId: number): Promise<SupportCard | null>;
}

/** Who the people of a conversation are: the shopper beside it, and the shop's staff who answer. */
export interface SupportPeople {
  shopper(
    ctx: TenantContext,
    shopperId: number,
  ): Promise<{ nickname: string | null; phoneMasked: string | null; createdAt: Date } | null>;
  recentOrders(
    ctx: TenantContext,
    shopperId: number,
    limit: number,
  ): Promise<{
    orders: Array<{
      id: number;
      orderNo: string;
      status: SupportConversationDetail['recentOrders'][number]['status'];
      totalFen: number;
      createdAt: Date;
    }>;
    total: number;
  }>;
  /** The shop's active staff who may answer (their user id and name). */
  staff(ctx: TenantContext): Promise<Array<{ userId: number; name: string }>>;
  /** The shopper's WeChat openid in the shop's mini-program, if they signed in there. */
  openid(ctx: TenantContext, shopperId: number): Promise<string | null>;
}

/** WeChat's customer-service messages, as the shop's mini-program (its authorizer token). */
export interface SupportWechat {
  /** Sends an agent's answer to a WeChat user (within 48 hours of the user's last message). */
  send(
    ctx: TenantContext,
    openid: string,
    message: { kind: 'text'; text: string } | { kind: 'image'; imageId: number },
  ): Promise<void>;
  /** The bytes of an image a WeChat user sent (its PicUrl), at most `maxBytes`; null when it cannot be read. */
  fetchImage(url: string, maxBytes: number): Promise<Buffer | null>;
  /**
   * The shop's mini-program and a reply template added to it now (from WeChat's public library), or null when the
   * shop has no authorized mini-program or the platform configured no template.
   */
  addReplyTemplate(ctx: TenantContext): Promise<{ appid: string; templateId: string } | null>;
  /** The shop's authorized mini-program now, if any. */
  appid(ctx: TenantContext): Promise<string | null>;
  /** A subscribe message to a shopper (who accepted one) telling of a reply. */
  notify(
    ctx: TenantContext,
    openid: string,
    templateId: string,
    reply: { from: string; preview: string; at: Date },
  ): Promise<void>;
}

/** How many replies a shopper's acceptances of the subscribe message may keep in hand. */
const CREDITS_MAX = 10;

/** A message a WeChat user sent to the mini-program's contact button, as the push carried it. */
export interface WechatInbound {
  openid: string;
  msgId: string;
  at: Date;
  content: { text: string } | { picUrl: string } | { title: string };
}

/** WeChat answers a user only this long after their last message. */
const WECHAT_WINDOW_MS = 48 * 3_600_000;

export interface SupportDeps {
  repo: SupportRepository;
  tx: Transactions;
  images: Pick<ImagesService, 'byIds' | 'upload' | 'claimForShopper' | 'ownedByShopper'>;
  cards: SupportCards;
  people: SupportPeople;
  bus: SupportBus;
  /** Messages per sender per window (`SUPPORT_LIMITS`): a shopper's and an agent's. */
  limits: { shopper: Limiter; agent: Limiter };
  /** WeChat's customer-service and subscribe messages; absent where the platform has no WeChat third-party platform. */
  wechat?: SupportWechat;
  /** A reply's check a minute later (read? else a subscribe message), queued once the reply committed. */
  notifyLater?: (ctx: TenantContext, conversationId: number, seq: number) => Promise<void>;
  now?: () => Date;
}

/** Who sends: the signed-in shopper (their conversation), or an agent (a conversation they name). */
export type Sender = { side: 'shopper'; shopperId: number } | { side: 'agent'; userId: number; conversationId: number };

const PERMISSION: MerchantPermission = 'support:conversation:manage';

const imageProblem = () =>
  new ValidationError(
    { reason: 'INVALID_INPUT', message: 'invalid body' },
    { issues: [issue('body.imageId', { reason: 'SUPPORT_IMAGE_UNKNOWN', message: 'unknown image' })] },
  );

/**
 * Customer service: a conversation per shopper, messages stored (with the conversation's next seq, its row locked)
 * before they are acknowledged and then published on the bus for every API process's sockets; agents online get new
 * conversations least busy first, the rest wait in the queue; transfers, reads, history, search, quick replies.
 */
export function supportService(deps: SupportDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  async function names(ctx: TenantContext): Promise<Map<number, string>> {
    return new Map((await deps.people.staff(ctx)).map((s) => [s.userId, s.name]));
  }

  async function messageViews(ctx: TenantContext, list: StoredMessage[], staff?: Map<number, string>) {
    const imageIds = list.flatMap((m) => (m.imageId ? [m.imageId] : []));
    const [images, who] = await Promise.all([
      deps.images.byIds(ctx, imageIds),
      list.some((m) => m.sender === 'agent') ? (staff ?? names(ctx)) : Promise.resolve(new Map<number, string>()),
    ]);
    return list.map((m): SupportMessage => ({
      conversationId: m.conversationId,
      seq: m.seq,
      sender: m.sender,
      senderName: m.sender === 'agent' && m.senderId ? (who.get(m.senderId) ?? null) : null,
      kind: m.kind,
      text: m.text,
      imageUrl: m.imageId ? (images.get(m.imageId)?.medium.jpeg ?? null) : null,
      card: m.card,
      clientMsgId: m.clientMsgId,
      at: m.createdAt.toISOString(),
    }));
  }

  async function conversationViews(ctx: TenantContext, list: StoredConversation[]): Promise<SupportConversation[]> {
    const staff = await names(ctx);
    const shoppers = new Map(
      await Promise.all(
        [...new Set(list.flatMap((c) => (c.shopperId ? [c.shopperId] : [])))].map(
          async (id) => [id, await deps.people.shopper(ctx, id)] as const,
        ),
      ),
    );
    return list.map((c) => {
      const s = c.shopperId ? shoppers.get(c.shopperId) : null;
      return {
        id: c.id,
        channel: c.channel,
        status: c.status,
        shopper:
          c.shopperId || c.wechatOpenid
            ? { id: c.shopperId, nickname: s?.nickname ?? null, phoneMasked: s?.phoneMasked ?? null }
            : null,
        agentId: c.agentId,
        agentName: c.agentId ? (staff.get(c.agentId) ?? null) : null,
        lastSeq: c.lastSeq,
        lastMessage:
          c.lastSender && c.lastKind && c.lastMessageAt
            ? {
                sender: c.lastSender,
                kind: c.lastKind,
                preview: c.lastPreview ?? '',
                at: c.lastMessageAt.toISOString(),
              }
            : null,
        unread: c.agentUnread,
        startedWith: c.startedWith,
        createdAt: c.createdAt.toISOString(),
      };
    });
  }

  const conversationView = async (ctx: TenantContext, c: StoredConversation) => (await conversationViews(ctx, [c]))[0]!;

  async function mustConversation(ctx: TenantContext, id: number, opts: { lock?: boolean } = {}) {
    const c = await repo.conversation(ctx, id, opts);
    if (!c) throw new NotFoundError('SUPPORT_CONVERSATION_NOT_FOUND');
    return c;
  }

  /** Tells every process's sockets of the conversation's change (its agents' inboxes), once committed. */
  async function announce(ctx: TenantContext, id: number): Promise<void> {
    await deps.tx.afterCommit(ctx, async (outside) => {
      const c = await repo.conversation(outside, id);
      if (c)
        await deps.bus.publish({
          kind: 'conversation',
          tenantId: outside.tenantId,
          conversationId: id,
          shopperId: c.shopperId,
          agentId: c.agentId,
          conversation: await conversationView(outside, c),
        });
    });
  }

  /**
   * Hands a conversation to the least busy online agent (their rows locked, so two handed out at once are spread),
   * or leaves it queued when nobody is online. In the caller's transaction, the conversation's row locked.
   */
  async function assign(ctx: TenantContext, c: StoredConversation): Promise<void> {
    const online = await repo.agents(ctx, { lockOnline: true });
    const pick = online.sort((a, b) => a.openCount - b.openCount || a.userId - b.userId)[0];
    if (!pick) {
      await repo.updateConversation(ctx, c.id, { status: 'queued', agentId: null, queuedAt: c.queuedAt ?? now() });
      return;
    }
    await repo.updateConversation(ctx, c.id, { status: 'open', agentId: pick.userId, queuedAt: null });
    await repo.moveLoad(ctx, pick.userId, 1);
  }

  /**
   * The conversation of a shopper (or a WeChat user), opened when it has none, with its row locked. Looked up without
   * a lock first: a locking read of a row that is not there takes a gap lock, and two shoppers' first messages would
   * then deadlock on their inserts into the same gap.
   */
  async function openConversation(
    ctx: TenantContext,
    who: { shopperId: number } | { wechatOpenid: string },
    startedWith: SupportCard | null,
    at: Date,
  ): Promise<StoredConversation> {
    if (!(await repo.conversationOf(ctx, who)))
      await repo.insertConversation(ctx, {
        channel: 'shopperId' in who ? 'shop' : 'wechat',
        shopperId: 'shopperId' in who ? who.shopperId : null,
        wechatOpenid: 'wechatOpenid' in who ? who.wechatOpenid : null,
        startedWith,
        at,
      });
    return (await repo.conversationOf(ctx, who, { lock: true }))!;
  }

  /** What a message holds, checked: the sender's own image, a card the sender may show. */
  async function content(
    ctx: TenantContext,
    sender: Sender,
    body: SupportSendBody,
  ): Promise<Pick<NewMessage, 'kind' | 'text' | 'imageId' | 'card'>> {
    const none = { text: null, imageId: null, card: null };
    switch (body.kind) {
      case 'text':
        return { ...none, kind: 'text', text: body.text };
      case 'image': {
        const known =
          sender.side === 'shopper'
            ? (await deps.images.ownedByShopper(ctx, [body.imageId], sender.shopperId)).length === 1
            : (await deps.images.byIds(ctx, [body.imageId])).has(body.imageId);
        if (!known) throw imageProblem();
        return { ...none, kind: 'image', imageId: body.imageId };
      }
      case 'product': {
        const card = await deps.cards.product(ctx, body.productId);
        if (!card) throw new NotFoundError('PRODUCT_NOT_FOUND');
        return { ...none, kind: 'product', card };
      }
      case 'order':
      case 'after_sales': {
        if (sender.side !== 'shopper')
          throw new ConflictError({
            reason: 'SUPPORT_KIND_NOT_ALLOWED',
            message: 'Agents send text, images and products; orders and cases come from the shopper',
          });
        const card =
          body.kind === 'order'
            ? await deps.cards.order(ctx, body.orderId, sender.shopperId)
            : await deps.cards.afterSales(ctx, body.caseId, sender.shopperId);
        if (!card) throw new NotFoundError(body.kind === 'order' ? 'ORDER_NOT_FOUND' : 'AFTER_SALES_NOT_FOUND');
        return { ...none, kind: body.kind, card };
      }
    }
  }

  async function rateLimit(ctx: TenantContext, sender: Sender): Promise<void> {
    const [limiter, key] =
      sender.side === 'shopper'
        ? [deps.limits.shopper, `${ctx.tenantId}:s:${sender.shopperId}`]
        : [deps.limits.agent, `${ctx.tenantId}:a:${sender.userId}`];
    try {
      await limiter.consume(key);
    } catch (err) {
      if (err instanceof TooManyRequestsError)
        throw new TooManyRequestsError(
          { reason: 'SUPPORT_TOO_FAST', message: 'Too many messages; wait a moment' },
          err.retryAfterSeconds,
        );
      throw err;
    }
  }

  /**
   * Stores a message and answers with it once committed; then every process's sockets get it. A retry with the same
   * client id stores nothing and answers the first. A shopper's first message opens the conversation (the card it
   * carries is what the conversation started with), and a message to a closed one opens it again; both are handed to
   * an agent. An agent answers the conversations they have, or takes a queued one by answering it.
   */
  /**
   * An agent's answer to a WeChat user goes out through WeChat first (text or an image, within 48 hours of the user's
   * last message); only what WeChat took is stored. A retry of one already stored sends nothing.
   */
  async function relayToWechat(ctx: TenantContext, conversationId: number, body: SupportSendBody): Promise<void> {
    const c = await repo.conversation(ctx, conversationId);
    if (!c || c.channel !== 'wechat' || !c.wechatOpenid) return;
    if (await repo.byClientId(ctx, c.id, 'agent', body.clientMsgId)) return;
    if (!deps.wechat || (body.kind !== 'text' && body.kind !== 'image'))
      throw new ConflictError({
        reason: 'SUPPORT_KIND_NOT_ALLOWED',
        message: 'A WeChat user is answered with text or an image',
      });
    if (!c.wechatLastInboundAt || now().getTime() - c.wechatLastInboundAt.getTime() > WECHAT_WINDOW_MS)
      throw new ConflictError({
        reason: 'SUPPORT_WECHAT_WINDOW_CLOSED',
        message: 'WeChat lets a shop answer only within 48 hours of the user’s last message',
      });
    await deps.wechat.send(
      ctx,
      c.wechatOpenid,
      body.kind === 'text' ? { kind: 'text', text: body.text } : { kind: 'image', imageId: body.imageId },
    );
  }

  async function send(ctx: TenantContext, sender: Sender, body: SupportSendBody): Promise<SupportMessage> {
    const what = await content(ctx, sender, body);
    await rateLimit(ctx, sender);
    if (sender.side === 'agent') await relayToWechat(ctx, sender.conversationId, body);
    const at = now();
    const { message, fresh, conversation } = await retryOnDeadlock(() =>
      deps.tx.transaction(ctx, async (tctx) => {
        const c =
          sender.side === 'shopper'
            ? await openConversation(tctx, { shopperId: sender.shopperId }, what.card, at)
            : await mustConversation(tctx, sender.conversationId, { lock: true });
        const side = sender.side === 'shopper' ? 'shopper' : 'agent';
        const earlier = await repo.byClientId(tctx, c.id, side, body.clientMsgId);
        if (earlier) return { message: earlier, fresh: false, conversation: c };
        if (sender.side === 'agent') {
          if (c.status === 'open' && c.agentId !== sender.userId)
            throw new ConflictError({
              reason: 'SUPPORT_CONVERSATION_TAKEN',
              message: 'Another agent has this conversation; ask them to transfer it',
            });
          if (c.status !== 'open') {
            // Answering a queued (or closed) conversation takes it.
            await repo.updateConversation(tctx, c.id, { status: 'open', agentId: sender.userId, queuedAt: null });
            await repo.moveLoad(tctx, sender.userId, 1);
          }
        } else if (c.status === 'closed' || (c.status === 'queued' && c.lastSeq === 0)) await assign(tctx, c);
        const stored = await repo.append(tctx, c, {
          ...what,
          conversationId: c.id,
          sender: side,
          senderId: sender.side === 'shopper' ? sender.shopperId : sender.userId,
          clientMsgId: body.clientMsgId,
          createdAt: at,
        });
        if (c.status !== 'open' || c.lastSeq === 0) await announce(tctx, c.id);
        return { message: stored, fresh: true, conversation: c };
      }),
    );
    const [view] = await messageViews(ctx, [message]);
    if (fresh && sender.side === 'agent' && conversation.channel === 'shop')
      await deps.notifyLater?.(ctx, conversation.id, message.seq);
    if (fresh) {
      const after = await repo.conversation(ctx, conversation.id);
      await deps.bus.publish({
        kind: 'message',
        tenantId: ctx.tenantId,
        conversationId: conversation.id,
        shopperId: conversation.shopperId,
        agentId: after?.agentId ?? null,
        message: view!,
      });
    }
    return view!;
  }

  async function history(
    ctx: TenantContext,
    c: StoredConversation,
    q: { before?: number; after?: number; limit: number },
  ): Promise<{ items: SupportMessage[]; lastSeq: number }> {
    return { items: await messageViews(ctx, await repo.messages(ctx, c.id, q)), lastSeq: c.lastSeq };
  }

  async function read(ctx: TenantContext, c: StoredConversation, reader: 'shopper' | 'agent', seq: number) {
    if (await repo.markRead(ctx, c.id, reader, seq))
      await deps.bus.publish({
        kind: 'read',
        tenantId: ctx.tenantId,
        conversationId: c.id,
        shopperId: c.shopperId,
        agentId: c.agentId,
        by: reader,
        seq: Math.min(seq, c.lastSeq),
      });
    return { ok: true as const };
  }

  function agentOf(ctx: TenantContext): number {
    if (ctx.actor.type !== 'merchant' || !ctx.actor.permissions.includes(PERMISSION)) throw new ForbiddenError();
    return ctx.actor.userId;
  }

  async function me(ctx: TenantContext) {
    const userId = agentOf(ctx);
    const [row, counts] = await Promise.all([repo.agent(ctx, userId), repo.agentCounts(ctx, userId)]);
    return { status: row?.status ?? ('offline' as const), ...counts };
  }

  /**
   * A message a WeChat user sent to the shop's mini-program contact button: into the shop's inbox, once per WeChat
   * message id (WeChat resends a push it got no answer to), opening the user's conversation as a shopper's first
   * message does. An image is read (bounded) and stored as the shop's own; a mini-program card becomes its title.
   */
  async function receiveWechat(ctx: TenantContext, m: WechatInbound): Promise<SupportMessage | null> {
    let what: Pick<NewMessage, 'kind' | 'text' | 'imageId' | 'card'> = {
      kind: 'text',
      text: null,
      imageId: null,
      card: null,
    };
    if ('text' in m.content) what.text = m.content.text.slice(0, SUPPORT_LIMITS.textMax);
    else if ('title' in m.content) what.text = `[小程序] ${m.content.title}`.slice(0, SUPPORT_LIMITS.textMax);
    else {
      const bytes = await deps.wechat?.fetchImage(m.content.picUrl, SUPPORT_LIMITS.imageMaxBytes);
      const image = bytes ? await deps.images.upload(ctx, bytes).catch(() => null) : null;
      what = image ? { ...what, kind: 'image', imageId: image.id } : { ...what, text: '[图片]' };
    }
    const clientMsgId = `wx${m.msgId}`.slice(0, 64);
    const stored = await deps.tx.transaction(ctx, async (tctx) => {
      const c = await openConversation(tctx, { wechatOpenid: m.openid }, null, m.at);
      if (await repo.byClientId(tctx, c.id, 'shopper', clientMsgId)) return null;
      if (c.status === 'closed' || (c.status === 'queued' && c.lastSeq === 0)) await assign(tctx, c);
      const message = await repo.append(tctx, c, {
        ...what,
        conversationId: c.id,
        sender: 'shopper',
        senderId: null,
        clientMsgId,
        createdAt: m.at,
      });
      await repo.updateConversation(tctx, c.id, { wechatLastInboundAt: m.at });
      if (c.status !== 'open' || c.lastSeq === 0) await announce(tctx, c.id);
      return { message, conversationId: c.id };
    });
    if (!stored) return null;
    const [view] = await messageViews(ctx, [stored.message]);
    const after = await repo.conversation(ctx, stored.conversationId);
    await deps.bus.publish({
      kind: 'message',
      tenantId: ctx.tenantId,
      conversationId: stored.conversationId,
      shopperId: null,
      agentId: after?.agentId ?? null,
      message: view!,
    });
    return view!;
  }

  /**
   * The reply template of the shop's mini-program as it is now: the one kept, or one added to it from WeChat's library
   * (once; again after the shop authorized another mini-program). Null without a mini-program or a configured template.
   */
  async function replyTemplate(ctx: TenantContext): Promise<string | null> {
    if (!deps.wechat) return null;
    const appid = await deps.wechat.appid(ctx).catch(() => null);
    if (!appid) return null;
    const kept = await repo.replyTemplate(ctx);
    if (kept?.appid === appid) return kept.templateId;
    const added = await deps.wechat.addReplyTemplate(ctx).catch((err: unknown) => {
      ctx.log.warn({ err }, 'the reply template could not be added to the mini-program');
      return null;
    });
    if (!added) return null;
    await repo.saveReplyTemplate(ctx, added, now());
    return added.templateId;
  }

  /**
   * A reply's check a minute after it was sent: read by then, nothing; else, when the shopper accepted a subscribe
   * message (a credit, spent once), WeChat tells them of it.
   */
  async function notifyReply(ctx: TenantContext, conversationId: number, seq: number) {
    const c = await repo.conversation(ctx, conversationId);
    if (!c?.shopperId || c.shopperReadSeq >= seq) return 'read' as const;
    const template = await repo.replyTemplate(ctx);
    const appid = deps.wechat ? await deps.wechat.appid(ctx).catch(() => null) : null;
    if (!deps.wechat || !template || template.appid !== appid) return 'no_template' as const;
    const openid = await deps.people.openid(ctx, c.shopperId);
    if (!openid) return 'no_openid' as const;
    if (!(await repo.spendCredit(ctx, c.shopperId))) return 'no_credit' as const;
    const [last] = await repo.messages(ctx, conversationId, { after: seq - 1, limit: 1 });
    const staff = await names(ctx);
    await deps.wechat.notify(ctx, openid, template.templateId, {
      from: (last?.senderId ? staff.get(last.senderId) : null) ?? '客服',
      preview:
        last?.kind === 'text' ? (last.text ?? '') : last?.kind === 'image' ? '[图片]' : `[${last?.card?.title ?? ''}]`,
      at: last?.createdAt ?? now(),
    });
    return 'sent' as const;
  }

  return {
    /**
     * A merge (in its transaction): the conversations, messages and subscribe credits of `fromId` become `toId`'s, every
     * message kept (two conversations on one channel become one, the other's messages after the survivor's).
     */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<void> =>
      repo.reassignShopper(tctx, fromId, toId),

    send,
    receiveWechat,
    notifyReply,
    conversationViews,
    messageViews,

    /** A conversation of the shop, for a socket's resume (an agent's), or the shopper's own (else null). */
    async conversationFor(ctx: TenantContext, id: number, shopperId?: number): Promise<StoredConversation | null> {
      const c = await repo.conversation(ctx, id);
      if (!c || (shopperId !== undefined && c.shopperId !== shopperId)) return null;
      return c;
    },

    /** Messages after a seq (a socket catching up), oldest first. */
    after: (ctx: TenantContext, conversationId: number, afterSeq: number, limit: number) =>
      repo.messages(ctx, conversationId, { after: afterSeq, limit }),

    // ---- the shopper ----------------------------------------------------------------------------------

    async mine(ctx: TenantContext): Promise<ShopSupport> {
      const shopperId = shopperIdOf(ctx);
      const [c, agents] = await Promise.all([repo.conversationOf(ctx, { shopperId }), repo.agents(ctx)]);
      const staff = c?.agentId ? await names(ctx) : new Map<number, string>();
      return {
        conversationId: c?.id ?? null,
        lastSeq: c?.lastSeq ?? 0,
        unread: c?.shopperUnread ?? 0,
        status: c?.status ?? null,
        agentName: c?.agentId ? (staff.get(c.agentId) ?? null) : null,
        agentsOnline: agents.some((a) => a.status === 'online'),
        subscribeTemplateId: await replyTemplate(ctx),
      };
    },

    /** The shopper accepted (or refused) the subscribe message: one more reply the shop may tell them of. */
    async subscribe(ctx: TenantContext, body: { templateId: string; accepted: boolean }) {
      const current = await repo.replyTemplate(ctx);
      if (body.accepted && current?.templateId === body.templateId)
        await repo.addCredit(ctx, shopperIdOf(ctx), CREDITS_MAX, now());
      return { ok: true as const };
    },

    async myHistory(ctx: TenantContext, q: { before?: number; after?: number; limit: number }) {
      const c = await repo.conversationOf(ctx, { shopperId: shopperIdOf(ctx) });
      return c ? history(ctx, c, q) : { items: [], lastSeq: 0 };
    },

    sendMine: (ctx: TenantContext, body: SupportSendBody) =>
      send(ctx, { side: 'shopper', shopperId: shopperIdOf(ctx) }, body),

    async readMine(ctx: TenantContext, seq: number) {
      const c = await repo.conversationOf(ctx, { shopperId: shopperIdOf(ctx) });
      return c ? read(ctx, c, 'shopper', seq) : { ok: true as const };
    },

    async uploadMine(ctx: TenantContext, bytes: Buffer): Promise<{ id: number; url: string }> {
      const image = await deps.images.upload(ctx, bytes);
      await deps.images.claimForShopper(ctx, image.id, shopperIdOf(ctx));
      return { id: image.id, url: image.medium.jpeg };
    },

    // ---- the agents -----------------------------------------------------------------------------------

    me,

    /** Sets the agent's status; coming online hands them (and the others online) the queue, oldest first. */
    async setStatus(ctx: TenantContext, status: SupportAgentStatus) {
      const userId = agentOf(ctx);
      await repo.setAgentStatus(ctx, userId, status, now());
      if (status === 'online')
        for (const id of await repo.queued(ctx, 200))
          await deps.tx.transaction(ctx, async (tctx) => {
            const c = await mustConversation(tctx, id, { lock: true });
            if (c.status !== 'queued') return;
            await assign(tctx, c);
            await announce(tctx, id);
          });
      return me(ctx);
    },

    async agents(ctx: TenantContext): Promise<SupportAgent[]> {
      agentOf(ctx);
      const [staff, rows] = await Promise.all([deps.people.staff(ctx), repo.agents(ctx)]);
      const byId = new Map(rows.map((r) => [r.userId, r]));
      return staff.map((s) => ({
        userId: s.userId,
        name: s.name,
        status: byId.get(s.userId)?.status ?? 'offline',
        load: byId.get(s.userId)?.openCount ?? 0,
      }));
    },

    async inbox(
      ctx: TenantContext,
      q: { view: SupportInboxView; page: number; pageSize: number },
    ): Promise<Page<SupportConversation>> {
      const { rows, total } = await repo.inbox(ctx, { ...q, agentId: agentOf(ctx) });
      return { items: await conversationViews(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    async detail(ctx: TenantContext, id: number): Promise<SupportConversationDetail> {
      agentOf(ctx);
      const c = await mustConversation(ctx, id);
      const [conversation, orders, profile] = await Promise.all([
        conversationView(ctx, c),
        c.shopperId ? deps.people.recentOrders(ctx, c.shopperId, 5) : Promise.resolve({ orders: [], total: 0 }),
        c.shopperId ? deps.people.shopper(ctx, c.shopperId) : Promise.resolve(null),
      ]);
      return {
        conversation,
        recentOrders: orders.orders.map((o) => ({ ...o, createdAt: o.createdAt.toISOString() })),
        shopperSince: profile?.createdAt.toISOString() ?? null,
        orderCount: orders.total,
      };
    },

    async historyOf(ctx: TenantContext, id: number, q: { before?: number; after?: number; limit: number }) {
      agentOf(ctx);
      return history(ctx, await mustConversation(ctx, id), q);
    },

    reply: (ctx: TenantContext, id: number, body: SupportSendBody) =>
      send(ctx, { side: 'agent', userId: agentOf(ctx), conversationId: id }, body),

    async readAsAgent(ctx: TenantContext, id: number, seq: number) {
      agentOf(ctx);
      return read(ctx, await mustConversation(ctx, id), 'agent', seq);
    },

    async claim(ctx: TenantContext, id: number): Promise<SupportConversation> {
      const userId = agentOf(ctx);
      await deps.tx.transaction(ctx, async (tctx) => {
        const c = await mustConversation(tctx, id, { lock: true });
        if (c.status === 'open' && c.agentId !== userId)
          throw new ConflictError({ reason: 'SUPPORT_CONVERSATION_TAKEN', message: 'Another agent took it' });
        if (c.status === 'open') return;
        await repo.updateConversation(tctx, id, { status: 'open', agentId: userId, queuedAt: null });
        await repo.moveLoad(tctx, userId, 1);
        await announce(tctx, id);
      });
      return conversationView(ctx, await mustConversation(ctx, id));
    },

    /** Hands the conversation to another agent who is online. */
    async transfer(ctx: TenantContext, id: number, agentId: number): Promise<SupportConversation> {
      agentOf(ctx);
      await deps.tx.transaction(ctx, async (tctx) => {
        const c = await mustConversation(tctx, id, { lock: true });
        const target = await repo.agent(tctx, agentId);
        const member = (await deps.people.staff(tctx)).some((s) => s.userId === agentId);
        if (!target || target.status !== 'online' || !member)
          throw new ConflictError({ reason: 'SUPPORT_AGENT_NOT_ONLINE', message: 'That agent is not online' });
        if (c.agentId === agentId && c.status === 'open') return;
        if (c.agentId !== null && c.status === 'open') await repo.moveLoad(tctx, c.agentId, -1);
        await repo.updateConversation(tctx, id, { status: 'open', agentId, queuedAt: null });
        await repo.moveLoad(tctx, agentId, 1);
        await announce(tctx, id);
      });
      return conversationView(ctx, await mustConversation(ctx, id));
    },

    async close(ctx: TenantContext, id: number): Promise<SupportConversation> {
      agentOf(ctx);
      await deps.tx.transaction(ctx, async (tctx) => {
        const c = await mustConversation(tctx, id, { lock: true });
        if (c.status === 'closed') return;
        if (c.status === 'open' && c.agentId !== null) await repo.moveLoad(tctx, c.agentId, -1);
        await repo.updateConversation(tctx, id, { status: 'closed', queuedAt: null });
        await announce(tctx, id);
      });
      return conversationView(ctx, await mustConversation(ctx, id));
    },

    async search(ctx: TenantContext, q: { q: string; page: number; pageSize: number }) {
      agentOf(ctx);
      const { rows, total } = await repo.search(ctx, q.q, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      const conversations = new Map(
        (await repo.conversationsByIds(ctx, [...new Set(rows.map((r) => r.conversationId))])).map((c) => [c.id, c]),
      );
      const views = await messageViews(ctx, rows);
      const items = await Promise.all(
        views.map(async (message) => {
          const c = conversations.get(message.conversationId);
          const shopper = c?.shopperId ? await deps.people.shopper(ctx, c.shopperId) : null;
          return { conversationId: message.conversationId, message, shopperNickname: shopper?.nickname ?? null };
        }),
      );
      return { items, page: q.page, pageSize: q.pageSize, total };
    },

    async uploadImage(ctx: TenantContext, bytes: Buffer): Promise<{ id: number; url: string }> {
      agentOf(ctx);
      const image = await deps.images.upload(ctx, bytes);
      return { id: image.id, url: image.medium.jpeg };
    },

    // ---- quick replies --------------------------------------------------------------------------------

    quickReplies: (ctx: TenantContext): Promise<QuickReply[]> => repo.quickReplies(ctx),

    async addQuickReply(ctx: TenantContext, text: string): Promise<QuickReply> {
      return deps.tx.transaction(ctx, async (tctx) => {
        if ((await repo.countQuickReplies(tctx)) >= SUPPORT_LIMITS.quickRepliesMax)
          throw new ConflictError({
            reason: 'SUPPORT_QUICK_REPLIES_FULL',
            params: { max: SUPPORT_LIMITS.quickRepliesMax },
            message: `At most ${SUPPORT_LIMITS.quickRepliesMax} quick replies`,
          });
        return { id: await repo.insertQuickReply(tctx, text), text };
      });
    },

    async updateQuickReply(ctx: TenantContext, id: number, text: string): Promise<QuickReply> {
      if (!(await repo.updateQuickReply(ctx, id, text))) throw new NotFoundError('QUICK_REPLY_NOT_FOUND');
      return { id, text };
    },

    async deleteQuickReply(ctx: TenantContext, id: number) {
      if (!(await repo.deleteQuickReply(ctx, id))) throw new NotFoundError('QUICK_REPLY_NOT_FOUND');
      return { ok: true as const };
    },
  };
}

export type SupportService = ReturnType<typeof supportService>;
