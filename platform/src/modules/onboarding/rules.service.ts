import type { BusinessCategory, DocumentType, RequirementRule, SubjectType } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { isDuplicateKey } from '../../kernel/db/rows';
import type { AuditService } from '../audit';
import type { RulesRepository } from './rules.repository';

/** Platform staff edit the reference data and the rules; every change is audited. Checklists follow at once. */
export function rulesService(deps: { repo: RulesRepository; audit: AuditService }) {
  const { repo, audit } = deps;
  async function mustCategory(ctx: RequestContext, code: string): Promise<BusinessCategory> {
    const c = await repo.category(ctx, code);
    if (!c) throw new NotFoundError('CATEGORY_NOT_FOUND');
    return c;
  }
  async function mustType(ctx: RequestContext, code: string): Promise<DocumentType> {
    const t = await repo.documentType(ctx, code);
    if (!t) throw new NotFoundError('DOCUMENT_TYPE_NOT_FOUND');
    return t;
  }
  const duplicate = (what: string, reason: 'CATEGORY_CODE_EXISTS' | 'DOCUMENT_TYPE_EXISTS') => (err: unknown) => {
    if (isDuplicateKey(err)) throw new ConflictError({ reason, message: `${what} exists already` });
    throw err;
  };

  return {
    categories: (ctx: RequestContext) => repo.categories(ctx),
    documentTypes: (ctx: RequestContext) => repo.documentTypes(ctx),
    rules: (ctx: RequestContext) => repo.rules(ctx),

    async createCategory(
      ctx: RequestContext,
      c: { code: string; nameZh: string; nameEn: string; sort: number },
    ): Promise<BusinessCategory> {
      await repo.insertCategory(ctx, c).catch(duplicate(`Category ${c.code}`, 'CATEGORY_CODE_EXISTS'));
      await audit.record(ctx, {
        action: 'rules.category.created',
        targetType: 'business_category',
        targetId: c.code,
        data: c,
      });
      return mustCategory(ctx, c.code);
    },

    async updateCategory(
      ctx: RequestContext,
      code: string,
      patch: Partial<Pick<BusinessCategory, 'nameZh' | 'nameEn' | 'sort' | 'active'>>,
    ): Promise<BusinessCategory> {
      await mustCategory(ctx, code);
      await repo.updateCategory(ctx, code, patch);
      await audit.record(ctx, {
        action: 'rules.category.updated',
        targetType: 'business_category',
        targetId: code,
        data: patch,
      });
      return mustCategory(ctx, code);
    },

    async createDocumentType(ctx: RequestContext, d: Omit<DocumentType, 'active'>): Promise<DocumentType> {
      assertFieldKeysUnique(d.fields);
      await repo.insertDocumentType(ctx, d).catch(duplicate(`Document type ${d.code}`, 'DOCUMENT_TYPE_EXISTS'));
      await audit.record(ctx, {
        action: 'rules.document_type.created',
        targetType: 'document_type',
        targetId: d.code,
        data: d,
      });
      return mustType(ctx, d.code);
    },

    async updateDocumentType(
      ctx: RequestContext,
      code: string,
      patch: Partial<Omit<DocumentType, 'code'>>,
    ): Promise<DocumentType> {
      await mustType(ctx, code);
      if (patch.fields) assertFieldKeysUnique(patch.fields);
      await repo.updateDocumentType(ctx, code, patch);
      await audit.record(ctx, {
        action: 'rules.document_type.updated',
        targetType: 'document_type',
        targetId: code,
        data: patch,
      });
      return mustType(ctx, code);
    },

    async createRule(
      ctx: RequestContext,
      r: { documentTypeCode: string; subjectType: SubjectType | null; categoryCode: string | null },
    ): Promise<RequirementRule> {
      await mustType(ctx, r.documentTypeCode).catch(() => {
        const text = { reason: 'DOCUMENT_TYPE_UNKNOWN', message: 'unknown document type' } as const;
        throw new ValidationError(text, { issues: [issue('body.documentTypeCode', text)] });
      });
      if (r.categoryCode) {
        await mustCategory(ctx, r.categoryCode).catch(() => {
          const text = { reason: 'BUSINESS_CATEGORY_UNKNOWN', message: 'unknown category' } as const;
          throw new ValidationError(text, { issues: [issue('body.categoryCode', text)] });
        });
      }
      const same = (await repo.rules(ctx)).find(
        (x) =>
          x.documentTypeCode === r.documentTypeCode &&
          x.subjectType === r.subjectType &&
          x.categoryCode === r.categoryCode,
      );
      if (same)
        throw new ConflictError({ reason: 'RULE_EXISTS', message: 'The same rule exists already' }, { id: same.id });
      const id = await repo.insertRule(ctx, r);
      await audit.record(ctx, {
        action: 'rules.requirement.created',
        targetType: 'requirement_rule',
        targetId: id,
        data: r,
      });
      return (await repo.rule(ctx, id))!;
    },

    async deleteRule(ctx: RequestContext, id: number): Promise<void> {
      const rule = await repo.rule(ctx, id);
      if (!rule) throw new NotFoundError('DOCUMENT_RULE_NOT_FOUND');
      await repo.deleteRule(ctx, id);
      await audit.record(ctx, {
        action: 'rules.requirement.deleted',
        targetType: 'requirement_rule',
        targetId: id,
        data: rule,
      });
    },
  };
}

function assertFieldKeysUnique(fields: Array<{ key: string }>): void {
  const keys = fields.map((f) => f.key);
  if (new Set(keys).size !== keys.length) {
    const text = { reason: 'FIELD_KEYS_REPEATED', message: 'field keys must be unique' } as const;
    throw new ValidationError(text, { issues: [issue('body.fields', text)] });
  }
}

export type RulesService = ReturnType<typeof rulesService>;
