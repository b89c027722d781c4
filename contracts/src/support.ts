import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import {
  SUPPORT_AGENT_STATUSES,
  SUPPORT_CHANNELS,
  SUPPORT_CONVERSATION_STATUSES,
  SUPPORT_INBOX_VIEWS,
  SUPPORT_LIMITS,
  SUPPORT_MESSAGE_KINDS,
  SUPPORT_SENDERS,
} from './support.constants';
import { ORDER_STATUSES } from './orders.constants';
import { AFTER_SALES_STATUSES } from './after-sales.constants';

/** A client's id for a message it sends: a retry with the same id stores nothing new and answers the first. */
const clientMsgId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, - or _');

/**
 * What a client sends: text (emoji are text), an image it uploaded, or a card — a product (the shopper's, from the
 * product page), one of the shopper's orders or after-sales cases. Cards are built by the server from the ids.
 */
export const supportSendBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), clientMsgId, text: z.string().trim().min(1).max(SUPPORT_LIMITS.textMax) }),
  z.strictObject({ kind: z.literal('image'), clientMsgId, imageId: idSchema }),
  z.strictObject({ kind: z.literal('product'), clientMsgId, productId: idSchema }),
  z.strictObject({ kind: z.literal('order'), clientMsgId, orderId: idSchema }),
  z.strictObject({ kind: z.literal('after_sales'), clientMsgId, caseId: idSchema }),
]);
export type SupportSendBody = z.infer<typeof supportSendBodySchema>;

/** A card a message carries, as the server built it when it was sent. */
export const supportCardSchema = z.object({
  type: z.enum(['product', 'order', 'after_sales']),
  id: z.number().int(),
  title: z.string(),
  imageUrl: z.string().nullable(),
  /** The product's lowest price, or the order's total (fen). */
  priceFen: z.number().int().nullable(),
  /** The order's or the case's number. */
  no: z.string().nullable(),
  status: z.union([z.enum(ORDER_STATUSES), z.enum(AFTER_SALES_STATUSES)]).nullable(),
});
export type SupportCard = z.infer<typeof supportCardSchema>;

export const supportMessageSchema = z
  .object({
    conversationId: z.number().int(),
    /** Its place in the conversation: 1, 2, 3… with no gaps. A client resumes after the last it has. */
    seq: z.number().int(),
    sender: z.enum(SUPPORT_SENDERS),
    /** The agent's name for an agent's message. */
    senderName: z.string().nullable(),
    kind: z.enum(SUPPORT_MESSAGE_KINDS),
    text: z.string().nullable(),
    imageUrl: z.string().nullable(),
    card: supportCardSchema.nullable(),
    clientMsgId: z.string().nullable(),
    at: isoDateTime,
  })
  .meta({ id: 'SupportMessage' });
export type SupportMessage = z.infer<typeof supportMessageSchema>;

/** The shopper's own conversation with the shop. */
export const shopSupportSchema = z
  .object({
    conversationId: z.number().int().nullable(),
    lastSeq: z.number().int(),
    /** Agent messages the shopper has not read. */
    unread: z.number().int(),
    status: z.enum(SUPPORT_CONVERSATION_STATUSES).nullable(),
    agentName: z.string().nullable(),
    /** Whether an agent is online now (else the shopper's message waits in the queue). */
    agentsOnline: z.boolean(),
    /**
     * In the WeChat mini-program: the subscribe-message template to ask for (`wx.requestSubscribeMessage`) so that a
     * reply the shopper has not read reaches them; null where the shop's mini-program has none.
     */
    subscribeTemplateId: z.string().nullable(),
  })
  .meta({ id: 'ShopSupport' });

/** What the shopper answered to `wx.requestSubscribeMessage`: each acceptance lets the shop tell them of one reply. */
export const supportSubscribeBodySchema = z.strictObject({
  templateId: z.string().min(1).max(64),
  accepted: z.boolean(),
});
export type ShopSupport = z.infer<typeof shopSupportSchema>;

export const supportHistoryQuerySchema = z.strictObject({
  /** Messages before this seq (older history), newest last. */
  before: z.coerce.number().int().min(1).optional(),
  /** Messages after this seq (catching up), oldest first. */
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(SUPPORT_LIMITS.pageMax).default(30),
});

export const supportMessagesSchema = z.object({ items: z.array(supportMessageSchema), lastSeq: z.number().int() });

export const supportReadBodySchema = z.strictObject({ seq: z.number().int().min(0) });

/** A conversation in the merchant's inbox. */
export const supportConversationSchema = z
  .object({
    id: z.number().int(),
    channel: z.enum(SUPPORT_CHANNELS),
    status: z.enum(SUPPORT_CONVERSATION_STATUSES),
    shopper: z
      .object({ id: z.number().int().nullable(), nickname: z.string().nullable(), phoneMasked: z.string().nullable() })
      .nullable(),
    agentId: z.number().int().nullable(),
    agentName: z.string().nullable(),
    lastSeq: z.number().int(),
    lastMessage: z
      .object({
        sender: z.enum(SUPPORT_SENDERS),
        kind: z.enum(SUPPORT_MESSAGE_KINDS),
        preview: z.string(),
        at: isoDateTime,
      })
      .nullable(),
    /** Shopper messages the agents have not read. */
    unread: z.number().int(),
    /** The card the conversation started with (the product, order or case the shopper came from). */
    startedWith: supportCardSchema.nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'SupportConversation' });
export type SupportConversation = z.infer<typeof supportConversationSchema>;

export const supportInboxQuerySchema = z.strictObject({
  view: z.enum(SUPPORT_INBOX_VIEWS).default('mine'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(30),
});

/** A conversation beside its shopper: their profile and recent orders. */
export const supportConversationDetailSchema = z
  .object({
    conversation: supportConversationSchema,
    recentOrders: z.array(
      z.object({
        id: z.number().int(),
        orderNo: z.string(),
        status: z.enum(ORDER_STATUSES),
        totalFen: z.number().int(),
        createdAt: isoDateTime,
      }),
    ),
    shopperSince: isoDateTime.nullable(),
    orderCount: z.number().int(),
  })
  .meta({ id: 'SupportConversationDetail' });
export type SupportConversationDetail = z.infer<typeof supportConversationDetailSchema>;

export const supportSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(50),
  page: z.coerce.number().int().min(1).max(1_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});

export const supportSearchHitSchema = z
  .object({ conversationId: z.number().int(), message: supportMessageSchema, shopperNickname: z.string().nullable() })
  .meta({ id: 'SupportSearchHit' });

export const supportTransferBodySchema = z.strictObject({ agentId: idSchema });

export const supportAgentSchema = z
  .object({
    userId: z.number().int(),
    name: z.string(),
    status: z.enum(SUPPORT_AGENT_STATUSES),
    /** Open conversations assigned to the agent. */
    load: z.number().int(),
  })
  .meta({ id: 'SupportAgent' });
export type SupportAgent = z.infer<typeof supportAgentSchema>;

export const supportAgentStatusBodySchema = z.strictObject({ status: z.enum(SUPPORT_AGENT_STATUSES) });

/** The signed-in agent: their status, and the unread count of their inbox (the menu badge). */
export const supportMeSchema = z
  .object({ status: z.enum(SUPPORT_AGENT_STATUSES), unread: z.number().int(), queued: z.number().int() })
  .meta({ id: 'SupportMe' });

export const quickReplyInputSchema = z.strictObject({
  text: z.string().trim().min(1).max(SUPPORT_LIMITS.quickReplyMax),
});
export const quickReplySchema = z.object({ id: z.number().int(), text: z.string() }).meta({ id: 'QuickReply' });
export type QuickReply = z.infer<typeof quickReplySchema>;

// ---- the WebSocket frames ---------------------------------------------------------------------------

/** What a client says over the WebSocket. */
export const supportClientFrameSchema = z.discriminatedUnion('type', [
  /** Send me what I missed: the messages after these seqs, then each new one live. */
  z.strictObject({
    type: z.literal('resume'),
    conversations: z.array(z.strictObject({ id: idSchema, afterSeq: z.number().int().min(0) })).max(200),
  }),
  /** An agent watches a conversation it opened (not assigned to it): its messages arrive live too. */
  z.strictObject({ type: z.literal('watch'), conversationId: idSchema, afterSeq: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('unwatch'), conversationId: idSchema }),
  /** Send a message; an agent names the conversation, a shopper has one. Answered by `ack` or `error`. */
  z.strictObject({ type: z.literal('send'), conversationId: idSchema.optional(), message: supportSendBodySchema }),
  z.strictObject({ type: z.literal('read'), conversationId: idSchema, seq: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type SupportClientFrame = z.infer<typeof supportClientFrameSchema>;

/** What the server says over the WebSocket. */
export type SupportServerFrame =
  | { type: 'ready'; audience: 'shopper' | 'merchant' }
  | { type: 'message'; message: SupportMessage }
  | { type: 'ack'; clientMsgId: string; message: SupportMessage }
  | { type: 'conversation'; conversation: SupportConversation }
  | { type: 'read'; conversationId: number; seq: number; by: 'shopper' | 'agent' }
  | { type: 'resumed'; conversationId: number; lastSeq: number }
  | { type: 'error'; clientMsgId?: string; code: string; reason?: string; params?: Record<string, unknown> }
  | { type: 'pong' };
