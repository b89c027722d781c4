import type { Notification } from '@shopfleet/contracts';
import type { Redis } from '../../kernel/redis';
import { redisBus, type RedisBus } from '../../kernel/redis-bus';

/** A live alert for every API process's sockets: whose shop, who may hear it, and the notification written. */
export interface AlertEvent {
  tenantId: number;
  permission: string;
  notification: Notification;
}

export type AlertsBus = RedisBus<AlertEvent>;

/**
 * The alerts' fan-out across API processes over Redis pub/sub, as the chat's (ADR 0013): one channel per platform (its
 * Redis prefix), at most once, only to those listening. The row in `notifications` is the record; a console that
 * missed an alert (a dropped socket) sees it in the bell at its next poll.
 */
export function redisAlertsBus(redis: Redis, prefix: string): AlertsBus {
  return redisBus<AlertEvent>(redis, `${prefix}:notifications:alerts`);
}
