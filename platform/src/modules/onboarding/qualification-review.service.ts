import type {
  DocumentType,
  DocumentTypeName,
  Page,
  RejectReason,
  ReviewQueueItem,
  TenantDetail,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import type { Transactions } from '../../kernel/db/database';
import { iso, isoOrNull } from '../../kernel/db/rows';
import { maskPhone } from '../../kernel/mask';
import type { SecretBox } from '../../kernel/secret-box';
import type { Storage } from '../../kernel/storage/s3';
import type { AuditService } from '../audit';
import type { NotificationsService } from '../notifications';
import type { Tenant, TenantsService } from '../tenants';
import type { DocumentRow, DocumentsRepository } from './documents.repository';
import type { RulesRepository } from './rules.repository';
import { documentDownload } from './file-check';
import { chinaDay, daysUntil, isExpired, requiredTypes, satisfied, toDocumentView } from './checklist';
import { sensitiveAad } from './onboarding.service';

export interface QualificationReviewDeps {
  tx: Transactions;
  tenants: TenantsService;
  audit: AuditService;
  notifications: NotificationsService;
  storage: Storage;
  secretBox: SecretBox;
  rules: RulesRepository;
  docs: DocumentsRepository;
  signedUrlSeconds: number;
  reminderDays: number;
  graceDays: number;
  now?: () => Date;
}

/** A document type as a notification names it: both names (its code, should the type be gone). */
function documentName(code: string, type: DocumentType | null | undefined): DocumentTypeName {
  return { code, nameZh: type?.nameZh ?? code, nameEn: type?.nameEn ?? code };
}

/** Platform staff acting on one tenant, named explicitly in the path: the context is bound to that tenant. */
function onTenant(ctx: RequestContext, tenantId: number): TenantContext {
  return { ...ctx, tenantId, log: ctx.log.child({ tenantId }) };
}

/**
 * The platform's side: the review queue, decisions on documents, the tenant life that follows from
 * them (active when every required document is approved; suspended when one lapses), and the rules.
 */
export function qualificationReviewService(deps: QualificationReviewDeps) {
  const now = deps.now ?? (() => new Date());

  async function typesFor(
    ctx: RequestContext,
    tenant: Tenant,
  ): Promise<{ all: DocumentType[]; required: DocumentType[] }> {
    const [rules, all] = await Promise.all([deps.rules.rules(ctx), deps.rules.documentTypes(ctx)]);
    return { all, required: requiredTypes(rules, all, tenant) };
  }

  async function loadDocument(ctx: TenantContext, id: number): Promise<DocumentRow> {
    const doc = await deps.docs.document(ctx, id);
    if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND');
    return doc;
  }

  async function reviewView(ctx: TenantContext, doc: DocumentRow) {
    const tenant = await deps.tenants.mustGet(ctx.tenantId);
    const { all } = await typesFor(ctx, tenant);
    const versions = await deps.docs.versionsOf(ctx, doc.typeCode);
    const files = await deps.docs.filesOf(
      ctx,
      versions.map((v) => v.id),
    );
    const today = chinaDay(now());
    const documentType = all.find((t) => t.code === doc.typeCode);
    if (!documentType) throw new NotFoundError('DOCUMENT_TYPE_NOT_FOUND');
    return {
      ...toDocumentView(doc, files, today),
      tenant: {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        categoryCode: tenant.categoryCode,
        subjectType: tenant.subjectType,
        status: tenant.status,
      },
      documentType,
      history: versions.filter((v) => v.id !== doc.id).map((v) => toDocumentView(v, files, today)),
    };
  }

  /**
   * Activates a tenant whose required documents are all approved and valid: a new tenant, or one
   * suspended because a document lapsed. A tenant suspended by hand stays suspended.
   */
  async function settleTenant(tctx: TenantContext): Promise<void> {
    const tenant = await deps.tenants.mustGet(tctx.tenantId);
    const eligible =
      tenant.status === 'pending_review' || (tenant.status === 'suspended' && tenant.suspendedKind === 'expiry');
    if (!eligible) return;
    const { required } = await typesFor(tctx, tenant);
    const today = chinaDay(now());
    for (const type of required) {
      if (!satisfied(await deps.docs.versionsOf(tctx, type.code), today)) return;
    }
    const reinstated = tenant.status === 'suspended';
    await deps.tenants.updateInternal(
      tctx,
      tenant.id,
      { status: 'active', suspensionReason: null, suspendedKind: null },
      { action: reinstated ? 'tenant.reinstated' : 'tenant.activated' },
    );
    await deps.notifications.notify(
      tctx,
      reinstated
        ? { kind: 'tenant.reinstated', textCode: 'SHOP_REINSTATED_DOCUMENTS_APPROVED', textParams: {} }
        : { kind: 'tenant.activated', textCode: 'SHOP_ACTIVATED', textParams: {} },
    );
  }

  async function detail(ctx: RequestContext, tenantId: number): Promise<TenantDetail> {
    const tenant = await deps.tenants.mustGet(tenantId);
    const tctx = onTenant(ctx, tenantId);
    const docs = await deps.docs.documents(tctx);
    const files = await deps.docs.filesOf(
      tctx,
      docs.map((d) => d.id),
    );
    const today = chinaDay(now());
    return {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      subjectType: tenant.subjectType,
      categoryCode: tenant.categoryCode,
      contactName: tenant.contactName,
      contactPhoneMasked: maskPhone(tenant.contactPhone),
      submittedAt: isoOrNull(tenant.submittedAt),
      suspensionReason: tenant.suspensionReason,
      suspendedKind: tenant.suspendedKind,
      createdAt: iso(tenant.createdAt),
      documents: docs.map((d) => toDocumentView(d, files, today)),
    };
  }

  return {
    /** How long documents wait for a reviewer now: how many wait, the longest wait and the median one (seconds). */
    async queueAge(ctx: RequestContext): Promise<{
      waiting: number;
      oldestSubmittedAt: Date | null;
      oldestWaitSeconds: number | null;
      medianWaitSeconds: number | null;
    }> {
      const { waiting, oldest, median } = await deps.docs.pendingSubmissions(ctx);
      const waited = (since: Date | null) =>
        since ? Math.max(0, Math.floor((now().getTime() - since.getTime()) / 1000)) : null;
      return {
        waiting,
        oldestSubmittedAt: oldest,
        oldestWaitSeconds: waited(oldest),
        medianWaitSeconds: waited(median),
      };
    },

    /** Documents waiting for (or past) review, across tenants, oldest submission first. */
    async queue(
      ctx: RequestContext,
      filter: {
        status: 'pending' | 'approved' | 'rejected';
        categoryCode?: string;
        minAgeHours?: number;
        page: number;
        pageSize: number;
      },
    ): Promise<Page<ReviewQueueItem>> {
      const submittedBefore =
        filter.minAgeHours !== undefined ? new Date(now().getTime() - filter.minAgeHours * 3600_000) : undefined;
      const { rows, total } = await deps.docs.reviewQueue(ctx, { ...filter, submittedBefore });
      const shops = await deps.tenants.byIds(rows.map((r) => r.tenantId));
      return {
        items: rows.map((r) => ({
          documentId: r.documentId,
          typeCode: r.typeCode,
          status: r.status,
          submittedAt: isoOrNull(r.submittedAt),
          tenant: shopOf(shops, r.tenantId),
        })),
        page: filter.page,
        pageSize: filter.pageSize,
        total,
      };
    },

    async document(ctx: RequestContext, tenantId: number, id: number) {
      const tctx = onTenant(ctx, tenantId);
      return reviewView(tctx, await loadDocument(tctx, id));
    },

    /** A short-lived URL to one file of a document; every view is audited. */
    async fileUrl(
      ctx: RequestContext,
      tenantId: number,
      documentId: number,
      fileId: number,
    ): Promise<{ url: string; expiresAt: string }> {
      const tctx = onTenant(ctx, tenantId);
      await loadDocument(tctx, documentId);
      const file = await deps.docs.file(tctx, fileId);
      if (!file || file.documentId !== documentId) throw new NotFoundError('FILE_NOT_FOUND');
      const url = await deps.storage.signedGetUrl(file.storageKey, deps.signedUrlSeconds, documentDownload(file));
      await deps.audit.record(tctx, {
        action: 'qualification.file.viewed',
        targetType: 'qualification_file',
        targetId: fileId,
        data: { documentId },
      });
      return { url, expiresAt: new Date(now().getTime() + deps.signedUrlSeconds * 1000).toISOString() };
    },

    /** The unmasked sensitive fields, for a reviewer comparing them with the scan; audited. */
    async reveal(ctx: RequestContext, tenantId: number, id: number): Promise<{ fields: Record<string, string> }> {
      const tctx = onTenant(ctx, tenantId);
      const doc = await loadDocument(tctx, id);
      const sealed = doc.sensitiveEnc
        ? (JSON.parse(deps.secretBox.decrypt(doc.sensitiveEnc, sensitiveAad(tenantId))) as Record<string, string>)
        : {};
      await deps.audit.record(tctx, {
        action: 'qualification.sensitive.revealed',
        targetType: 'qualification_document',
        targetId: id,
        data: { fields: Object.keys(sealed) },
      });
      return { fields: { ...doc.fields, ...sealed } };
    },

    /**
     * Approves a pending document. Older approved versions of the same type are superseded; when every
     * required document is approved and valid the tenant becomes active. A document that is not pending
     * (already decided, or replaced) is a 409, and the attempt is audited.
     */
    async approve(ctx: RequestContext, tenantId: number, id: number, note?: string) {
      const tctx = onTenant(ctx, tenantId);
      const doc = await loadDocument(tctx, id);
      const moved = await deps.tx.transaction(tctx, async (ttx) => {
        const at = now();
        const ok = await deps.docs.transition(ttx, id, ['pending'], {
          status: 'approved',
          reviewedAt: at,
          reviewedBy: reviewerId(ctx),
          rejectReason: null,
          rejectNote: note ?? null,
        });
        if (!ok) return false;
        for (const older of (await deps.docs.versionsOf(ttx, doc.typeCode)).filter(
          (v) => v.id !== id && v.status === 'approved',
        )) {
          await deps.docs.transition(ttx, older.id, ['approved'], { status: 'superseded' });
        }
        await deps.docs.markReview(ttx, id, 'approved');
        await deps.audit.record(ttx, {
          action: 'qualification.approved',
          targetType: 'qualification_document',
          targetId: id,
          data: { typeCode: doc.typeCode, note: note ?? null },
        });
        const type = await deps.rules.documentType(ttx, doc.typeCode);
        const document = documentName(doc.typeCode, type);
        await deps.notifications.notify(ttx, {
          kind: 'qualification.approved',
          textCode: 'DOCUMENT_APPROVED',
          textParams: { document },
          data: { documentId: id },
        });
        await settleTenant(ttx);
        return true;
      });
      if (!moved) {
        const current = await loadDocument(tctx, id);
        await deps.audit.record(tctx, {
          action: 'qualification.approve.refused',
          targetType: 'qualification_document',
          targetId: id,
          data: { status: current.status },
        });
        const message = `The document is ${current.status === 'approved' ? 'already approved' : `not awaiting review (${current.status})`}`;
        const text =
          current.status === 'approved'
            ? ({ reason: 'DOCUMENT_ALREADY_APPROVED', message } as const)
            : ({ reason: 'DOCUMENT_NOT_AWAITING_REVIEW', params: { status: current.status }, message } as const);
        throw new ConflictError(text, { status: current.status });
      }
      return reviewView(tctx, await loadDocument(tctx, id));
    },

    /** Rejects a pending document with a reason the merchant can act on; the merchant is told exactly what to fix. */
    async reject(ctx: RequestContext, tenantId: number, id: number, reason: RejectReason, note: string) {
      const tctx = onTenant(ctx, tenantId);
      const doc = await loadDocument(tctx, id);
      const moved = await deps.tx.transaction(tctx, async (ttx) => {
        const ok = await deps.docs.transition(ttx, id, ['pending'], {
          status: 'rejected',
          reviewedAt: now(),
          reviewedBy: reviewerId(ctx),
          rejectReason: reason,
          rejectNote: note || null,
        });
        if (!ok) return false;
        await deps.docs.markReview(ttx, id, 'rejected');
        await deps.audit.record(ttx, {
          action: 'qualification.rejected',
          targetType: 'qualification_document',
          targetId: id,
          data: { typeCode: doc.typeCode, reason, note },
        });
        const type = await deps.rules.documentType(ttx, doc.typeCode);
        const document = documentName(doc.typeCode, type);
        const data = { documentId: id, reason, note };
        await deps.notifications.notify(
          ttx,
          note
            ? {
                kind: 'qualification.rejected',
                textCode: 'DOCUMENT_REJECTED_WITH_NOTE',
                textParams: { document, reason, note },
                data,
              }
            : { kind: 'qualification.rejected', textCode: 'DOCUMENT_REJECTED', textParams: { document, reason }, data },
        );
        return true;
      });
      if (!moved) {
        const current = await loadDocument(tctx, id);
        await deps.audit.record(tctx, {
          action: 'qualification.reject.refused',
          targetType: 'qualification_document',
          targetId: id,
          data: { status: current.status },
        });
        throw new ConflictError(
          {
            reason: 'DOCUMENT_NOT_AWAITING_REVIEW',
            params: { status: current.status },
            message: `The document is not awaiting review (${current.status})`,
          },
          { status: current.status },
        );
      }
      return reviewView(tctx, await loadDocument(tctx, id));
    },

    detail: (ctx: RequestContext, tenantId: number) => detail(ctx, tenantId),

    /** Suspends a tenant by hand: no new orders or releases until reinstated. */
    async suspend(ctx: RequestContext, tenantId: number, reason: string): Promise<TenantDetail> {
      const tenant = await deps.tenants.mustGet(tenantId);
      if (tenant.status === 'suspended')
        throw new ConflictError({ reason: 'TENANT_ALREADY_SUSPENDED', message: 'The tenant is already suspended' });
      const tctx = onTenant(ctx, tenantId);
      await deps.tx.transaction(tctx, async (ttx) => {
        await deps.tenants.updateInternal(
          ttx,
          tenantId,
          { status: 'suspended', suspensionReason: reason, suspendedKind: 'manual' },
          { action: 'tenant.suspended' },
        );
        await deps.notifications.notify(ttx, {
          kind: 'tenant.suspended',
          textCode: 'SHOP_SUSPENDED_BY_PLATFORM',
          textParams: { reason },
        });
      });
      return detail(ctx, tenantId);
    },

    /** Reinstates a suspended tenant by hand. */
    async reinstate(ctx: RequestContext, tenantId: number, reason: string): Promise<TenantDetail> {
      const tenant = await deps.tenants.mustGet(tenantId);
      if (tenant.status !== 'suspended')
        throw new ConflictError({
          reason: 'TENANT_NOT_SUSPENDED',
          message: 'Only a suspended tenant can be reinstated',
        });
      const tctx = onTenant(ctx, tenantId);
      await deps.tx.transaction(tctx, async (ttx) => {
        await deps.tenants.updateInternal(
          ttx,
          tenantId,
          { status: 'active', suspensionReason: null, suspendedKind: null },
          { action: 'tenant.reinstated' },
        );
        await deps.audit.record(ttx, {
          action: 'tenant.reinstated.reason',
          targetType: 'tenant',
          targetId: tenantId,
          data: { reason },
        });
        await deps.notifications.notify(ttx, {
          kind: 'tenant.reinstated',
          textCode: 'SHOP_REINSTATED_BY_PLATFORM',
          textParams: { reason },
        });
      });
      return detail(ctx, tenantId);
    },

    /**
     * The daily expiry watch, judged at `at`: reminds `reminderDays` before a required document's
     * valid-to date, tells the merchant to renew once it has passed, and suspends the tenant after the
     * grace period. Each step happens once per document (flags), so the job can run any number of times.
     */
    async checkExpiry(
      ctx: RequestContext,
      at: Date,
    ): Promise<{ tenants: number; reminded: number; expired: number; suspended: number }> {
      const today = chinaDay(at);
      const result = { tenants: 0, reminded: 0, expired: 0, suspended: 0 };
      let afterId = 0;
      for (;;) {
        const ids = await deps.tenants.idsInStatus(['active', 'suspended'], afterId, 200);
        if (ids.length === 0) return result;
        afterId = ids[ids.length - 1]!;
        for (const tenantId of ids) {
          result.tenants++;
          const tenant = await deps.tenants.mustGet(tenantId);
          const tctx = onTenant(ctx, tenantId);
          const { required } = await typesFor(tctx, tenant);
          let lapsed: DocumentType | null = null;
          for (const type of required) {
            const versions = await deps.docs.versionsOf(tctx, type.code);
            const approved = versions.find((v) => v.status === 'approved');
            if (!approved || approved.longTerm || !approved.validTo) continue;
            const validTo = approved.validTo;
            const document = documentName(type.code, type);
            const days = daysUntil(validTo, today);
            if (days >= 0 && days <= deps.reminderDays && !approved.remindedAt) {
              await deps.tx.transaction(tctx, async (ttx) => {
                await deps.docs.setFlags(ttx, approved.id, { remindedAt: at });
                await deps.notifications.notify(ttx, {
                  kind: 'qualification.expiring',
                  textCode: 'DOCUMENT_EXPIRING',
                  textParams: { document, validTo },
                  data: { documentId: approved.id, validTo },
                });
              });
              result.reminded++;
            }
            if (isExpired(approved, today)) {
              if (!approved.expiryNoticedAt) {
                await deps.tx.transaction(tctx, async (ttx) => {
                  await deps.docs.setFlags(ttx, approved.id, { expiryNoticedAt: at });
                  await deps.notifications.notify(ttx, {
                    kind: 'qualification.expired',
                    textCode: 'DOCUMENT_EXPIRED',
                    textParams: { document, validTo, graceDays: deps.graceDays },
                    data: { documentId: approved.id },
                  });
                });
                result.expired++;
              }
              if (-days > deps.graceDays) lapsed = type;
            }
          }
          if (lapsed && tenant.status === 'active') {
            await deps.tx.transaction(tctx, async (ttx) => {
              await deps.tenants.updateInternal(
                ttx,
                tenantId,
                { status: 'suspended', suspensionReason: `${lapsed!.nameZh}已过期`, suspendedKind: 'expiry' },
                { action: 'tenant.suspended.expiry' },
              );
              await deps.notifications.notify(ttx, {
                kind: 'tenant.suspended',
                textCode: 'SHOP_SUSPENDED_DOCUMENT_LAPSED',
                textParams: { document: documentName(lapsed!.code, lapsed), graceDays: deps.graceDays },
              });
            });
            result.suspended++;
          }
        }
      }
    },
  };
}

/** A queued document's shop as the queue shows it. */
function shopOf(shops: Map<number, Tenant>, id: number): ReviewQueueItem['tenant'] {
  const t = shops.get(id);
  if (!t) throw new Error(`review queue row of unknown tenant ${id}`);
  return {
    id,
    slug: t.slug,
    name: t.name,
    categoryCode: t.categoryCode,
    subjectType: t.subjectType,
    status: t.status as ReviewQueueItem['tenant']['status'],
  };
}

function reviewerId(ctx: RequestContext): number | null {
  return ctx.actor.type === 'platform' ? ctx.actor.userId : null;
}

export type QualificationReviewService = ReturnType<typeof qualificationReviewService>;
