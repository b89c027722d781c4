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
  /** The permission a reader needs (a live alert's); none: everyone in the shop. */
  permission?: string | null;
}

/** What a reader may see: the shop's notifications for everyone, and the alerts their permissions allow. */
export type ReaderPermissions = readonly string[];

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
        permission: n.permission ?? null,
      });
    },

    async byId(ctx: TenantContext, id: number): Promise<Notification | null> {
      const row = (await scope(ctx).table('notifications').where({ id }).first()) as NotificationRow | undefined;
      return row ? toNotification(row) : null;
    },

    async list(ctx: TenantContext, page: number, pageSize: number, reader: ReaderPermissions) {
      const visible = () =>
        scope(ctx)
          .table('notifications')
          .where((q) => {
            void q.whereNull('permission');
            if (reader.length) void q.orWhereIn('permission', [...reader]);
          });
      const [rows, counted, unread] = await Promise.all([
        visible()
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        visible().count({ total: '*' }),
        visible().whereNull('read_at').count({ total: '*' }),
      ]);
      return {
        items: (rows as NotificationRow[]).map(toNotification),
        page,
        pageSize,
        total: totalOf(counted),
        unread: totalOf(unread),
      };
    },

    async markRead(ctx: TenantContext, id: number, reader: ReaderPermissions): Promise<boolean> {
      const found = (await scope(ctx).table('notifications').where({ id }).first()) as
        { permission: string | null } | undefined;
      if (!found || (found.permission !== null && !reader.includes(found.permission))) return false;
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
