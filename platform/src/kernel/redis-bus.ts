import type { Redis } from './redis';

/** Events on one Redis pub/sub channel, for every API process's sockets. */
export interface RedisBus<T> {
  /** Publishes an event to every process (this one included); publish after the change it tells of has committed. */
  publish(event: T): Promise<void>;
  /** Calls `handle` with every event published by any process; returns the unsubscribe. */
  subscribe(handle: (event: T) => void): Promise<() => Promise<void>>;
}

/**
 * A fan-out across API processes over Redis pub/sub on one channel: at most once, only to those listening, so nothing
 * may depend on it for safety (the record is in MySQL before it is published). A text that is not JSON is dropped.
 */
export function redisBus<T>(redis: Redis, channel: string): RedisBus<T> {
  return {
    async publish(event) {
      await redis.publish(channel, JSON.stringify(event));
    },
    async subscribe(handle) {
      const sub = redis.duplicate();
      sub.on('message', (from: string, text: string) => {
        if (from !== channel) return;
        let event: T;
        try {
          event = JSON.parse(text) as T;
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
