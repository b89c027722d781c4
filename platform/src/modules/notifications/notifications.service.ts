import type { TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { NotFoundError } from '../../kernel/errors';
import type { EmailSender } from '../../integrations/email';
import type { SmsSender } from '../../integrations/sms';
import { LIVE_ALERTS, type LiveAlertCode } from '@shopfleet/contracts';
import type { NotificationsRepository, ReaderPermissions } from './notifications.repository';
import type { AlertsBus } from './alerts.bus';
import { chineseText, type NotificationText } from './notification-texts';

export interface Recipients {
  emails: string[];
  phone: string | null;
}

export interface NotificationsDeps {
  repo: NotificationsRepository;
  tx: Transactions;
  email: EmailSender;
  sms: SmsSender;
  /** Who hears about a tenant's affairs: its owners' emails and its contact phone. */
  recipients(tenantId: number): Promise<Recipients>;
  /** Where live alerts go after their row commits (every API process's alerts sockets); none: the bell's poll finds them. */
  bus?: AlertsBus;
}

/** What to tell: its kind, what it says as a text code with its params (`NOTIFICATION_TEXTS`), and data for the console (a document's id). */
export type NotificationInput = NotificationText & { kind: string; data?: unknown };

/** A live alert: one of the `LIVE_ALERTS` codes with its params, and data for the console (the order's id). */
export type AlertInput = Extract<NotificationText, { textCode: LiveAlertCode }> & { data?: unknown };

/** The permissions a reader of the bell has (a merchant's own; anyone else reads only what is everyone's). */
const readerOf = (ctx: TenantContext): ReaderPermissions =>
  ctx.actor.type === 'merchant' ? ctx.actor.permissions : [];

export function notificationsService(deps: NotificationsDeps) {
  return {
    /**
     * Tells a merchant something: a notification in the console (in the caller's transaction, so it
     * exists exactly when the change does), then email to the owners and an SMS to the contact phone.
     * A failed send is logged, never undoes the change. The console says it from its text code in the
     * reader's language; the stored title and body, the email and the SMS are in Chinese.
     */
    async notify(ctx: TenantContext, n: NotificationInput): Promise<void> {
      const { title, body } = chineseText(n);
      await deps.repo.insert(ctx, {
        kind: n.kind,
        title,
        body,
        textCode: n.textCode,
        textParams: n.textParams,
        data: n.data,
      });
      const send = async () => {
        const to = await deps.recipients(ctx.tenantId);
        await Promise.all([
          ...to.emails.map((address) => deps.email.send({ to: address, subject: title, text: body })),
          ...(to.phone ? [deps.sms.sendNotice({ phone: to.phone, text: `${title}：${body}` })] : []),
        ]);
      };
      await deps.tx.afterCommit(ctx, () =>
        send().catch((err: unknown) => ctx.log.warn({ err, kind: n.kind }, 'notification delivery failed')),
      );
    },

    /**
     * A live alert for the staff who may see what it is about (`LIVE_ALERTS`: the code's permission): a row in the bell,
     * written in the caller's transaction, then — once it commits — sent to their open consoles (a sound, the tab's
     * count, the bell). No email, no SMS: these come many a day. A lost publish loses nothing: the row is the record,
     * and the bell's poll shows it.
     */
    async alert(ctx: TenantContext, n: AlertInput): Promise<void> {
      const { title, body } = chineseText(n);
      const permission = LIVE_ALERTS[n.textCode];
      const id = await deps.repo.insert(ctx, {
        kind: 'alert',
        title,
        body,
        textCode: n.textCode,
        textParams: n.textParams,
        data: n.data,
        permission,
      });
      const bus = deps.bus;
      if (!bus) return;
      await deps.tx.afterCommit(ctx, async (outside) => {
        const notification = await deps.repo.byId(outside, id);
        if (notification) await bus.publish({ tenantId: ctx.tenantId, permission, notification });
      });
    },

    /** The shop's notifications the reader may see, newest first, with how many of them are unread. */
    list(ctx: TenantContext, page: number, pageSize: number) {
      return deps.repo.list(ctx, page, pageSize, readerOf(ctx));
    },

    /** Marks one of the shop's notifications read; another shop's, or an alert the reader may not see, is not found. */
    async markRead(ctx: TenantContext, id: number): Promise<void> {
      if (!(await deps.repo.markRead(ctx, id, readerOf(ctx)))) throw new NotFoundError('NOTIFICATION_NOT_FOUND');
    },
  };
}

export type NotificationsService = ReturnType<typeof notificationsService>;
