import type { TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { NotFoundError } from '../../kernel/errors';
import type { EmailSender } from '../../integrations/email';
import type { SmsSender } from '../../integrations/sms';
import type { NotificationsRepository } from './notifications.repository';
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
}

/** What to tell: its kind, what it says as a text code with its params (`NOTIFICATION_TEXTS`), and data for the console (a document's id). */
export type NotificationInput = NotificationText & { kind: string; data?: unknown };

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

    /** The shop's notifications, newest first, with how many are unread. */
    list(ctx: TenantContext, page: number, pageSize: number) {
      return deps.repo.list(ctx, page, pageSize);
    },

    /** Marks one of the shop's notifications read; another shop's is not found. */
    async markRead(ctx: TenantContext, id: number): Promise<void> {
      if (!(await deps.repo.markRead(ctx, id))) throw new NotFoundError('NOTIFICATION_NOT_FOUND');
    },
  };
}

export type NotificationsService = ReturnType<typeof notificationsService>;
