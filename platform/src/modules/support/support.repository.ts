import type {
  SupportAgentStatus,
  SupportCard,
  SupportChannel,
  SupportConversationStatus,
  SupportInboxView,
  SupportMessageKind,
  SupportSender,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { isDuplicateKey, parseJsonColumn, totalOf } from '../../kernel/db/rows';

/** A conversation as stored. */
export interface StoredConversation {
  id: number;
  channel: SupportChannel;
  shopperId: number | null;
  wechatOpenid: string | null;
  status: SupportConversationStatus;
  agentId: number | null;
  lastSeq: number;
  lastSender: SupportSender | null;
  lastKind: SupportMessageKind | null;
  lastPreview: string | null;
  lastMessageAt: Date | null;
  shopperReadSeq: number;
  agentReadSeq: number;
  shopperUnread: number;
  agentUnread: number;
  startedWith: SupportCard | null;
  wechatLastInboundAt: Date | null;
  queuedAt: Date | null;
  createdAt: Date;
}

/** A message as stored. */
export interface StoredMessage {
  conversationId: number;
  seq: number;
  sender: SupportSender;
  senderId: number | null;
  kind: SupportMessageKind;
  text: string | null;
  imageId: number | null;
  card: SupportCard | null;
  clientMsgId: string | null;
  createdAt: Date;
}

export type NewMessage = Omit<StoredMessage, 'seq'>;

export interface AgentRow {
  userId: number;
  status: SupportAgentStatus;
  openCount: number;
}

interface ConversationRow {
  id: number;
  channel: SupportChannel;
  shopper_id: number | null;
  wechat_openid: string | null;
  status: SupportConversationStatus;
  agent_id: number | null;
  last_seq: number;
  last_sender: SupportSender | null;
  last_kind: SupportMessageKind | null;
  last_preview: string | null;
  last_message_at: Date | null;
  shopper_read_seq: number;
  agent_read_seq: number;
  shopper_unread: number;
  agent_unread: number;
  started_with: unknown;
  wechat_last_inbound_at: Date | null;
  queued_at: Date | null;
  created_at: Date;
}

interface MessageRow {
  conversation_id: number;
  seq: number;
  sender: SupportSender;
  sender_id: number | null;
  kind: SupportMessageKind;
  text: string | null;
  image_id: number | null;
  card: unknown;
  client_msg_id: string | null;
  created_at: Date;
}

const numOrNull = (v: number | null) => (v === null ? null : Number(v));

const toConversation = (r: ConversationRow): StoredConversation => ({
  id: Number(r.id),
  channel: r.channel,
  shopperId: numOrNull(r.shopper_id),
  wechatOpenid: r.wechat_openid,
  status: r.status,
  agentId: numOrNull(r.agent_id),
  lastSeq: Number(r.last_seq),
  lastSender: r.last_sender,
  lastKind: r.last_kind,
  lastPreview: r.last_preview,
  lastMessageAt: r.last_message_at,
  shopperReadSeq: Number(r.shopper_read_seq),
  agentReadSeq: Number(r.agent_read_seq),
  shopperUnread: Number(r.shopper_unread),
  agentUnread: Number(r.agent_unread),
  startedWith: parseJsonColumn(r.started_with) as SupportCard | null,
  wechatLastInboundAt: r.wechat_last_inbound_at,
  queuedAt: r.queued_at,
  createdAt: r.created_at,
});

const toMessage = (r: MessageRow): StoredMessage => ({
  conversationId: Number(r.conversation_id),
  seq: Number(r.seq),
  sender: r.sender,
  senderId: numOrNull(r.sender_id),
  kind: r.kind,
  text: r.text,
  imageId: numOrNull(r.image_id),
  card: parseJsonColumn(r.card) as SupportCard | null,
  clientMsgId: r.client_msg_id,
  createdAt: r.created_at,
});

/** A message in a line of the inbox. */
const preview = (m: NewMessage): string =>
  m.kind === 'text'
    ? (m.text ?? '').slice(0, 120)
    : m.kind === 'image'
      ? '[image]'
      : `[${m.kind}] ${m.card?.title ?? ''}`.slice(0, 120);

/**
 * `support_conversations`, `support_messages`, `support_agents` and `support_quick_replies`. A message takes the next
 * seq of its conversation with the conversation's row locked, in the caller's transaction.
 */
export function supportRepository(db: Database) {
  const conversations = (ctx: TenantContext) => db.scope(ctx).table('support_conversations');
  const messages = (ctx: TenantContext) => db.scope(ctx).table('support_messages');
  const agents = (ctx: TenantContext) => db.scope(ctx).table('support_agents');

  return {
    async conversation(
      ctx: TenantContext,
      id: number,
      opts: { lock?: boolean } = {},
    ): Promise<StoredConversation | null> {
      const q = conversations(ctx).where({ id });
      if (opts.lock) q.forUpdate();
      const r = (await q.first()) as ConversationRow | undefined;
      return r ? toConversation(r) : null;
    },

    async conversationsByIds(ctx: TenantContext, ids: number[]): Promise<StoredConversation[]> {
      if (ids.length === 0) return [];
      return ((await conversations(ctx).whereIn('id', ids)) as ConversationRow[]).map(toConversation);
    },

    /** The conversation of a shopper (shop channel) or of a WeChat user (wechat channel), locked when asked. */
    async conversationOf(
      ctx: TenantContext,
      who: { shopperId: number } | { wechatOpenid: string },
      opts: { lock?: boolean } = {},
    ): Promise<StoredConversation | null> {
      const q =
        'shopperId' in who
          ? conversations(ctx).where({ channel: 'shop', shopper_id: who.shopperId })
          : conversations(ctx).where({ wechat_openid: who.wechatOpenid });
      if (opts.lock) q.forUpdate();
      const r = (await q.first()) as ConversationRow | undefined;
      return r ? toConversation(r) : null;
    },

    /** Opens a conversation; false when one was opened for the same shopper (or WeChat user) meanwhile. */
    async insertConversation(
      ctx: TenantContext,
      c: {
        channel: SupportChannel;
        shopperId: number | null;
        wechatOpenid: string | null;
        startedWith: SupportCard | null;
        at: Date;
      },
    ): Promise<boolean> {
      try {
        await db.scope(ctx).insert('support_conversations', {
          channel: c.channel,
          shopper_id: c.shopperId,
          wechat_openid: c.wechatOpenid,
          status: 'queued',
          started_with: c.startedWith ? JSON.stringify(c.startedWith) : null,
          queued_at: c.at,
          created_at: c.at,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** The message a sender already sent with this client id, if any. */
    async byClientId(
      ctx: TenantContext,
      conversationId: number,
      sender: SupportSender,
      clientMsgId: string,
    ): Promise<StoredMessage | null> {
      const r = (await messages(ctx)
        .where({ conversation_id: conversationId, sender, client_msg_id: clientMsgId })
        .first()) as MessageRow | undefined;
      return r ? toMessage(r) : null;
    },

    /**
     * Appends a message at the conversation's next seq and moves the conversation's summary and unread counts, in the
     * caller's transaction with the conversation's row locked (read with `lock`).
     */
    async append(ctx: TenantContext, c: StoredConversation, m: NewMessage): Promise<StoredMessage> {
      const seq = c.lastSeq + 1;
      await db.scope(ctx).insert('support_messages', {
        conversation_id: c.id,
        seq,
        sender: m.sender,
        sender_id: m.senderId,
        kind: m.kind,
        text: m.text,
        image_id: m.imageId,
        card: m.card ? JSON.stringify(m.card) : null,
        client_msg_id: m.clientMsgId,
        created_at: m.createdAt,
      });
      const row: Record<string, unknown> = {
        last_seq: seq,
        last_sender: m.sender,
        last_kind: m.kind,
        last_preview: preview(m),
        last_message_at: m.createdAt,
      };
      if (m.sender === 'shopper') row.agent_unread = db.knex.raw('agent_unread + 1');
      if (m.sender === 'agent') row.shopper_unread = db.knex.raw('shopper_unread + 1');
      await conversations(ctx).where({ id: c.id }).update(row);
      return { ...m, seq };
    },

    /** Messages of a conversation: after a seq (oldest first), or before one (the newest `limit`, oldest first). */
    async messages(
      ctx: TenantContext,
      conversationId: number,
      q: { before?: number; after?: number; limit: number },
    ): Promise<StoredMessage[]> {
      const base = messages(ctx).where({ conversation_id: conversationId });
      if (q.after !== undefined) {
        const rows = (await base.where('seq', '>', q.after).orderBy('seq', 'asc').limit(q.limit)) as MessageRow[];
        return rows.map(toMessage);
      }
      if (q.before !== undefined) base.where('seq', '<', q.before);
      const rows = (await base.orderBy('seq', 'desc').limit(q.limit)) as MessageRow[];
      return rows.map(toMessage).reverse();
    },

    /** The shop's messages whose text holds `q`, newest first. */
    async search(
      ctx: TenantContext,
      q: string,
      page: { limit: number; offset: number },
    ): Promise<{ rows: StoredMessage[]; total: number }> {
      const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      const base = () => messages(ctx).where('kind', 'text').where('text', 'like', like);
      const [rows, counted] = await Promise.all([
        base().orderBy('id', 'desc').limit(page.limit).offset(page.offset) as Promise<MessageRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toMessage), total: totalOf(counted) };
    },

    /** The inbox: one view, latest message first. */
    async inbox(
      ctx: TenantContext,
      q: { view: SupportInboxView; agentId: number; page: number; pageSize: number },
    ): Promise<{ rows: StoredConversation[]; total: number }> {
      const base = () => {
        const b = conversations(ctx);
        if (q.view === 'mine') b.where({ agent_id: q.agentId, status: 'open' });
        else b.where({ status: q.view });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy([
            { column: 'last_message_at', order: q.view === 'queued' ? 'asc' : 'desc' },
            { column: 'id', order: 'desc' },
          ])
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<ConversationRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toConversation), total: totalOf(counted) };
    },

    /** Unread shopper messages of an agent's open conversations, and the queue's length. */
    async agentCounts(ctx: TenantContext, agentId: number): Promise<{ unread: number; queued: number }> {
      const [unread, queued] = await Promise.all([
        conversations(ctx).where({ agent_id: agentId, status: 'open' }).sum({ n: 'agent_unread' }).first(),
        conversations(ctx).where({ status: 'queued' }).count({ total: '*' }),
      ]);
      return { unread: Number((unread as { n: number | string | null } | undefined)?.n ?? 0), queued: totalOf(queued) };
    },

    /** The oldest queued conversations (to hand out when an agent comes online). */
    async queued(ctx: TenantContext, limit: number): Promise<number[]> {
      const rows = (await conversations(ctx)
        .where({ status: 'queued' })
        .orderBy([
          { column: 'queued_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(limit)
        .select('id')) as Array<{ id: number }>;
      return rows.map((r) => Number(r.id));
    },

    async updateConversation(
      ctx: TenantContext,
      id: number,
      change: Partial<{
        status: SupportConversationStatus;
        agentId: number | null;
        queuedAt: Date | null;
        wechatLastInboundAt: Date;
      }>,
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (change.status !== undefined) row.status = change.status;
      if (change.agentId !== undefined) row.agent_id = change.agentId;
      if (change.queuedAt !== undefined) row.queued_at = change.queuedAt;
      if (change.wechatLastInboundAt !== undefined) row.wechat_last_inbound_at = change.wechatLastInboundAt;
      await conversations(ctx).where({ id }).update(row);
    },

    /** Marks one side's messages read up to `seq` (never backwards); the unread count left is what came after. */
    async markRead(ctx: TenantContext, id: number, reader: 'shopper' | 'agent', seq: number): Promise<boolean> {
      const readCol = reader === 'shopper' ? 'shopper_read_seq' : 'agent_read_seq';
      const unreadCol = reader === 'shopper' ? 'shopper_unread' : 'agent_unread';
      const other = reader === 'shopper' ? 'agent' : 'shopper';
      const changed = await conversations(ctx)
        .where({ id })
        .where(readCol, '<', seq)
        .update({
          [readCol]: db.knex.raw('LEAST(?, last_seq)', [seq]),
          [unreadCol]: db.knex.raw(
            `(SELECT COUNT(*) FROM support_messages m WHERE m.tenant_id = ? AND m.conversation_id = ? AND m.sender = ? AND m.seq > LEAST(?, support_conversations.last_seq))`,
            [ctx.tenantId, id, other, seq],
          ),
        });
      return changed === 1;
    },

    // ---- agents ----------------------------------------------------------------------------------------

    async agents(ctx: TenantContext, opts: { lockOnline?: boolean } = {}): Promise<AgentRow[]> {
      const q = agents(ctx).orderBy('user_id');
      if (opts.lockOnline) q.where({ status: 'online' }).forUpdate();
      return ((await q) as Array<{ user_id: number; status: SupportAgentStatus; open_count: number }>).map((r) => ({
        userId: Number(r.user_id),
        status: r.status,
        openCount: Number(r.open_count),
      }));
    },

    async agent(ctx: TenantContext, userId: number): Promise<AgentRow | null> {
      const r = (await agents(ctx).where({ user_id: userId }).first()) as
        { user_id: number; status: SupportAgentStatus; open_count: number } | undefined;
      return r ? { userId: Number(r.user_id), status: r.status, openCount: Number(r.open_count) } : null;
    },

    async setAgentStatus(ctx: TenantContext, userId: number, status: SupportAgentStatus, at: Date): Promise<void> {
      await db
        .scope(ctx)
        .upsert('support_agents', { user_id: userId, status, updated_at: at }, ['status', 'updated_at']);
    },

    /** Moves an agent's open load by `by` (never below zero). */
    async moveLoad(ctx: TenantContext, userId: number, by: number): Promise<void> {
      await agents(ctx)
        .where({ user_id: userId })
        .update({ open_count: db.knex.raw('GREATEST(0, CAST(open_count AS SIGNED) + ?)', [by]) });
    },

    // ---- subscribe messages ----------------------------------------------------------------------------

    /** The shop's reply template (and the mini-program it belongs to), if it has one. */
    async replyTemplate(ctx: TenantContext): Promise<{ templateId: string; appid: string } | null> {
      const r = (await db.scope(ctx).table('support_settings').first()) as
        { reply_template_id: string | null; reply_template_appid: string | null } | undefined;
      return r?.reply_template_id && r.reply_template_appid
        ? { templateId: r.reply_template_id, appid: r.reply_template_appid }
        : null;
    },

    async saveReplyTemplate(ctx: TenantContext, t: { templateId: string; appid: string }, at: Date): Promise<void> {
      const row = { reply_template_id: t.templateId, reply_template_appid: t.appid, updated_at: at };
      await db.scope(ctx).upsert('support_settings', row, Object.keys(row));
    },

    /** One more reply the shop may tell the shopper of (at most `max` kept). */
    async addCredit(ctx: TenantContext, shopperId: number, max: number, at: Date): Promise<void> {
      await db.scope(ctx).upsert(
        'support_subscriptions',
        { shopper_id: shopperId, credits: 1, updated_at: at },
        {
          credits: db.knex.raw('LEAST(credits + 1, ?)', [max]),
          updated_at: at,
        },
      );
    },

    /** Spends one of the shopper's credits; false when they have none. */
    async spendCredit(ctx: TenantContext, shopperId: number): Promise<boolean> {
      return (
        (await db
          .scope(ctx)
          .table('support_subscriptions')
          .where({ shopper_id: shopperId })
          .where('credits', '>', 0)
          .decrement('credits', 1)) === 1
      );
    },

    // ---- a merge ---------------------------------------------------------------------------------------

    /**
     * Gives one shopper's conversations, messages and subscribe credits to another (a merge), keeping every message.
     * A conversation on a channel where the survivor has none becomes theirs. Where both have one, the other's messages
     * are appended to the survivor's conversation after its last seq (seqs stay gapless, and a client that resumes from
     * a seq misses none), its unread counts added, and the other's conversation is deleted; the survivor's conversation
     * takes over the other's agent when its own was closed, else that agent's load goes down by it.
     */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<void> {
      const theirs = (await conversations(ctx)
        .where({ shopper_id: fromId })
        .orderBy('id')
        .forUpdate()) as ConversationRow[];
      for (const c of theirs) {
        await messages(ctx)
          .where({ conversation_id: c.id, sender: 'shopper', sender_id: fromId })
          .update({ sender_id: toId });
        const mine = (await conversations(ctx).where({ channel: c.channel, shopper_id: toId }).forUpdate().first()) as
          ConversationRow | undefined;
        if (!mine) {
          await conversations(ctx).where({ id: c.id }).update({ shopper_id: toId });
          continue;
        }
        const shift = Number(mine.last_seq);
        const moving = (
          (await messages(ctx)
            .where({ conversation_id: c.id })
            .whereNotNull('client_msg_id')
            .select('client_msg_id')) as Array<{ client_msg_id: string }>
        ).map((m) => m.client_msg_id);
        if (moving.length > 0) {
          // A client's message id is unique per conversation and sender: one both used is dropped from the moved one.
          const clashing = (
            (await messages(ctx)
              .where({ conversation_id: mine.id })
              .whereIn('client_msg_id', moving)
              .select('client_msg_id')) as Array<{ client_msg_id: string }>
          ).map((m) => m.client_msg_id);
          if (clashing.length > 0)
            await messages(ctx)
              .where({ conversation_id: c.id })
              .whereIn('client_msg_id', clashing)
              .update({ client_msg_id: null });
        }
        await messages(ctx)
          .where({ conversation_id: c.id })
          .update({ conversation_id: mine.id, seq: db.knex.raw('?? + ?', ['seq', shift]) });
        const caughtUp = (read: number) => Number(read) === shift;
        const patch: Record<string, unknown> = {
          last_seq: shift + Number(c.last_seq),
          shopper_unread: Number(mine.shopper_unread) + Number(c.shopper_unread),
          agent_unread: Number(mine.agent_unread) + Number(c.agent_unread),
          shopper_read_seq: caughtUp(mine.shopper_read_seq)
            ? shift + Number(c.shopper_read_seq)
            : Number(mine.shopper_read_seq),
          agent_read_seq: caughtUp(mine.agent_read_seq)
            ? shift + Number(c.agent_read_seq)
            : Number(mine.agent_read_seq),
        };
        if (Number(c.last_seq) > 0)
          Object.assign(patch, {
            last_sender: c.last_sender,
            last_kind: c.last_kind,
            last_preview: c.last_preview,
            last_message_at:
              mine.last_message_at && c.last_message_at && mine.last_message_at > c.last_message_at
                ? mine.last_message_at
                : c.last_message_at,
          });
        if (mine.status === 'closed' && c.status !== 'closed')
          Object.assign(patch, { status: c.status, agent_id: c.agent_id, queued_at: c.queued_at });
        else if (c.status === 'open' && c.agent_id !== null)
          await agents(ctx)
            .where({ user_id: c.agent_id })
            .update({ open_count: db.knex.raw('GREATEST(0, CAST(open_count AS SIGNED) - 1)') });
        await conversations(ctx).where({ id: mine.id }).update(patch);
        await conversations(ctx).where({ id: c.id }).delete();
      }
      const credits = (await db
        .scope(ctx)
        .table('support_subscriptions')
        .where({ shopper_id: fromId })
        .forUpdate()
        .first('credits')) as { credits: number } | undefined;
      if (credits && Number(credits.credits) > 0)
        await db
          .scope(ctx)
          .upsert(
            'support_subscriptions',
            { shopper_id: toId, credits: Number(credits.credits), updated_at: new Date() },
            { credits: db.knex.raw('?? + ?', ['credits', Number(credits.credits)]), updated_at: new Date() },
          );
      await db.scope(ctx).table('support_subscriptions').where({ shopper_id: fromId }).delete();
    },

    // ---- quick replies ---------------------------------------------------------------------------------

    async quickReplies(ctx: TenantContext): Promise<Array<{ id: number; text: string }>> {
      const rows = (await db.scope(ctx).table('support_quick_replies').orderBy('id')) as Array<{
        id: number;
        text: string;
      }>;
      return rows.map((r) => ({ id: Number(r.id), text: r.text }));
    },

    async countQuickReplies(ctx: TenantContext): Promise<number> {
      return totalOf(await db.scope(ctx).table('support_quick_replies').count({ total: '*' }));
    },

    async insertQuickReply(ctx: TenantContext, text: string): Promise<number> {
      return db.scope(ctx).insert('support_quick_replies', { text });
    },

    async updateQuickReply(ctx: TenantContext, id: number, text: string): Promise<boolean> {
      return (await db.scope(ctx).table('support_quick_replies').where({ id }).update({ text })) === 1;
    },

    async deleteQuickReply(ctx: TenantContext, id: number): Promise<boolean> {
      return (await db.scope(ctx).table('support_quick_replies').where({ id }).delete()) === 1;
    },
  };
}

export type SupportRepository = ReturnType<typeof supportRepository>;
