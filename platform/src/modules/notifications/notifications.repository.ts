import { notificationParamsSchema, type Notification } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { iso, isoOrNull, parseJsonColumn, totalOf } from '../../kernel/db/rows';

interface NotificationRow {
  id: number;
  kind: string;
  title: string;
  body: string;
  text_code: string | null;
  text_params: unknown;
  data: unknown;
  read_at: Date | null;
  created_at: Date;
}

/** A row's params as sent: none on a row from before the codes (or one that does not parse). */
function textParams(value: unknown): Notification['textParams'] {
  const parsed = notificationParamsSchema.safeParse(parseJsonColumn(value));
  return parsed.success ? parsed.data : {};
}

const toNotification = (r: NotificationRow): Notification => ({
  id: Number(r.id),
  kind: r.kind,
  title: r.title,
  body: r.body,
  textCode: r.text_code,
  textParams: textParams(r.text_params),
  data: parseJsonColumn(r.data),
  readAt: isoOrNull(r.read_at),
  createdAt: iso(r.created_at),
});

/** What is stored for a notification: its Chinese title and body beside the text code and params the console says it by. */
export interface NewNotification {
  kind: string;
  title: string;
  body: string;
  textCode: string;
  textParams: Record<string, unknown>;
  data?: unknown;
}

/** `notifications`: the console's bell, per shop. */
export function notificationsRepository(db: Database) {
  const scope = (ctx: TenantContext) => db.scope(ctx);
  return {
    async insert(ctx: TenantContext, n: NewNotification): Promise<number> {
      return scope(ctx).insert('notifications', {
        kind: n.kind,
        title: n.title,
        body: n.body,
        text_code: n.textCode,
        text_params: JSON.stringify(n.textParams),
        data: n.data === undefined ? null : JSON.stringify(n.data),
      });
    },

    async list(ctx: TenantContext, page: number, pageSize: number) {
      const [rows, counted, unread] = await Promise.all([
        scope(ctx)
          .table('notifications')
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        scope(ctx).table('notifications').count({ total: '*' }),
        scope(ctx).table('notifications').whereNull('read_at').count({ total: '*' }),
      ]);
      return {
        items: (rows as NotificationRow[]).map(toNotification),
        page,
        pageSize,
        total: totalOf(counted),
        unread: totalOf(unread),
      };
    },

    async markRead(ctx: TenantContext, id: number): Promise<boolean> {
      const found = await scope(ctx).table('notifications').where({ id }).first();
      if (!found) return false;
      await scope(ctx)
        .table('notifications')
        .where({ id })
        .whereNull('read_at')
        .update({ read_at: db.knex.fn.now(3) });
      return true;
    },
  };
}

export type NotificationsRepository = ReturnType<typeof notificationsRepository>;
