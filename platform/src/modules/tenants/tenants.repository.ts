import type { RequestContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn, totalOf } from '../../kernel/db/rows';
import type { AppearanceBody, Page, SubjectType, TenantStatus } from '@shopfleet/contracts';
import { platformTable } from '../../kernel/db/platform-db';

export interface Tenant {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  logoKey: string | null;
  themeColor: string;
  /** What the merchant set in the appearance editor; null until then. */
  appearance: AppearanceBody | null;
  shareImageKey: string | null;
  status: TenantStatus;
  mpAppid: string | null;
  mpSecretEnc: string | null;
  subjectType: SubjectType | null;
  categoryCode: string | null;
  contactName: string | null;
  contactPhone: string | null;
  submittedAt: Date | null;
  suspensionReason: string | null;
  suspendedKind: 'manual' | 'expiry' | null;
  createdAt: Date;
  updatedAt: Date;
}

interface TenantRow {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  logo_key: string | null;
  theme_color: string;
  appearance: unknown;
  share_image_key: string | null;
  status: TenantStatus;
  mp_appid: string | null;
  mp_secret_enc: string | null;
  subject_type: SubjectType | null;
  category_code: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  submitted_at: Date | null;
  suspension_reason: string | null;
  suspended_kind: 'manual' | 'expiry' | null;
  created_at: Date;
  updated_at: Date;
}

const toTenant = (r: TenantRow): Tenant => ({
  id: Number(r.id),
  slug: r.slug,
  name: r.name,
  description: r.description,
  logoKey: r.logo_key,
  themeColor: r.theme_color,
  appearance: (parseJsonColumn(r.appearance) as AppearanceBody | null) ?? null,
  shareImageKey: r.share_image_key,
  status: r.status,
  mpAppid: r.mp_appid,
  mpSecretEnc: r.mp_secret_enc,
  subjectType: r.subject_type,
  categoryCode: r.category_code,
  contactName: r.contact_name,
  contactPhone: r.contact_phone,
  submittedAt: r.submitted_at,
  suspensionReason: r.suspension_reason,
  suspendedKind: r.suspended_kind,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface TenantPatch {
  name?: string;
  description?: string | null;
  themeColor?: string;
  logoKey?: string | null;
  appearance?: AppearanceBody;
  shareImageKey?: string | null;
  status?: TenantStatus;
  mpAppid?: string | null;
  mpSecretEnc?: string | null;
  submittedAt?: Date | null;
  suspensionReason?: string | null;
  suspendedKind?: 'manual' | 'expiry' | null;
}

export interface NewTenant {
  slug: string;
  name: string;
  status: TenantStatus;
  description?: string | null;
  subjectType?: SubjectType;
  categoryCode?: string;
  contactName?: string;
  contactPhone?: string;
}

/** `tenants`, a platform table: the shops themselves. Writes run on the context's connection (its transaction). */
export function tenantsRepository(db: Database) {
  const table = (ctx?: RequestContext) => platformTable(ctx ? db.conn(ctx) : db.knex, 'tenants');
  return {
    async findBySlug(slug: string): Promise<Tenant | null> {
      const row = (await table().where({ slug }).first()) as TenantRow | undefined;
      return row ? toTenant(row) : null;
    },

    async findByMpAppid(appid: string): Promise<Tenant | null> {
      const row = (await table().where({ mp_appid: appid }).first()) as TenantRow | undefined;
      return row ? toTenant(row) : null;
    },

    async findById(id: number): Promise<Tenant | null> {
      const row = (await table().where({ id }).first()) as TenantRow | undefined;
      return row ? toTenant(row) : null;
    },

    async insert(ctx: RequestContext, t: NewTenant): Promise<number> {
      const [id] = await table(ctx).insert({
        slug: t.slug,
        name: t.name,
        status: t.status,
        description: t.description ?? null,
        subject_type: t.subjectType ?? null,
        category_code: t.categoryCode ?? null,
        contact_name: t.contactName ?? null,
        contact_phone: t.contactPhone ?? null,
      });
      return Number(id);
    },

    async update(ctx: RequestContext, id: number, patch: TenantPatch): Promise<void> {
      const row: Record<string, unknown> = { updated_at: db.knex.fn.now(3) };
      if (patch.name !== undefined) row.name = patch.name;
      if (patch.description !== undefined) row.description = patch.description;
      if (patch.themeColor !== undefined) row.theme_color = patch.themeColor;
      if (patch.logoKey !== undefined) row.logo_key = patch.logoKey;
      if (patch.appearance !== undefined) row.appearance = JSON.stringify(patch.appearance);
      if (patch.shareImageKey !== undefined) row.share_image_key = patch.shareImageKey;
      if (patch.status !== undefined) row.status = patch.status;
      if (patch.mpAppid !== undefined) row.mp_appid = patch.mpAppid;
      if (patch.mpSecretEnc !== undefined) row.mp_secret_enc = patch.mpSecretEnc;
      if (patch.submittedAt !== undefined) row.submitted_at = patch.submittedAt;
      if (patch.suspensionReason !== undefined) row.suspension_reason = patch.suspensionReason;
      if (patch.suspendedKind !== undefined) row.suspended_kind = patch.suspendedKind;
      await table(ctx).where({ id }).update(row);
    },

    async byIds(ids: number[]): Promise<Tenant[]> {
      if (ids.length === 0) return [];
      return ((await table().whereIn('id', [...new Set(ids)])) as TenantRow[]).map(toTenant);
    },

    /** The active shops among `ids` (all when not given), in some business categories when given. */
    async activeIds(filter: { ids?: number[]; categoryCodes?: string[] }): Promise<number[]> {
      const q = table().where({ status: 'active' });
      if (filter.ids) q.whereIn('id', filter.ids);
      if (filter.categoryCodes?.length) q.whereIn('category_code', filter.categoryCodes);
      return ((await q.pluck('id')) as number[]).map(Number);
    },

    /** Tenants in some states, by id, a batch at a time: for platform jobs that visit every tenant. */
    async idsInStatus(statuses: TenantStatus[], afterId: number, limit: number): Promise<number[]> {
      const rows = (await table()
        .select('id')
        .whereIn('status', statuses)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)) as Array<{ id: number }>;
      return rows.map((r) => Number(r.id));
    },

    /** How many tenants are in each state (the platform figures). */
    async countByStatus(): Promise<Map<TenantStatus, number>> {
      const rows = (await table().select('status').count({ n: '*' }).groupBy('status')) as Array<{
        status: TenantStatus;
        n: number | string;
      }>;
      return new Map(rows.map((r) => [r.status, Number(r.n)]));
    },

    /** Tenants created in [from, to), by the China-time day they were created (days with none left out). */
    async createdPerDay(from: Date, to: Date): Promise<Array<{ day: string; count: number }>> {
      const rows = (await table()
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .select(db.knex.raw("DATE_FORMAT(created_at + INTERVAL 8 HOUR, '%Y-%m-%d') as day"))
        .count({ n: '*' })
        .groupBy('day')) as Array<{ day: string; n: number | string }>;
      return rows.map((r) => ({ day: String(r.day), count: Number(r.n) }));
    },

    async list(filter: { status?: TenantStatus; q?: string; page: number; pageSize: number }): Promise<Page<Tenant>> {
      const base = () => {
        const q = table();
        if (filter.status) q.where('status', filter.status);
        if (filter.q) {
          const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          q.where((w) => w.where('name', 'like', like).orWhere('slug', 'like', like));
        }
        return q;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(filter.pageSize)
          .offset((filter.page - 1) * filter.pageSize) as Promise<TenantRow[]>,
        base().count({ total: '*' }),
      ]);
      return { items: rows.map(toTenant), page: filter.page, pageSize: filter.pageSize, total: totalOf(counted) };
    },
  };
}

export type TenantsRepository = ReturnType<typeof tenantsRepository>;
