import type {
  BusinessCategory,
  DocumentFieldSpec,
  DocumentType,
  RequirementRule,
  SubjectType,
} from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { platformTable } from '../../kernel/db/platform-db';
import { iso, parseJsonColumn } from '../../kernel/db/rows';

interface CategoryRow {
  code: string;
  name_zh: string;
  name_en: string;
  sort: number;
  active: number | boolean;
}

interface DocumentTypeRow {
  code: string;
  name_zh: string;
  name_en: string;
  fields: unknown;
  page_labels: unknown;
  has_validity: number | boolean;
  active: number | boolean;
}

interface RuleRow {
  id: number;
  document_type_code: string;
  subject_type: SubjectType | null;
  category_code: string | null;
  created_at: Date;
}

const toCategory = (r: CategoryRow): BusinessCategory => ({
  code: String(r.code),
  nameZh: String(r.name_zh),
  nameEn: String(r.name_en),
  sort: Number(r.sort),
  active: Boolean(r.active),
});

const toDocumentType = (r: DocumentTypeRow): DocumentType => ({
  code: String(r.code),
  nameZh: String(r.name_zh),
  nameEn: String(r.name_en),
  fields: (parseJsonColumn(r.fields) as DocumentFieldSpec[]) ?? [],
  pageLabels: (parseJsonColumn(r.page_labels) as string[]) ?? [],
  hasValidity: Boolean(r.has_validity),
  active: Boolean(r.active),
});

const toRule = (r: RuleRow): RequirementRule => ({
  id: Number(r.id),
  documentTypeCode: String(r.document_type_code),
  subjectType: r.subject_type ?? null,
  categoryCode: r.category_code ?? null,
  createdAt: iso(r.created_at),
});

/**
 * Platform-managed reference data (`business_categories`, `document_types`, `requirement_rules`): the
 * categories, the document types and the rules that tie them to tenants. Platform tables, on the
 * context's connection (its transaction, when it carries one).
 */
export function rulesRepository(db: Database) {
  const table = (ctx: RequestContext, name: 'business_categories' | 'document_types' | 'requirement_rules') =>
    platformTable(db.conn(ctx), name);
  return {
    async categories(ctx: RequestContext): Promise<BusinessCategory[]> {
      return (
        (await table(ctx, 'business_categories').orderBy([{ column: 'sort' }, { column: 'code' }])) as CategoryRow[]
      ).map(toCategory);
    },
    async category(ctx: RequestContext, code: string): Promise<BusinessCategory | null> {
      const r = (await table(ctx, 'business_categories').where({ code }).first()) as CategoryRow | undefined;
      return r ? toCategory(r) : null;
    },
    async insertCategory(
      ctx: RequestContext,
      c: { code: string; nameZh: string; nameEn: string; sort: number },
    ): Promise<void> {
      await table(ctx, 'business_categories').insert({
        code: c.code,
        name_zh: c.nameZh,
        name_en: c.nameEn,
        sort: c.sort,
      });
    },
    async updateCategory(
      ctx: RequestContext,
      code: string,
      patch: Partial<Pick<BusinessCategory, 'nameZh' | 'nameEn' | 'sort' | 'active'>>,
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.nameZh !== undefined) row.name_zh = patch.nameZh;
      if (patch.nameEn !== undefined) row.name_en = patch.nameEn;
      if (patch.sort !== undefined) row.sort = patch.sort;
      if (patch.active !== undefined) row.active = patch.active;
      await table(ctx, 'business_categories').where({ code }).update(row);
    },

    async documentTypes(ctx: RequestContext): Promise<DocumentType[]> {
      return ((await table(ctx, 'document_types').orderBy('code')) as DocumentTypeRow[]).map(toDocumentType);
    },
    async documentType(ctx: RequestContext, code: string): Promise<DocumentType | null> {
      const r = (await table(ctx, 'document_types').where({ code }).first()) as DocumentTypeRow | undefined;
      return r ? toDocumentType(r) : null;
    },
    async insertDocumentType(ctx: RequestContext, d: Omit<DocumentType, 'active'>): Promise<void> {
      await table(ctx, 'document_types').insert({
        code: d.code,
        name_zh: d.nameZh,
        name_en: d.nameEn,
        fields: JSON.stringify(d.fields),
        page_labels: JSON.stringify(d.pageLabels),
        has_validity: d.hasValidity,
      });
    },
    async updateDocumentType(
      ctx: RequestContext,
      code: string,
      patch: Partial<Omit<DocumentType, 'code'>>,
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.nameZh !== undefined) row.name_zh = patch.nameZh;
      if (patch.nameEn !== undefined) row.name_en = patch.nameEn;
      if (patch.fields !== undefined) row.fields = JSON.stringify(patch.fields);
      if (patch.pageLabels !== undefined) row.page_labels = JSON.stringify(patch.pageLabels);
      if (patch.hasValidity !== undefined) row.has_validity = patch.hasValidity;
      if (patch.active !== undefined) row.active = patch.active;
      await table(ctx, 'document_types').where({ code }).update(row);
    },

    async rules(ctx: RequestContext): Promise<RequirementRule[]> {
      return ((await table(ctx, 'requirement_rules').orderBy('id')) as RuleRow[]).map(toRule);
    },
    async insertRule(
      ctx: RequestContext,
      r: { documentTypeCode: string; subjectType: SubjectType | null; categoryCode: string | null },
    ): Promise<number> {
      const [id] = await table(ctx, 'requirement_rules').insert({
        document_type_code: r.documentTypeCode,
        subject_type: r.subjectType,
        category_code: r.categoryCode,
      });
      return Number(id);
    },
    async rule(ctx: RequestContext, id: number): Promise<RequirementRule | null> {
      const r = (await table(ctx, 'requirement_rules').where({ id }).first()) as RuleRow | undefined;
      return r ? toRule(r) : null;
    },
    async deleteRule(ctx: RequestContext, id: number): Promise<number> {
      return table(ctx, 'requirement_rules').where({ id }).delete();
    },
  };
}

export type RulesRepository = ReturnType<typeof rulesRepository>;
