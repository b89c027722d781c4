import type { RequestContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import type { AuditEntry, Page } from '@shopfleet/contracts';
import { platformTable } from '../../kernel/db/platform-db';
import { iso, parseJsonColumn, totalOf } from '../../kernel/db/rows';

export interface AuditRecord {
  tenantId: number | null;
  actorType: string;
  actorId: number | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: unknown;
  requestId: string | null;
  ip: string | null;
}

interface AuditRow {
  id: number;
  tenant_id: number | null;
  actor_type: string;
  actor_id: number | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  data: unknown;
  request_id: string | null;
  created_at: Date;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: Number(r.id),
  tenantId: r.tenant_id === null ? null : Number(r.tenant_id),
  actorType: r.actor_type,
  actorId: r.actor_id === null ? null : Number(r.actor_id),
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  data: parseJsonColumn(r.data),
  requestId: r.request_id,
  createdAt: iso(r.created_at),
});

/** `audit_log`: platform actions and every tenant's, each row with its tenant (null: the platform's). */
export function auditRepository(db: Database) {
  return {
    /** Writes a record on the context's connection: in its transaction, it commits with the change it records. */
    async insert(ctx: RequestContext, rec: AuditRecord): Promise<void> {
      await platformTable(db.conn(ctx), 'audit_log').insert({
        tenant_id: rec.tenantId,
        actor_type: rec.actorType,
        actor_id: rec.actorId,
        action: rec.action,
        target_type: rec.targetType,
        target_id: rec.targetId,
        data: rec.data === undefined ? null : JSON.stringify(rec.data),
        request_id: rec.requestId,
        ip: rec.ip,
      });
    },

    /** One tenant's entries (tenantId null: the whole platform's), newest first. */
    async list(tenantId: number | null, page: number, pageSize: number): Promise<Page<AuditEntry>> {
      const base = () => {
        const q = platformTable(db.knex, 'audit_log');
        return tenantId === null ? q : q.where('tenant_id', tenantId);
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize) as Promise<AuditRow[]>,
        base().count({ total: '*' }),
      ]);
      return { items: rows.map(toEntry), page, pageSize, total: totalOf(counted) };
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
