import type { TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { NotFoundError } from '../../kernel/errors';
import type { EmailSender } from '../../integrations/email';
import type { SmsSender } from '../../integrations/sms';
import type { NotificationsRepository } from './notifications.repository';

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

export interface NotificationInput {
  kind: string;
  title: string;
  body: string;
  data?: unknown;
}

export function notificationsService(deps: NotificationsDeps) {
  return {
    /**
     * Tells a merchant something: a notification in the console (in the caller's transaction, so it
     * exists exactly when the change does), then email to the owners and an SMS to the contact phone.
     * A failed send is logged, never undoes the change.
     */
    async notify(ctx: TenantContext, n: NotificationInput): Promise<void> {
      await deps.repo.insert(ctx, n);
      const send = async () => {
        const to = await deps.recipients(ctx.tenantId);
        await Promise.all([
          ...to.emails.map((address) => deps.email.send({ to: address, subject: n.title, text: n.body })),
          ...(to.phone ? [deps.sms.sendNotice({ phone: to.phone, text: `${n.title}：${n.body}` })] : []),
        ]);
      };
      await deps.tx.afterCommit(ctx, () => send().catch((err: unknown) => ctx.log.warn({ err, kind: n.kind }, 'notification delivery failed')));
    },

    list(ctx: TenantContext, page: number, pageSize: number) {
      return deps.repo.list(ctx, page, pageSize);
    },

    async markRead(ctx: TenantContext, id: number): Promise<void> {
      if (!(await deps.repo.markRead(ctx, id))) throw new NotFoundError('NOTIFICATION_NOT_FOUND');
    },
  };
}

export type NotificationsService = ReturnType<typeof notificationsService>;
