import type { Knex } from 'knex';
import type { BusinessCategory, DocumentFieldSpec, DocumentType, RequirementRule, SubjectType } from '@shopfleet/contracts';
import { platformTable } from '../../kernel/db/platform-db';
import { iso, parseJsonColumn } from '../../kernel/db/rows';

const toCategory = (r: Record<string, unknown>): BusinessCategory => ({
  code: String(r.code),
  nameZh: String(r.name_zh),
  nameEn: String(r.name_en),
  sort: Number(r.sort),
  active: Boolean(r.active),
});

const toDocumentType = (r: Record<string, unknown>): DocumentType => ({
  code: String(r.code),
  nameZh: String(r.name_zh),
  nameEn: String(r.name_en),
  fields: (parseJsonColumn(r.fields) as DocumentFieldSpec[]) ?? [],
  pageLabels: (parseJsonColumn(r.page_labels) as string[]) ?? [],
  hasValidity: Boolean(r.has_validity),
  active: Boolean(r.active),
});

const toRule = (r: Record<string, unknown>): RequirementRule => ({
  id: Number(r.id),
  documentTypeCode: String(r.document_type_code),
  subjectType: (r.subject_type as SubjectType | null) ?? null,
  categoryCode: (r.category_code as string | null) ?? null,
  createdAt: iso(r.created_at as Date),
});

/** Platform-managed reference data: categories, document types and the rules that tie them to tenants. */
export function rulesRepository(knex: Knex) {
  return {
    async categories(): Promise<BusinessCategory[]> {
      return ((await platformTable(knex, 'business_categories').orderBy([{ column: 'sort' }, { column: 'code' }])) as Array<Record<string, unknown>>).map(toCategory);
    },
    async category(code: string): Promise<BusinessCategory | null> {
      const r = await platformTable(knex, 'business_categories').where({ code }).first();
      return r ? toCategory(r) : null;
    },
    async insertCategory(c: { code: string; nameZh: string; nameEn: string; sort: number }): Promise<void> {
      await platformTable(knex, 'business_categories').insert({ code: c.code, name_zh: c.nameZh, name_en: c.nameEn, sort: c.sort });
    },
    async updateCategory(code: string, patch: Partial<Pick<BusinessCategory, 'nameZh' | 'nameEn' | 'sort' | 'active'>>): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.nameZh !== undefined) row.name_zh = patch.nameZh;
      if (patch.nameEn !== undefined) row.name_en = patch.nameEn;
      if (patch.sort !== undefined) row.sort = patch.sort;
      if (patch.active !== undefined) row.active = patch.active;
      await platformTable(knex, 'business_categories').where({ code }).update(row);
    },

    async documentTypes(): Promise<DocumentType[]> {
      return ((await platformTable(knex, 'document_types').orderBy('code')) as Array<Record<string, unknown>>).map(toDocumentType);
    },
    async documentType(code: string): Promise<DocumentType | null> {
      const r = await platformTable(knex, 'document_types').where({ code }).first();
      return r ? toDocumentType(r) : null;
    },
    async insertDocumentType(d: Omit<DocumentType, 'active'>): Promise<void> {
      await platformTable(knex, 'document_types').insert({
        code: d.code,
        name_zh: d.nameZh,
        name_en: d.nameEn,
        fields: JSON.stringify(d.fields),
        page_labels: JSON.stringify(d.pageLabels),
        has_validity: d.hasValidity,
      });
    },
    async updateDocumentType(code: string, patch: Partial<Omit<DocumentType, 'code'>>): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.nameZh !== undefined) row.name_zh = patch.nameZh;
      if (patch.nameEn !== undefined) row.name_en = patch.nameEn;
      if (patch.fields !== undefined) row.fields = JSON.stringify(patch.fields);
      if (patch.pageLabels !== undefined) row.page_labels = JSON.stringify(patch.pageLabels);
      if (patch.hasValidity !== undefined) row.has_validity = patch.hasValidity;
      if (patch.active !== undefined) row.active = patch.active;
      await platformTable(knex, 'document_types').where({ code }).update(row);
    },

    async rules(): Promise<RequirementRule[]> {
      return ((await platformTable(knex, 'requirement_rules').orderBy('id')) as Array<Record<string, unknown>>).map(toRule);
    },
    async insertRule(r: { documentTypeCode: string; subjectType: SubjectType | null; categoryCode: string | null }): Promise<number> {
      const [id] = await platformTable(knex, 'requirement_rules').insert({ document_type_code: r.documentTypeCode, subject_type: r.subjectType, category_code: r.categoryCode });
      return Number(id);
    },
    async rule(id: number): Promise<RequirementRule | null> {
      const r = await platformTable(knex, 'requirement_rules').where({ id }).first();
      return r ? toRule(r) : null;
    },
    async deleteRule(id: number): Promise<number> {
      return platformTable(knex, 'requirement_rules').where({ id }).delete();
    },
  };
}

export type RulesRepository = ReturnType<typeof rulesRepository>;
