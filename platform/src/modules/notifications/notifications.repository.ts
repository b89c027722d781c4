import type { Notification } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { iso, isoOrNull, parseJsonColumn, totalOf } from '../../kernel/db/rows';

const toNotification = (r: Record<string, unknown>): Notification => ({
  id: Number(r.id),
  kind: String(r.kind),
  title: String(r.title),
  body: String(r.body),
  data: parseJsonColumn(r.data),
  readAt: isoOrNull(r.read_at as Date | null),
  createdAt: iso(r.created_at as Date),
});

/** `notifications`: the console's bell, per shop. */
export function notificationsRepository(db: Database) {
  const scope = (ctx: TenantContext) => db.scope(ctx);
  return {
    async insert(ctx: TenantContext, n: { kind: string; title: string; body: string; data?: unknown }): Promise<number> {
      return scope(ctx).insert('notifications', { kind: n.kind, title: n.title, body: n.body, data: n.data === undefined ? null : JSON.stringify(n.data) });
    },

    async list(ctx: TenantContext, page: number, pageSize: number) {
      const [rows, counted, unread] = await Promise.all([
        scope(ctx).table('notifications').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize),
        scope(ctx).table('notifications').count({ total: '*' }),
        scope(ctx).table('notifications').whereNull('read_at').count({ total: '*' }),
      ]);
      return { items: (rows as Array<Record<string, unknown>>).map(toNotification), page, pageSize, total: totalOf(counted), unread: totalOf(unread) };
    },

    async markRead(ctx: TenantContext, id: number): Promise<boolean> {
      const found = await scope(ctx).table('notifications').where({ id }).first();
      if (!found) return false;
      await scope(ctx).table('notifications').where({ id }).whereNull('read_at').update({ read_at: db.knex.fn.now(3) });
      return true;
    },
  };
}

export type NotificationsRepository = ReturnType<typeof notificationsRepository>;
