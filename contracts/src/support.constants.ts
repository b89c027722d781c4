/**
 * Customer service (客服): a conversation per shopper per shop (or per WeChat user, for messages WeChat's own contact
 * button brings), `queued` while no agent is online, `open` with an agent, `closed` by the agent (the shopper's next
 * message reopens it).
 */
export const SUPPORT_CONVERSATION_STATUSES = ['queued', 'open', 'closed'] as const;
export type SupportConversationStatus = (typeof SUPPORT_CONVERSATION_STATUSES)[number];

/** Where a conversation comes from: the shop's own chat, or WeChat's customer-service messages (contact button). */
export const SUPPORT_CHANNELS = ['shop', 'wechat'] as const;
export type SupportChannel = (typeof SUPPORT_CHANNELS)[number];

/** Who wrote a message. */
export const SUPPORT_SENDERS = ['shopper', 'agent', 'system'] as const;
export type SupportSender = (typeof SUPPORT_SENDERS)[number];

/** What a message is: text (with emoji), an image, or a card of a product, an order or an after-sales case. */
export const SUPPORT_MESSAGE_KINDS = ['text', 'image', 'product', 'order', 'after_sales'] as const;
export type SupportMessageKind = (typeof SUPPORT_MESSAGE_KINDS)[number];

/** An agent's availability: online agents get new conversations; away agents keep theirs but get none. */
export const SUPPORT_AGENT_STATUSES = ['online', 'away', 'offline'] as const;
export type SupportAgentStatus = (typeof SUPPORT_AGENT_STATUSES)[number];

/** The merchant's inbox views. */
export const SUPPORT_INBOX_VIEWS = ['mine', 'queued', 'open', 'closed'] as const;
export type SupportInboxView = (typeof SUPPORT_INBOX_VIEWS)[number];

export const SUPPORT_LIMITS = {
  /** Characters of a text message. */
  textMax: 1000,
  /** Messages a shopper may send in `rateWindowSeconds`; an agent may send `agentRateMax`. */
  shopperRateMax: 20,
  agentRateMax: 60,
  rateWindowSeconds: 10,
  /** Bytes of an image (checked from its bytes, as every upload is). */
  imageMaxBytes: 5 * 1024 * 1024,
  /** Messages a page of history holds at most. */
  pageMax: 100,
  quickRepliesMax: 100,
  quickReplyMax: 300,
  /** Bytes of one WebSocket frame a client may send. */
  frameMaxBytes: 8 * 1024,
} as const;

/** The WebSocket path of the chat (`?audience=shopper&shop=<shopKey>&token=…`, or `?audience=merchant&token=…`). */
export const SUPPORT_WS_PATH = '/ws/support';
