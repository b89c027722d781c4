import type { merchantApi, platformApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { IdentityService } from './identity.service';
import type { SessionsService } from './sessions.service';
import type { AuditService } from '../audit';

const QUEUE_COOKIE = 'sf_queue_session';
export const QUEUE_SESSION_COOKIE = QUEUE_COOKIE;

export function platformIdentityHandlers(
  identity: IdentityService,
  sessions: SessionsService,
  audit: AuditService,
  accessTtlSeconds: number,
) {
  return {
    login: (ctx, { body }) => identity.platformLogin(ctx, body.email, body.password),
    refresh: (ctx, { body }) => identity.platformRefresh(ctx, body.refreshToken),
    logout: async (ctx, { body }) => {
      await sessions.revoke(ctx, 'platform', body.refreshToken);
      return { ok: true as const };
    },
    me: (ctx) => identity.platformMe(ctx),
    queueSession: async (ctx, _input, res) => {
      const token = /^Bearer\s+(.+)$/i.exec(res.req.headers.authorization ?? '')?.[1] ?? '';
      res.cookie(QUEUE_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: res.req.secure,
        path: '/platform-api/v1/queues',
        maxAge: accessTtlSeconds * 1000,
      });
      await audit.record(ctx, { action: 'platform.queues.opened' });
      return { ok: true as const };
    },
    listAudit: (ctx, { query }) => audit.listAll(ctx, query.page, query.pageSize),
  } satisfies Partial<Handlers<typeof platformApi>>;
}

export function merchantIdentityHandlers(identity: IdentityService, sessions: SessionsService, audit: AuditService) {
  return {
    login: (ctx, { body }) => identity.merchantLogin(ctx, body),
    refresh: (ctx, { body }) => identity.merchantRefresh(ctx, body.refreshToken),
    logout: async (ctx, { body }) => {
      await sessions.revoke(ctx, 'merchant', body.refreshToken);
      return { ok: true as const };
    },
    me: (ctx) => identity.merchantMe(ctx),
    listStaff: (ctx, { query }) => identity.listStaff(ctx, query.page, query.pageSize),
    listAudit: (ctx, { query }) => audit.listForTenant(ctx, query.page, query.pageSize),
    listInvitations: (ctx) => identity.listInvitations(ctx),
    createInvitation: (ctx, { body }) => identity.createInvitation(ctx, body),
    revokeInvitation: async (ctx, { params }) => {
      await identity.revokeInvitation(ctx, params.id);
      return { ok: true as const };
    },
    invitationPreview: (ctx, { params }) => identity.invitationPreview(ctx, params.token),
    acceptInvitation: (ctx, { params, body }) => identity.acceptInvitation(ctx, params.token, body),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
