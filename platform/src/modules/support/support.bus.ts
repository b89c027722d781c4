import type { SupportConversation, SupportMessage } from '@shopfleet/contracts';
import type { Redis } from '../../kernel/redis';
import { redisBus, type RedisBus } from '../../kernel/redis-bus';

/** What happened in a conversation, for every API process's sockets: who it concerns, and what. */
export type SupportEvent = {
  tenantId: number;
  conversationId: number;
  shopperId: number | null;
  /** The agent the conversation is with now. */
  agentId: number | null;
} & (
  | { kind: 'message'; message: SupportMessage }
  | { kind: 'conversation'; conversation: SupportConversation }
  | { kind: 'read'; by: 'shopper' | 'agent'; seq: number }
);

export type SupportBus = RedisBus<SupportEvent>;

/**
 * The chat's fan-out across API processes over Redis pub/sub: one channel per platform (its Redis prefix). Pub/sub
 * delivers at most once and only to those listening; nothing depends on it for safety — messages are in MySQL before
 * they are published, and a socket that missed one (a process restart, a dropped connection) catches up by seq.
 */
export function redisSupportBus(redis: Redis, prefix: string): SupportBus {
  return redisBus<SupportEvent>(redis, `${prefix}:support:events`);
}
