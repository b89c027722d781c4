import type { SupportConversation, SupportMessage } from '@shopfleet/contracts';
import type { Redis } from '../../kernel/redis';

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

export interface SupportBus {
  /** Publishes an event to every process (this one included), after the change it tells of has committed. */
  publish(event: SupportEvent): Promise<void>;
  /** Calls `handle` with every event published by any process; returns the unsubscribe. */
  subscribe(handle: (event: SupportEvent) => void): Promise<() => Promise<void>>;
}

/**
 * The chat's fan-out across API processes over Redis pub/sub: one channel per platform (its Redis prefix). Pub/sub
 * delivers at most once and only to those listening; nothing depends on it for safety — messages are in MySQL before
 * they are published, and a socket that missed one (a process restart, a dropped connection) catches up by seq.
 */
export function redisSupportBus(redis: Redis, prefix: string): SupportBus {
  const channel = `${prefix}:support:events`;
  return {
    async publish(event) {
      await redis.publish(channel, JSON.stringify(event));
    },
    async subscribe(handle) {
      const sub = redis.duplicate();
      sub.on('message', (from: string, text: string) => {
        if (from !== channel) return;
        let event: SupportEvent;
        try {
          event = JSON.parse(text) as SupportEvent;
        } catch {
          return;
        }
        handle(event);
      });
      await sub.subscribe(channel);
      return async () => {
        await sub.unsubscribe(channel).catch(() => undefined);
        await sub.quit().catch(() => sub.disconnect());
      };
    },
  };
}
