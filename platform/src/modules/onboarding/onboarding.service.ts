import { createHash, randomUUID } from 'node:crypto';
import type {
  BusinessCategory,
  CreateDocumentBody,
  ErrorIssue,
  Onboarding,
  QualificationDocument,
  QualificationFile,
  SignupBody,
  TokenPair,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import type { Transactions } from '../../kernel/db/database';
import { iso, isoOrNull } from '../../kernel/db/rows';
import type { OtpService } from '../../kernel/auth/otp';
import type { SecretBox } from '../../kernel/secret-box';
import type { Storage } from '../../kernel/storage/s3';
import type { SmsSender } from '../../integrations/sms';
import type { AuditService } from '../audit';
import type { IdentityService } from '../identity';
import type { TenantsService } from '../tenants';
import type { DocumentsRepository, DocumentRow } from './documents.repository';
import type { RulesRepository } from './rules.repository';
import { chinaDay, onboardingState, requiredTypes, toDocumentView } from './checklist';
import { checkFields, maskValue } from './document-fields';
import { documentDownload, inspectDocumentFile } from './file-check';

export interface OnboardingDeps {
  tx: Transactions;
  tenants: TenantsService;
  identity: IdentityService;
  audit: AuditService;
  storage: Storage;
  secretBox: SecretBox;
  otp: OtpService;
  sms: SmsSender;
  rules: RulesRepository;
  docs: DocumentsRepository;
  signedUrlSeconds: number;
  now?: () => Date;
}

const SIGNUP_OTP_SCOPE = 'merchant-signup';

/** The sealed sensitive values of a document are bound to their tenant: they decrypt nowhere else. */
export const sensitiveAad = (tenantId: number) => `tenant:${tenantId}:qualification`;

/**
 * The merchant's side of onboarding: sign-up, the document checklist the platform's rules ask for,
 * uploads (type proven from the bytes, stored private), versions, and submission for review.
 */
export function onboardingService(deps: OnboardingDeps) {
  const now = deps.now ?? (() => new Date());

  async function activeCategory(ctx: RequestContext, code: string): Promise<BusinessCategory> {
    const category = await deps.rules.category(ctx, code);
    if (!category || !category.active) {
      const text = { reason: 'CATEGORY_NOT_ACTIVE', message: 'unknown business category' } as const;
      throw new ValidationError(text, { issues: [issue('body.categoryCode', text)] });
    }
    return category;
  }

  async function checklistTypes(ctx: TenantContext) {
    const tenant = await deps.tenants.mustGet(ctx.tenantId);
    const [rules, types] = await Promise.all([deps.rules.rules(ctx), deps.rules.documentTypes(ctx)]);
    return { tenant, types: requiredTypes(rules, types, tenant) };
  }

  async function view(ctx: TenantContext, docs: DocumentRow[]): Promise<QualificationDocument[]> {
    const files = await deps.docs.filesOf(
      ctx,
      docs.map((d) => d.id),
    );
    const today = chinaDay(now());
    return docs.map((d) => toDocumentView(d, files, today));
  }

  async function onboarding(ctx: TenantContext): Promise<Onboarding> {
    const { tenant, types } = await checklistTypes(ctx);
    const all = await deps.docs.documents(ctx);
    const views = await view(ctx, all);
    const byId = new Map(views.map((v) => [v.id, v]));
    const checklist = types.map((documentType) => {
      const versions = all.filter((d) => d.typeCode === documentType.code);
      const [current, ...history] = versions.map((d) => byId.get(d.id)!);
      return { documentType, current: current ?? null, history };
    });
    const phoneVerified = ctx.actor.type === 'merchant' ? await deps.identity.phoneVerified(ctx.actor.userId) : false;
    const state = onboardingState(
      { status: tenant.status, submitted: tenant.submittedAt !== null },
      checklist.map((i) => i.current?.status ?? null),
    );
    return {
      tenant: {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        status: tenant.status,
        subjectType: tenant.subjectType,
        categoryCode: tenant.categoryCode,
        submittedAt: isoOrNull(tenant.submittedAt),
        suspensionReason: tenant.suspensionReason,
      },
      phoneVerified,
      checklist,
      state,
      canSubmit: state === 'ready_to_submit',
    };
  }

  return {
    onboarding,

    /** Active categories for the sign-up form. */
    async activeCategories(ctx: RequestContext): Promise<BusinessCategory[]> {
      return (await deps.rules.categories(ctx)).filter((c) => c.active);
    },

    slugAvailability(slug: string) {
      return deps.tenants.slugAvailability(slug);
    },

    /** Sends the code that verifies the contact phone of a new application. */
    async sendSignupCode(ctx: RequestContext, phone: string): Promise<{ sent: true; retryAfterSeconds: number }> {
      const { code, ttlMinutes, retryAfterSeconds } = await deps.otp.issue(SIGNUP_OTP_SCOPE, phone, ctx.ip);
      await deps.sms.sendOtp({ phone, code, shopName: 'Shopfleet', ttlMinutes });
      return { sent: true, retryAfterSeconds };
    },

    /**
     * Creates the account, the tenant (pending review) and the owner membership in one transaction,
     * after the contact phone proved itself with its code. Signs the new owner in.
     */
    async signup(ctx: RequestContext, body: SignupBody): Promise<TokenPair> {
      await activeCategory(ctx, body.categoryCode);
      const slug = await deps.tenants.slugAvailability(body.slug);
      if (!slug.available) {
        const reason =
          slug.reason === 'reserved' ? 'SLUG_RESERVED' : slug.reason === 'invalid' ? 'SLUG_INVALID' : 'SLUG_TAKEN';
        const message = `The shop address "${body.slug}" is ${slug.reason === 'reserved' ? 'reserved' : slug.reason === 'invalid' ? 'not valid' : 'taken'}`;
        throw new ConflictError(
          { reason, params: { slug: body.slug }, message },
          { field: 'slug', reason: slug.reason },
        );
      }
      // Problems the merchant can fix are reported before the code is spent, so a retry needs no new code.
      if (await deps.identity.emailTaken(body.email))
        throw new ConflictError(
          { reason: 'EMAIL_TAKEN', message: 'An account with this email exists; sign in instead' },
          { field: 'email' },
        );
      await deps.otp.verify(SIGNUP_OTP_SCOPE, body.contactPhone, body.smsCode);
      const { tenantId, userId } = await deps.tx.transaction(ctx, async (tctx) => {
        const tenantId = await deps.tenants.create(tctx, {
          slug: slug.slug,
          name: body.shopName,
          status: 'pending_review',
          subjectType: body.subjectType,
          categoryCode: body.categoryCode,
          contactName: body.contactName,
          contactPhone: body.contactPhone,
        });
        const userId = await deps.identity.createShopOwner(
          { ...tctx, tenantId },
          {
            email: body.email,
            name: body.contactName,
            password: body.password,
            phone: body.contactPhone,
            phoneVerified: true,
          },
        );
        return { tenantId, userId };
      });
      return deps.identity.startMerchantSession(ctx, userId, tenantId, 'owner');
    },

    /**
     * Stores one uploaded file, privately, once its bytes prove it a JPEG, PNG or PDF. It joins a
     * document when the merchant saves the document.
     */
    async uploadFile(ctx: TenantContext, file: { buffer: Buffer }): Promise<QualificationFile> {
      const inspected = await inspectDocumentFile(file.buffer);
      const sha256 = createHash('sha256').update(file.buffer).digest('hex');
      const key = `tenants/${ctx.tenantId}/qualifications/${randomUUID()}.${inspected.extension}`;
      await deps.storage.put({
        visibility: 'private',
        key,
        body: file.buffer,
        contentType: inspected.contentType,
        contentDisposition: 'attachment',
      });
      const id = await deps.docs.insertFile(ctx, {
        storageKey: key,
        contentType: inspected.contentType,
        size: file.buffer.length,
        pages: inspected.pages,
        sha256,
      });
      await deps.audit.record(ctx, {
        action: 'qualification.file.uploaded',
        targetType: 'qualification_file',
        targetId: id,
        data: { contentType: inspected.contentType, size: file.buffer.length },
      });
      const row = (await deps.docs.file(ctx, id))!;
      return {
        id,
        contentType: row.contentType,
        size: row.size,
        pages: row.pages,
        label: null,
        createdAt: iso(row.createdAt),
      };
    },

    /**
     * Saves a document (or a new version of one) from uploaded files and field values. Before the
     * application is submitted it is a draft; afterwards it goes straight to review. Sensitive values
     * are sealed and only their masks stored in the clear.
     */
    async createDocument(ctx: TenantContext, body: CreateDocumentBody): Promise<QualificationDocument> {
      const { tenant, types } = await checklistTypes(ctx);
      const type = types.find((t) => t.code === body.typeCode);
      if (!type) {
        const text = {
          reason: 'DOCUMENT_NOT_REQUIRED',
          params: { typeCode: body.typeCode },
          message: `"${body.typeCode}" is not on this shop's checklist`,
        } as const;
        throw new ValidationError(text, { issues: [issue('body.typeCode', text)] });
      }

      const problems: ErrorIssue[] = [];
      const checked = checkFields(type.fields, body.fields);
      problems.push(...checked.problems.map((p) => issue(`body.fields.${p.field}`, p)));
      const today = chinaDay(now());
      let validFrom: string | null = null;
      let validTo: string | null = null;
      if (type.hasValidity) {
        if (!body.validFrom) problems.push(issue('body.validFrom', { reason: 'FIELD_REQUIRED', message: 'required' }));
        if (!body.longTerm && !body.validTo)
          problems.push(
            issue('body.validTo', { reason: 'DOCUMENT_VALID_TO_REQUIRED', message: 'required unless long-term' }),
          );
        validFrom = body.validFrom ?? null;
        validTo = body.longTerm ? null : (body.validTo ?? null);
        if (validFrom && validFrom > today)
          problems.push(issue('body.validFrom', { reason: 'DOCUMENT_NOT_VALID_YET', message: 'not valid yet' }));
        if (validFrom && validTo && validTo <= validFrom)
          problems.push(
            issue('body.validTo', { reason: 'DOCUMENT_VALID_TO_BEFORE_FROM', message: 'must be after valid-from' }),
          );
        if (validTo && validTo < today)
          problems.push(issue('body.validTo', { reason: 'DOCUMENT_EXPIRED', message: 'the document has expired' }));
      }
      const distinct = new Set(body.fileIds);
      if (distinct.size !== body.fileIds.length)
        problems.push(issue('body.fileIds', { reason: 'DOCUMENT_FILE_REPEATED', message: 'a file appears twice' }));
      if (type.pageLabels.length > 0 && body.fileIds.length !== type.pageLabels.length) {
        const params = { count: type.pageLabels.length, labels: type.pageLabels.join('、') };
        problems.push(
          issue('body.fileIds', {
            reason: 'DOCUMENT_PAGES_REQUIRED',
            params,
            message: `needs ${params.count} files: ${type.pageLabels.join(', ')}`,
          }),
        );
      }
      const files = await deps.docs.filesByIds(ctx, body.fileIds);
      if (files.length !== distinct.size || files.some((f) => f.documentId !== null)) {
        problems.push(
          issue('body.fileIds', {
            reason: 'DOCUMENT_FILE_NOT_UPLOADED',
            message: 'upload each file first; a file belongs to one document',
          }),
        );
      }
      if (problems.length)
        throw new ValidationError(
          { reason: 'DOCUMENT_INCOMPLETE', message: 'the document is not complete' },
          { issues: problems },
        );

      const sensitiveKeys = type.fields.filter((f) => f.sensitive).map((f) => f.key);
      const sealed = Object.fromEntries(
        sensitiveKeys.filter((k) => checked.values[k]).map((k) => [k, checked.values[k]!]),
      );
      const shown = Object.fromEntries(
        Object.entries(checked.values).map(([k, v]) => [k, sensitiveKeys.includes(k) ? maskValue(v) : v]),
      );
      const submitted = tenant.submittedAt !== null;
      const at = now();

      const id = await deps.tx.transaction(ctx, async (tctx) => {
        const earlier = await deps.docs.versionsOf(tctx, type.code);
        // A draft or an unreviewed version is replaced by the new one; decisions stay as history.
        for (const old of earlier.filter((d) => d.status === 'draft' || d.status === 'pending')) {
          await deps.docs.transition(tctx, old.id, ['draft', 'pending'], { status: 'superseded' });
          if (old.status === 'pending') await deps.docs.markReview(tctx, old.id, 'superseded');
        }
        const docId = await deps.docs.insertDocument(tctx, {
          typeCode: type.code,
          status: submitted ? 'pending' : 'draft',
          fields: shown,
          sensitiveEnc: Object.keys(sealed).length
            ? deps.secretBox.encrypt(JSON.stringify(sealed), sensitiveAad(ctx.tenantId))
            : null,
          validFrom,
          validTo,
          longTerm: type.hasValidity ? body.longTerm : false,
          submittedAt: submitted ? at : null,
        });
        const ordered = body.fileIds.map((fid, i) => ({ id: fid, label: type.pageLabels[i] ?? null }));
        if (!(await deps.docs.attachFiles(tctx, docId, ordered)))
          throw new ConflictError({
            reason: 'DOCUMENT_FILE_TAKEN',
            message: 'A file was used by another document meanwhile',
          });
        if (submitted)
          await deps.docs.enqueueReview(tctx, {
            documentId: docId,
            tenantId: ctx.tenantId,
            typeCode: type.code,
            categoryCode: tenant.categoryCode,
            submittedAt: at,
          });
        await deps.audit.record(tctx, {
          action: 'qualification.document.saved',
          targetType: 'qualification_document',
          targetId: docId,
          data: { typeCode: type.code, status: submitted ? 'pending' : 'draft', files: body.fileIds },
        });
        return docId;
      });
      const [doc] = await view(ctx, [(await deps.docs.document(ctx, id))!]);
      return doc!;
    },

    async listDocuments(ctx: TenantContext): Promise<QualificationDocument[]> {
      return view(ctx, await deps.docs.documents(ctx));
    },

    async getDocument(ctx: TenantContext, id: number): Promise<QualificationDocument> {
      const doc = await deps.docs.document(ctx, id);
      if (!doc) throw new NotFoundError('DOCUMENT_NOT_FOUND');
      return (await view(ctx, [doc]))[0]!;
    },

    /** A short-lived URL to one of the caller's own files; every view is audited. */
    async fileUrl(ctx: TenantContext, fileId: number): Promise<{ url: string; expiresAt: string }> {
      const file = await deps.docs.file(ctx, fileId);
      if (!file) throw new NotFoundError('FILE_NOT_FOUND');
      const url = await deps.storage.signedGetUrl(file.storageKey, deps.signedUrlSeconds, documentDownload(file));
      await deps.audit.record(ctx, {
        action: 'qualification.file.viewed',
        targetType: 'qualification_file',
        targetId: fileId,
        data: { documentId: file.documentId },
      });
      return { url, expiresAt: new Date(now().getTime() + deps.signedUrlSeconds * 1000).toISOString() };
    },

    /**
     * Submits the application: every required document must be there and not rejected. Drafts go to
     * the reviewers' queue, oldest first.
     */
    async submit(ctx: TenantContext): Promise<Onboarding> {
      const state = await onboarding(ctx);
      const missing = state.checklist
        .filter((i) => i.current === null || i.current.status === 'rejected')
        .map((i) => i.documentType.code);
      if (missing.length) {
        throw new ValidationError(
          {
            reason: 'DOCUMENTS_MISSING',
            params: { count: missing.length },
            message: 'some required documents are missing or rejected',
          },
          { missing },
        );
      }
      const drafts = state.checklist.filter((i) => i.current?.status === 'draft').map((i) => i.current!);
      if (drafts.length === 0)
        throw new ConflictError({
          reason: 'NOTHING_TO_SUBMIT',
          message: 'Nothing to submit: every document is already with the reviewers',
        });
      const at = now();
      await deps.tx.transaction(ctx, async (tctx) => {
        for (const d of drafts) {
          if (!(await deps.docs.transition(tctx, d.id, ['draft'], { status: 'pending', submittedAt: at }))) {
            throw new ConflictError({
              reason: 'CHANGED_MEANWHILE',
              message: 'The documents changed meanwhile; reload',
            });
          }
          await deps.docs.enqueueReview(tctx, {
            documentId: d.id,
            tenantId: ctx.tenantId,
            typeCode: d.typeCode,
            categoryCode: state.tenant.categoryCode,
            submittedAt: at,
          });
        }
        if (!state.tenant.submittedAt)
          await deps.tenants.updateInternal(
            tctx,
            ctx.tenantId,
            { submittedAt: at },
            { action: 'onboarding.submitted' },
          );
        else
          await deps.audit.record(tctx, {
            action: 'onboarding.resubmitted',
            targetType: 'tenant',
            targetId: ctx.tenantId,
            data: { documents: drafts.map((d) => d.id) },
          });
      });
      return onboarding(ctx);
    },
  };
}

export type OnboardingService = ReturnType<typeof onboardingService>;
