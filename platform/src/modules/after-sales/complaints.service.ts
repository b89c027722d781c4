import { randomInt } from 'node:crypto';
import {
  COMPLAINT_LIMITS,
  type ArbitrationItem,
  type Complaint,
  type ComplaintBody,
  type ComplaintCounts,
  type ComplaintDecision,
  type ComplaintSide,
  type ComplaintSource,
  type ComplaintStatus,
  type Page,
} from '@shopfleet/contracts';
import { actorId, shopperIdOf, type RequestContext, type TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { chinaStamp } from '../../kernel/china-time';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import type { AuditService } from '../audit';
import type { ImagesService } from '../catalog';
import type { NotificationsService } from '../notifications';
import type { TenantsService } from '../tenants';
import type { ComplaintsRepository, NewComplaint, StoredComplaint } from './complaints.repository';

/** A complaint number: 投诉 "CP", China time to the second and eight random digits (the unique index decides). */
const complaintNo = (at: Date) => `CP${chinaStamp(at)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

const NOT_OPEN = { reason: 'COMPLAINT_NOT_OPEN', message: 'This complaint was already decided or withdrawn' } as const;

/** Yuan as a decision's notification says it: ¥12.34. */
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export interface ComplaintsDeps {
  repo: ComplaintsRepository;
  tx: Transactions;
  images: Pick<ImagesService, 'byIds' | 'ownedByShopper'>;
  notifications: Pick<NotificationsService, 'notify'>;
  tenants: Pick<TenantsService, 'mustGet'>;
  audit: AuditService;
  now?: () => Date;
}

/** What a complaint is about, as the workflow read it from the order (and the case). */
export interface ComplaintSubject {
  orderId: number;
  orderNo: string;
  shopperId: number;
  caseId: number | null;
  caseNo: string | null;
}

/** A decision as the arbitration workflow applies it. */
export interface Decided {
  decision: ComplaintDecision;
  amountFen: number;
  note: string;
  refundId: number | null;
}

/** Platform staff acting on one shop's complaint: the context bound to that shop. */
const onTenant = (ctx: RequestContext, tenantId: number): TenantContext => ({
  ...ctx,
  tenantId,
  log: ctx.log.child({ tenantId }),
});

/**
 * Complaints (投诉) on their own records: a shopper's about an order or a refused case, or WeChat Pay's consumer
 * complaints against a sub-merchant shop; what each side says; the platform's queue across shops (oldest open first)
 * and its decision, recorded once (a guarded move from `open`). Applying a refund decision spans orders and payments:
 * the arbitration workflow (orders/workflows/arbitrate-complaint.ts) calls `decide` in its refund's transaction.
 */
export function complaintsService(deps: ComplaintsDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  async function views(ctx: TenantContext, list: StoredComplaint[]): Promise<Complaint[]> {
    const said = await repo.statements(
      ctx,
      list.map((c) => c.id),
    );
    const photoIds = [...new Set([...said.values()].flat().flatMap((s) => s.photoIds))];
    const photos = await deps.images.byIds(ctx, photoIds);
    const urls = (ids: number[]) => ids.flatMap((id) => (photos.has(id) ? [photos.get(id)!.medium.jpeg] : []));
    return list.map((c) => ({
      id: c.id,
      complaintNo: c.complaintNo,
      source: c.source,
      status: c.status,
      reason: c.reason,
      orderId: c.orderId,
      orderNo: c.orderNo,
      caseId: c.caseId,
      caseNo: c.caseNo,
      requestedFen: c.requestedFen,
      statements: (said.get(c.id) ?? []).map((s) => ({
        side: s.side,
        body: s.body,
        photoUrls: [...urls(s.photoIds), ...s.mediaUrls],
        at: s.createdAt.toISOString(),
      })),
      decision:
        c.decision && c.decidedAt
          ? {
              decision: c.decision,
              amountFen: c.decidedFen,
              note: c.decisionNote,
              refundId: c.refundId,
              at: c.decidedAt.toISOString(),
            }
          : null,
      wechatpay: c.wechatComplaintId
        ? {
            complaintId: c.wechatComplaintId,
            state: c.wechatState ?? '',
            problem: c.wechatProblem ?? '',
            replyState: c.wechatReply,
          }
        : null,
      unread: c.shopperUnread,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    }));
  }

  const viewOf = async (ctx: TenantContext, c: StoredComplaint) => (await views(ctx, [c]))[0]!;

  async function mustGet(ctx: TenantContext, id: number, shopperId?: number): Promise<StoredComplaint> {
    const c = await repo.byId(ctx, id, shopperId);
    if (!c) throw new NotFoundError('COMPLAINT_NOT_FOUND');
    return c;
  }

  function photoProblem() {
    const text = { reason: 'AFTER_SALES_PHOTO_UNKNOWN', message: 'unknown photo' } as const;
    return new ValidationError(
      { reason: 'INVALID_INPUT', message: 'invalid body' },
      { issues: [issue('body.photoIds', text)] },
    );
  }

  /** Photos a side may attach: the shopper's own uploads, or the shop's images. */
  async function checkPhotos(ctx: TenantContext, side: ComplaintSide, ids: number[], shopperId: number | null) {
    if (ids.length === 0) return;
    const known =
      side === 'shopper'
        ? (await deps.images.ownedByShopper(ctx, ids, shopperId!)).length
        : (await deps.images.byIds(ctx, ids)).size;
    if (known !== ids.length) throw photoProblem();
  }

  /** A side's statement on an open complaint, in a transaction that re-reads it (a decision meanwhile: 409). */
  async function say(
    ctx: TenantContext,
    id: number,
    side: 'shopper' | 'merchant',
    body: { statement: string; photoIds: number[] },
    shopperId?: number,
  ): Promise<void> {
    await checkPhotos(ctx, side, body.photoIds, shopperId ?? null);
    await deps.tx.transaction(ctx, async (tctx) => {
      const c = await mustGet(tctx, id, shopperId);
      if (c.status !== 'open') throw new ConflictError(NOT_OPEN);
      if ((await repo.countStatements(tctx, id)) >= COMPLAINT_LIMITS.statementsMax)
        throw new ConflictError({ reason: 'COMPLAINT_STATEMENTS_FULL', message: 'this complaint takes no more' });
      await repo.addStatement(tctx, id, {
        side,
        actorId: actorId(tctx.actor),
        body: body.statement,
        photoIds: body.photoIds,
        mediaUrls: [],
        createdAt: now(),
      });
      if (side === 'merchant')
        await deps.audit.record(tctx, { action: 'complaint.answer', targetType: 'complaint', targetId: id });
    });
  }

  /** Files a complaint in the caller's transaction; the merchant is told once it commits. */
  async function open(
    ctx: TenantContext,
    c: Omit<NewComplaint, 'complaintNo' | 'createdAt'>,
    first: { side: ComplaintSide; body: string; photoIds: number[]; mediaUrls: string[]; at?: Date },
  ): Promise<StoredComplaint | null> {
    const at = first.at ?? now();
    const id = await repo.insert(ctx, { ...c, complaintNo: complaintNo(at), createdAt: at });
    if (id === null) return null;
    await repo.addStatement(ctx, id, {
      side: first.side,
      actorId: first.side === 'shopper' ? c.shopperId : null,
      body: first.body,
      photoIds: first.photoIds,
      mediaUrls: first.mediaUrls,
      wechatLogId: null,
      createdAt: at,
    });
    const stored = await mustGet(ctx, id);
    await deps.notifications.notify(ctx, {
      kind: 'complaint.filed',
      textCode: 'COMPLAINT_FILED',
      textParams: { complaintNo: stored.complaintNo, orderNo: stored.orderNo ?? '-' },
      data: { complaintId: id },
    });
    return stored;
  }

  return {
    /** A merge (in its transaction): the complaints of `fromId` become `toId`'s. */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<number> =>
      repo.reassignShopper(tctx, fromId, toId),
    views,
    viewOf,
    mustGet,
    onTenant,

    /**
     * A shopper's complaint, in the caller's transaction (the workflow's, with the order read and the case checked):
     * one open complaint per order and case (409 `COMPLAINT_ALREADY_OPEN`).
     */
    async file(ctx: TenantContext, subject: ComplaintSubject, body: ComplaintBody): Promise<StoredComplaint> {
      await checkPhotos(ctx, 'shopper', body.photoIds, subject.shopperId);
      const opened = await open(
        ctx,
        {
          source: 'shop',
          reason: body.reason,
          orderId: subject.orderId,
          orderNo: subject.orderNo,
          caseId: subject.caseId,
          caseNo: subject.caseNo,
          shopperId: subject.shopperId,
          requestedFen: body.requestedFen ?? null,
          wechatComplaintId: null,
          wechatState: null,
          wechatProblem: null,
          wechatProblemType: null,
        },
        { side: 'shopper', body: body.statement, photoIds: body.photoIds, mediaUrls: [] },
      );
      if (!opened)
        throw new ConflictError({
          reason: 'COMPLAINT_ALREADY_OPEN',
          message: 'This order (or case) already has an open complaint',
        });
      return opened;
    },

    /**
     * A WeChat Pay consumer complaint, filed once per WeChat Pay complaint id (in the caller's transaction): the one
     * stored when it was filed already. WeChat Pay's history arrives as statements (`addWechatStatement`).
     */
    async fileWechat(
      ctx: TenantContext,
      c: Omit<NewComplaint, 'complaintNo' | 'createdAt' | 'source'> & { wechatComplaintId: string },
      first: { body: string; mediaUrls: string[]; at: Date },
    ): Promise<StoredComplaint> {
      const existing = await repo.byWechatId(ctx, c.wechatComplaintId);
      if (existing) return existing;
      const opened = await open(
        ctx,
        { ...c, source: 'wechatpay' },
        { side: 'shopper', body: first.body, photoIds: [], mediaUrls: first.mediaUrls, at: first.at },
      );
      // Filed meanwhile by another notification of the same complaint: that one stands.
      return opened ?? (await repo.byWechatId(ctx, c.wechatComplaintId))!;
    },

    byWechatId: (ctx: TenantContext, wechatComplaintId: string) => repo.byWechatId(ctx, wechatComplaintId),

    /** A line of WeChat Pay's negotiation history, once per log id; false when it was already there. */
    addWechatStatement: (
      ctx: TenantContext,
      id: number,
      s: { side: ComplaintSide; body: string; mediaUrls: string[]; logId: string; at: Date },
    ) =>
      repo.addStatement(ctx, id, {
        side: s.side,
        actorId: null,
        body: s.body,
        photoIds: [],
        mediaUrls: s.mediaUrls,
        wechatLogId: s.logId,
        createdAt: s.at,
      }),

    /** WeChat Pay's state of the complaint; done there (the shopper withdrew, or it was settled) an open one withdraws. */
    async noteWechatState(ctx: TenantContext, id: number, state: string, problem: string): Promise<void> {
      await repo.update(ctx, id, { wechatState: state, wechatProblem: problem });
      if (state === 'PROCESSED') await repo.close(ctx, id, 'withdrawn', {}, now());
    },

    /** Where our answer to WeChat Pay stands (sent once the reply and completion landed; failed while retried). */
    noteWechatReply: (ctx: TenantContext, id: number, state: 'pending' | 'sent' | 'failed') =>
      repo.update(ctx, id, { wechatReply: state }),

    /**
     * Records the platform's decision, in the caller's transaction (the arbitration workflow's, which refunds in the
     * same one): once — decided or withdrawn meanwhile, 409 `COMPLAINT_NOT_OPEN`. The merchant is told once it commits;
     * the shopper sees it as unread.
     */
    async decide(ctx: TenantContext, id: number, d: Decided): Promise<StoredComplaint> {
      const c = await mustGet(ctx, id);
      const at = now();
      const closed = await repo.close(
        ctx,
        id,
        'resolved',
        {
          decision: d.decision,
          decidedFen: d.amountFen,
          decisionNote: d.note,
          decidedAt: at,
          decidedBy: actorId(ctx.actor),
          refundId: d.refundId,
          shopperUnread: c.shopperId !== null,
          wechatReply: c.source === 'wechatpay' ? 'pending' : undefined,
        },
        at,
      );
      if (!closed) throw new ConflictError(NOT_OPEN);
      await deps.notifications.notify(
        ctx,
        d.decision === 'refund'
          ? {
              kind: 'complaint.decided',
              textCode: 'COMPLAINT_DECIDED_REFUND',
              textParams: { complaintNo: c.complaintNo, amount: yuan(d.amountFen), note: d.note },
              data: { complaintId: id },
            }
          : {
              kind: 'complaint.decided',
              textCode: 'COMPLAINT_DECIDED_REFUSED',
              textParams: { complaintNo: c.complaintNo, note: d.note },
              data: { complaintId: id },
            },
      );
      await deps.audit.record(ctx, {
        action: 'complaint.decide',
        targetType: 'complaint',
        targetId: id,
        data: { decision: d.decision, amountFen: d.amountFen, note: d.note },
      });
      return mustGet(ctx, id);
    },

    // ---- the shopper ----------------------------------------------------------------------------------

    async mine(
      ctx: TenantContext,
      q: { status?: ComplaintStatus; page: number; pageSize: number },
    ): Promise<Page<Complaint>> {
      const { rows, total } = await repo.list(ctx, { ...q, shopperId: shopperIdOf(ctx) });
      return { items: await views(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    /** One of the shopper's complaints; opening a decision marks it read. */
    async mineOne(ctx: TenantContext, id: number): Promise<Complaint> {
      const c = await mustGet(ctx, id, shopperIdOf(ctx));
      if (c.shopperUnread) await repo.update(ctx, id, { shopperUnread: false });
      return viewOf(ctx, { ...c, shopperUnread: false });
    },

    myCounts: (ctx: TenantContext): Promise<ComplaintCounts> => repo.counts(ctx, shopperIdOf(ctx)),

    async addMine(ctx: TenantContext, id: number, body: { statement: string; photoIds: number[] }) {
      const shopperId = shopperIdOf(ctx);
      await say(ctx, id, 'shopper', body, shopperId);
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** The shopper withdraws an open complaint filed in the shop. */
    async withdraw(ctx: TenantContext, id: number): Promise<Complaint> {
      const c = await mustGet(ctx, id, shopperIdOf(ctx));
      if (c.source !== 'shop' || !(await repo.close(ctx, id, 'withdrawn', {}, now())))
        throw new ConflictError(NOT_OPEN);
      return viewOf(ctx, await mustGet(ctx, id));
    },

    // ---- the merchant ---------------------------------------------------------------------------------

    async list(
      ctx: TenantContext,
      q: { status?: ComplaintStatus; page: number; pageSize: number },
    ): Promise<Page<Complaint>> {
      const { rows, total } = await repo.list(ctx, q);
      return { items: await views(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    async counts(ctx: TenantContext): Promise<ComplaintCounts> {
      const { open: n } = await repo.counts(ctx);
      return { open: n, unread: 0 };
    },

    async get(ctx: TenantContext, id: number): Promise<Complaint> {
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** The shop states its side of an open complaint. */
    async answer(ctx: TenantContext, id: number, body: { statement: string; photoIds: number[] }) {
      await say(ctx, id, 'merchant', body);
      return viewOf(ctx, await mustGet(ctx, id));
    },

    // ---- the platform ---------------------------------------------------------------------------------

    /** The queue across shops: open complaints oldest first, decided ones newest first. */
    async queue(
      ctx: RequestContext,
      q: { status: ComplaintStatus; source?: ComplaintSource; page: number; pageSize: number },
    ): Promise<Page<ArbitrationItem>> {
      const { rows, total } = await repo.queue(ctx, q);
      const byTenant = new Map<number, number[]>();
      for (const r of rows) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.complaintId]);
      const found = new Map<number, ArbitrationItem>();
      for (const [tenantId, ids] of byTenant) {
        const tctx = onTenant(ctx, tenantId);
        const [tenant, list] = await Promise.all([deps.tenants.mustGet(tenantId), repo.byIds(tctx, ids)]);
        for (const complaint of await views(tctx, list))
          found.set(complaint.id, { tenantId, shopName: tenant.name, complaint });
      }
      const items = rows.flatMap((r) => (found.has(r.complaintId) ? [found.get(r.complaintId)!] : []));
      return { items, page: q.page, pageSize: q.pageSize, total };
    },

    /** The shop a complaint in the queue is against, and the context bound to it. */
    async tenantOf(ctx: RequestContext, id: number): Promise<{ tctx: TenantContext; shopName: string }> {
      const tenantId = await repo.queuedTenant(ctx, id);
      if (tenantId === null) throw new NotFoundError('COMPLAINT_NOT_FOUND');
      return { tctx: onTenant(ctx, tenantId), shopName: (await deps.tenants.mustGet(tenantId)).name };
    },
  };
}

export type ComplaintsService = ReturnType<typeof complaintsService>;
