import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';

/** A shop's package of a template version, as stored. */
export interface StoredPackage {
  id: number;
  objectKey: string;
  sizeBytes: number;
  buildMs: number;
  createdAt: Date;
}

interface PackageRow {
  id: number;
  object_key: string;
  size_bytes: number;
  build_ms: number;
  created_at: Date;
}

const toPackage = (r: PackageRow): StoredPackage => ({
  id: Number(r.id),
  objectKey: String(r.object_key),
  sizeBytes: Number(r.size_bytes),
  buildMs: Number(r.build_ms),
  createdAt: r.created_at,
});

/** `tenant_packages`: each shop's package of a template version, one per version and settings. */
export function packagesRepository(db: Database) {
  const packages = (ctx: TenantContext) => db.scope(ctx).table('tenant_packages');
  return {
    async find(ctx: TenantContext, versionId: number, settingsHash: string): Promise<StoredPackage | null> {
      const r = (await packages(ctx).where({ template_version_id: versionId, settings_hash: settingsHash }).first()) as
        PackageRow | undefined;
      return r ? toPackage(r) : null;
    },

    /** Keeps a package made; one made meanwhile with the same settings stays as it is. */
    async insertOnce(
      ctx: TenantContext,
      p: { versionId: number; settingsHash: string; objectKey: string; sizeBytes: number; buildMs: number },
    ): Promise<void> {
      await packages(ctx)
        .insert({
          template_version_id: p.versionId,
          settings_hash: p.settingsHash,
          object_key: p.objectKey,
          size_bytes: p.sizeBytes,
          build_ms: p.buildMs,
        })
        .onConflict()
        .ignore();
    },
  };
}

export type PackagesRepository = ReturnType<typeof packagesRepository>;
