import type { Notification } from '@shopfleet/contracts';
import type { Redis } from '../../kernel/redis';

/** A live alert for every API process's sockets: whose shop, who may hear it, and the notification written. */
export interface AlertEvent {
  tenantId: number;
  permission: string;
  notification: Notification;
}

export interface AlertsBus {
  /** Publishes an alert to every process (this one included), after its row has committed. */
  publish(event: AlertEvent): Promise<void>;
  /** Calls `handle` with every alert published by any process; returns the unsubscribe. */
  subscribe(handle: (event: AlertEvent) => void): Promise<() => Promise<void>>;
}

/**
 * The alerts' fan-out across API processes over Redis pub/sub, as the chat's (ADR 0013): one channel per platform (its
 * Redis prefix), at most once, only to those listening. The row in `notifications` is the record; a console that
 * missed an alert (a dropped socket) sees it in the bell at its next poll.
 */
export function redisAlertsBus(redis: Redis, prefix: string): AlertsBus {
  const channel = `${prefix}:notifications:alerts`;
  return {
    async publish(event) {
      await redis.publish(channel, JSON.stringify(event));
    },
    async subscribe(handle) {
      const sub = redis.duplicate();
      sub.on('message', (from: string, text: string) => {
        if (from !== channel) return;
        let event: AlertEvent;
        try {
          event = JSON.parse(text) as AlertEvent;
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
