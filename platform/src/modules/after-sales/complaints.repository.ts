import type {
  ComplaintDecision,
  ComplaintReason,
  ComplaintReplyState,
  ComplaintSide,
  ComplaintSource,
  ComplaintStatus,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { platformTable } from '../../kernel/db/platform-db';
import { isDuplicateKey, parseJsonColumn, totalOf } from '../../kernel/db/rows';

/** A complaint as stored. */
export interface StoredComplaint {
  id: number;
  complaintNo: string;
  source: ComplaintSource;
  status: ComplaintStatus;
  reason: ComplaintReason;
  orderId: number | null;
  orderNo: string | null;
  caseId: number | null;
  caseNo: string | null;
  shopperId: number | null;
  requestedFen: number | null;
  decision: ComplaintDecision | null;
  decidedFen: number;
  decisionNote: string;
  decidedAt: Date | null;
  refundId: number | null;
  shopperUnread: boolean;
  wechatComplaintId: string | null;
  wechatState: string | null;
  wechatProblem: string | null;
  wechatProblemType: string | null;
  wechatReply: ComplaintReplyState | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewComplaint = Pick<
  StoredComplaint,
  | 'complaintNo'
  | 'source'
  | 'reason'
  | 'orderId'
  | 'orderNo'
  | 'caseId'
  | 'caseNo'
  | 'shopperId'
  | 'requestedFen'
  | 'wechatComplaintId'
  | 'wechatState'
  | 'wechatProblem'
  | 'wechatProblemType'
  | 'createdAt'
>;

/** What a decision or a withdrawal sets besides the state. */
export type ComplaintChange = Partial<
  Pick<
    StoredComplaint,
    'decision' | 'decidedFen' | 'decisionNote' | 'decidedAt' | 'refundId' | 'shopperUnread' | 'wechatReply'
  >
> & { decidedBy?: number | null };

export interface Statement {
  side: ComplaintSide;
  actorId: number | null;
  body: string;
  photoIds: number[];
  /** WeChat Pay's media (its negotiation history's images), as links. */
  mediaUrls: string[];
  /** The WeChat Pay negotiation log entry it came from: each is added once. */
  wechatLogId?: string | null;
  createdAt: Date;
}

/** A complaint in the platform's queue. */
export interface QueueEntry {
  complaintId: number;
  tenantId: number;
}

interface ComplaintRow {
  id: number;
  complaint_no: string;
  source: ComplaintSource;
  status: ComplaintStatus;
  reason: ComplaintReason;
  order_id: number | null;
  order_no: string | null;
  case_id: number | null;
  case_no: string | null;
  shopper_id: number | null;
  requested_fen: number | null;
  decision: ComplaintDecision | null;
  decided_fen: number;
  decision_note: string;
  decided_at: Date | null;
  refund_id: number | null;
  shopper_unread: number | boolean;
  wechat_complaint_id: string | null;
  wechat_state: string | null;
  wechat_problem: string | null;
  wechat_problem_type: string | null;
  wechat_reply: ComplaintReplyState | null;
  created_at: Date;
  updated_at: Date;
}

interface StatementRow {
  complaint_id: number;
  side: ComplaintSide;
  actor_id: number | null;
  body: string;
  photo_ids: unknown;
  media_urls: unknown;
  wechat_log_id: string | null;
  created_at: Date;
}

const numOrNull = (v: number | null) => (v === null ? null : Number(v));

const toComplaint = (r: ComplaintRow): StoredComplaint => ({
  id: Number(r.id),
  complaintNo: r.complaint_no,
  source: r.source,
  status: r.status,
  reason: r.reason,
  orderId: numOrNull(r.order_id),
  orderNo: r.order_no,
  caseId: numOrNull(r.case_id),
  caseNo: r.case_no,
  shopperId: numOrNull(r.shopper_id),
  requestedFen: numOrNull(r.requested_fen),
  decision: r.decision,
  decidedFen: Number(r.decided_fen),
  decisionNote: r.decision_note,
  decidedAt: r.decided_at,
  refundId: numOrNull(r.refund_id),
  shopperUnread: Boolean(r.shopper_unread),
  wechatComplaintId: r.wechat_complaint_id,
  wechatState: r.wechat_state,
  wechatProblem: r.wechat_problem,
  wechatProblemType: r.wechat_problem_type,
  wechatReply: r.wechat_reply,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toStatement = (r: StatementRow): Statement => ({
  side: r.side,
  actorId: numOrNull(r.actor_id),
  body: r.body,
  photoIds: ((parseJsonColumn(r.photo_ids) as number[] | null) ?? []).map(Number),
  mediaUrls: (parseJsonColumn(r.media_urls) as string[] | null) ?? [],
  wechatLogId: r.wechat_log_id,
  createdAt: r.created_at,
});

const CHANGE_COLUMNS: Record<keyof ComplaintChange, string> = {
  decision: 'decision',
  decidedFen: 'decided_fen',
  decisionNote: 'decision_note',
  decidedAt: 'decided_at',
  decidedBy: 'decided_by',
  refundId: 'refund_id',
  shopperUnread: 'shopper_unread',
  wechatReply: 'wechat_reply',
};

/** The key that keeps one open complaint per order and case (NULL once it is no longer open). */
const openKey = (orderId: number, caseId: number | null) => `${orderId}:${caseId ?? 0}`;

/** `complaints`, `complaint_statements`, and the platform's `arbitration_queue` that mirrors them. */
export function complaintsRepository(db: Database) {
  const complaints = (ctx: TenantContext) => db.scope(ctx).table('complaints');
  const statements = (ctx: TenantContext) => db.scope(ctx).table('complaint_statements');
  const queue = (ctx: RequestContext, alias?: string) => platformTable(db.conn(ctx), 'arbitration_queue', alias);

  return {
    /**
     * Files a complaint and puts it in the platform's queue (in the caller's transaction). Null when the order (or the
     * case) already has an open one: the unique open key decides two filed at once.
     */
    async insert(ctx: TenantContext, c: NewComplaint): Promise<number | null> {
      try {
        const id = await db.scope(ctx).insert('complaints', {
          complaint_no: c.complaintNo,
          source: c.source,
          status: 'open',
          reason: c.reason,
          order_id: c.orderId,
          order_no: c.orderNo,
          case_id: c.caseId,
          case_no: c.caseNo,
          shopper_id: c.shopperId,
          requested_fen: c.requestedFen,
          // WeChat Pay's complaints are its own: they never stand in the way of one filed in the shop.
          open_key: c.source === 'shop' && c.orderId !== null ? openKey(c.orderId, c.caseId) : null,
          wechat_complaint_id: c.wechatComplaintId,
          wechat_state: c.wechatState,
          wechat_problem: c.wechatProblem,
          wechat_problem_type: c.wechatProblemType,
          created_at: c.createdAt,
          updated_at: c.createdAt,
        });
        await queue(ctx).insert({
          complaint_id: id,
          tenant_id: ctx.tenantId,
          source: c.source,
          status: 'open',
          filed_at: c.createdAt,
        });
        return id;
      } catch (err) {
        if (isDuplicateKey(err)) return null;
        throw err;
      }
    },

    async byId(ctx: TenantContext, id: number, shopperId?: number): Promise<StoredComplaint | null> {
      const q = complaints(ctx).where({ id });
      if (shopperId !== undefined) q.where({ shopper_id: shopperId });
      const r = (await q.first()) as ComplaintRow | undefined;
      return r ? toComplaint(r) : null;
    },

    async byWechatId(ctx: TenantContext, wechatComplaintId: string): Promise<StoredComplaint | null> {
      const r = (await complaints(ctx).where({ wechat_complaint_id: wechatComplaintId }).first()) as
        ComplaintRow | undefined;
      return r ? toComplaint(r) : null;
    },

    async byIds(ctx: TenantContext, ids: number[]): Promise<StoredComplaint[]> {
      if (ids.length === 0) return [];
      return ((await complaints(ctx).whereIn('id', ids)) as ComplaintRow[]).map(toComplaint);
    },

    /** The shop's complaints (or one shopper's), newest first, of one state when given. */
    async list(
      ctx: TenantContext,
      q: { status?: ComplaintStatus; shopperId?: number; page: number; pageSize: number },
    ): Promise<{ rows: StoredComplaint[]; total: number }> {
      const base = () => {
        const b = complaints(ctx);
        if (q.status) b.where({ status: q.status });
        if (q.shopperId !== undefined) b.where({ shopper_id: q.shopperId });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<ComplaintRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toComplaint), total: totalOf(counted) };
    },

    /** Open complaints, and decisions the shopper has not read (the shop's, or one shopper's). */
    async counts(ctx: TenantContext, shopperId?: number): Promise<{ open: number; unread: number }> {
      const q = complaints(ctx);
      if (shopperId !== undefined) q.where({ shopper_id: shopperId });
      const r = (await q
        .select(
          db.knex.raw("COALESCE(SUM(status = 'open'), 0) AS open_n"),
          db.knex.raw('COALESCE(SUM(shopper_unread), 0) AS unread_n'),
        )
        .first()) as { open_n: number | string; unread_n: number | string };
      return { open: Number(r.open_n), unread: Number(r.unread_n) };
    },

    /**
     * Moves an open complaint to `to` with its changes, and its queue entry with it; false when it was no longer open
     * (decided or withdrawn meanwhile): the guard makes a decision happen once.
     */
    async close(
      ctx: TenantContext,
      id: number,
      to: Exclude<ComplaintStatus, 'open'>,
      change: ComplaintChange,
      at: Date,
    ): Promise<boolean> {
      const row: Record<string, unknown> = { status: to, open_key: null, updated_at: at };
      for (const [key, value] of Object.entries(change))
        if (value !== undefined) row[CHANGE_COLUMNS[key as keyof ComplaintChange]] = value;
      const moved = (await complaints(ctx).where({ id, status: 'open' }).update(row)) === 1;
      if (moved) await queue(ctx).where({ complaint_id: id }).update({ status: to, decided_at: at });
      return moved;
    },

    /** Sets fields of a complaint whatever its state (WeChat Pay's state, our reply's, the shopper's unread mark). */
    async update(
      ctx: TenantContext,
      id: number,
      change: ComplaintChange & { wechatState?: string; wechatProblem?: string },
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(change)) {
        if (value === undefined) continue;
        if (key === 'wechatState') row.wechat_state = value;
        else if (key === 'wechatProblem') row.wechat_problem = value;
        else row[CHANGE_COLUMNS[key as keyof ComplaintChange]] = value;
      }
      if (Object.keys(row).length) await complaints(ctx).where({ id }).update(row);
    },

    /** Adds a statement; false when it came from a WeChat Pay log entry already added. */
    async addStatement(ctx: TenantContext, complaintId: number, s: Statement): Promise<boolean> {
      try {
        await db.scope(ctx).insert('complaint_statements', {
          complaint_id: complaintId,
          side: s.side,
          actor_id: s.actorId,
          body: s.body,
          photo_ids: JSON.stringify(s.photoIds),
          media_urls: JSON.stringify(s.mediaUrls),
          wechat_log_id: s.wechatLogId ?? null,
          created_at: s.createdAt,
        });
        await complaints(ctx).where({ id: complaintId }).update({ updated_at: s.createdAt });
        return true;
      } catch (err) {
        if (s.wechatLogId && isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async countStatements(ctx: TenantContext, complaintId: number): Promise<number> {
      return totalOf(await statements(ctx).where({ complaint_id: complaintId }).count({ total: '*' }));
    },

    async statements(ctx: TenantContext, complaintIds: number[]): Promise<Map<number, Statement[]>> {
      const out = new Map<number, Statement[]>();
      if (complaintIds.length === 0) return out;
      const rows = (await statements(ctx).whereIn('complaint_id', complaintIds).orderBy('id')) as StatementRow[];
      for (const r of rows)
        out.set(Number(r.complaint_id), [...(out.get(Number(r.complaint_id)) ?? []), toStatement(r)]);
      return out;
    },

    // ---- the platform's queue, across shops -------------------------------------------------------------

    /** A page of the queue: open complaints oldest first, decided ones newest first. */
    async queue(
      ctx: RequestContext,
      filter: { status: ComplaintStatus; source?: ComplaintSource; page: number; pageSize: number },
    ): Promise<{ rows: QueueEntry[]; total: number }> {
      const base = () => {
        const q = queue(ctx, 'q').where('q.status', filter.status);
        if (filter.source) q.where('q.source', filter.source);
        return q;
      };
      const order =
        filter.status === 'open'
          ? [
              { column: 'q.filed_at', order: 'asc' as const },
              { column: 'q.complaint_id', order: 'asc' as const },
            ]
          : [
              { column: 'q.decided_at', order: 'desc' as const },
              { column: 'q.complaint_id', order: 'desc' as const },
            ];
      const [rows, counted] = await Promise.all([
        base()
          .select('q.complaint_id', 'q.tenant_id')
          .orderBy(order)
          .limit(filter.pageSize)
          .offset((filter.page - 1) * filter.pageSize) as Promise<Array<{ complaint_id: number; tenant_id: number }>>,
        base().count({ total: '*' }),
      ]);
      return {
        rows: rows.map((r) => ({ complaintId: Number(r.complaint_id), tenantId: Number(r.tenant_id) })),
        total: totalOf(counted),
      };
    },

    /** The shop a queued complaint is against. */
    async queuedTenant(ctx: RequestContext, complaintId: number): Promise<number | null> {
      const r = (await queue(ctx).where({ complaint_id: complaintId }).first('tenant_id')) as
        { tenant_id: number } | undefined;
      return r ? Number(r.tenant_id) : null;
    },

    /** Gives one shopper's complaints to another (a merge). Returns how many moved. */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<number> {
      return complaints(ctx).where({ shopper_id: fromId }).update({ shopper_id: toId });
    },
  };
}

export type ComplaintsRepository = ReturnType<typeof complaintsRepository>;
