import type { AuditEntry, Page } from '@shopfleet/contracts';
import { actorId, type RequestContext, type TenantContext } from '../../kernel/context';
import type { AuditRepository } from './audit.repository';

export interface AuditEvent {
  action: string;
  targetType?: string;
  targetId?: string | number;
  data?: unknown;
  /** The tenant the action concerns, when the actor is platform staff. */
  tenantId?: number;
}

export function auditService(repo: AuditRepository) {
  return {
    /** Records who did what, when, from where: in the context's transaction, so the record commits with the change. */
    async record(ctx: RequestContext, event: AuditEvent): Promise<void> {
      await repo.insert(ctx, {
        tenantId: event.tenantId ?? ctx.tenantId,
        actorType: ctx.actor.type,
        actorId: actorId(ctx.actor),
        action: event.action,
        targetType: event.targetType ?? null,
        targetId: event.targetId === undefined ? null : String(event.targetId),
        data: event.data,
        requestId: ctx.requestId,
        ip: ctx.ip ?? null,
      });
    },

    /** The caller's tenant's audit log. */
    listForTenant(ctx: TenantContext, page: number, pageSize: number): Promise<Page<AuditEntry>> {
      return repo.list(ctx.tenantId, page, pageSize);
    },

    /** Every tenant's and the platform's entries: platform staff only. */
    listAll(_ctx: RequestContext, page: number, pageSize: number): Promise<Page<AuditEntry>> {
      return repo.list(null, page, pageSize);
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
