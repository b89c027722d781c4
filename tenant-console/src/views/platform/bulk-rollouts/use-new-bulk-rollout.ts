import { computed, reactive, ref, shallowRef, useTemplateRef, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type FormInstance, type FormItemRule, type FormRules } from 'element-plus';
import type { AuditQuota, BulkRelease, TemplateVersion } from '@shopfleet/contracts';
import { BULK_RELEASE_LIMITS } from '@shopfleet/contracts/constants';
import { createBulkRelease, type CreateBulkReleaseBody } from '@/api/bulk-rollouts';
import { isApiError, notifyError } from '@/api/request';
import { listTemplateVersions } from '@/api/templates';
import { usePlatformReferenceStore } from '@/stores/platform-reference';
import { useTenantSearch } from './use-tenant-search';

/** The versions offered: the ready ones among the newest this many. */
const VERSIONS_PAGE_SIZE = 100;

/** Every active shop, or only the shops chosen (both narrowed by the categories, when some are chosen). */
export type BulkTarget = 'all' | 'chosen';

export interface BulkReleaseForm {
  templateVersionId: number | null;
  canaryTenantIds: number[];
  target: BulkTarget;
  tenantIds: number[];
  categoryCodes: string[];
  concurrency: number;
  autoRelease: boolean;
}

function emptyForm(): BulkReleaseForm {
  return {
    templateVersionId: null,
    canaryTenantIds: [],
    target: 'all',
    tenantIds: [],
    categoryCodes: [],
    concurrency: BULK_RELEASE_LIMITS.concurrencyDefault,
    autoRelease: true,
  };
}

/**
 * The dialog that starts a bulk release: a ready version, the canary shops (searched by name among the
 * active ones), the rest (every active shop or chosen ones, optionally only some business categories),
 * the concurrency and auto release. Each shop spends one audit of the month's quota: the dialog warns
 * when the shops it can count exceed what is left; the server refuses such a batch (409, shown in the
 * dialog with the other refusals).
 */
export function useNewBulkRollout(
  quota: Ref<AuditQuota | null>,
  refreshQuota: () => Promise<void>,
  onCreated: (created: BulkRelease) => Promise<void>,
) {
  const { t } = useI18n();
  const reference = usePlatformReferenceStore();

  const dialogOpen = ref(false);
  const formRef = useTemplateRef<FormInstance>('bulkForm');
  const form = reactive<BulkReleaseForm>(emptyForm());
  const creating = ref(false);
  /** Why the server refused the batch (409), shown in the dialog until the next try. */
  const refusal = ref<string | null>(null);

  const canarySearch = useTenantSearch();
  const targetSearch = useTenantSearch();

  // ---- versions ----
  const versions = shallowRef<TemplateVersion[]>([]);
  const versionsLoading = ref(false);

  async function loadVersions(): Promise<void> {
    versionsLoading.value = true;
    try {
      const page = await listTemplateVersions({ page: 1, pageSize: VERSIONS_PAGE_SIZE });
      versions.value = page.items.filter((version) => version.status === 'ready');
      // Newest first: offer the newest ready version.
      if (form.templateVersionId === null || !versions.value.some((version) => version.id === form.templateVersionId)) {
        form.templateVersionId = versions.value[0]?.id ?? null;
      }
    } catch {
      // Shown by the request client; the select stays empty.
    } finally {
      versionsLoading.value = false;
    }
  }

  // ---- audits needed ----
  /**
   * The audits the batch needs as far as the dialog can count them: the canary plus the chosen shops
   * (at most: categories may narrow them); null when the rest is every active shop (the server counts).
   */
  const auditsNeeded = computed<number | null>(() =>
    form.target === 'chosen' ? new Set([...form.canaryTenantIds, ...form.tenantIds]).size : null,
  );
  /** The shops counted (or, for every active shop, the canary alone) exceed the audits left this month. */
  const overQuota = computed(() => {
    const rest = quota.value?.rest;
    if (rest === undefined) return false;
    return (auditsNeeded.value ?? new Set(form.canaryTenantIds).size) > rest;
  });

  // ---- validation ----
  const rules = computed<FormRules<BulkReleaseForm>>(() => {
    const chosenShops: FormItemRule = {
      validator: (_rule, value: number[], callback) =>
        form.target === 'chosen' && value.length === 0
          ? callback(new Error(t('bulkRollouts.form.tenantsRequired')))
          : callback(),
      trigger: 'change',
    };
    return {
      templateVersionId: [
        { required: true, type: 'number', message: t('bulkRollouts.form.versionRequired'), trigger: 'change' },
      ],
      canaryTenantIds: [
        { required: true, type: 'array', min: 1, message: t('bulkRollouts.form.canaryRequired'), trigger: 'change' },
        {
          type: 'array',
          max: BULK_RELEASE_LIMITS.canaryMax,
          message: t('bulkRollouts.form.canaryMax', { max: BULK_RELEASE_LIMITS.canaryMax }),
          trigger: 'change',
        },
      ],
      tenantIds: [chosenShops],
    };
  });

  function openNew(): void {
    Object.assign(form, emptyForm(), { templateVersionId: form.templateVersionId });
    refusal.value = null;
    dialogOpen.value = true;
    formRef.value?.clearValidate();
    void loadVersions();
    void reference.ensure();
    void refreshQuota();
  }

  function bodyOf(): CreateBulkReleaseBody | null {
    if (form.templateVersionId === null) return null;
    return {
      templateVersionId: form.templateVersionId,
      canaryTenantIds: [...form.canaryTenantIds],
      ...(form.target === 'chosen' ? { tenantIds: [...form.tenantIds] } : {}),
      ...(form.categoryCodes.length ? { categoryCodes: [...form.categoryCodes] } : {}),
      concurrency: form.concurrency,
      autoRelease: form.autoRelease,
    };
  }

  async function create(): Promise<void> {
    if (creating.value) return;
    const valid = await formRef.value?.validate().catch(() => false);
    const body = bodyOf();
    if (!valid || !body) return;
    creating.value = true;
    refusal.value = null;
    try {
      const created = await createBulkRelease(body, { silent: true });
      dialogOpen.value = false;
      ElMessage.success(t('bulkRollouts.created', { id: created.id, version: created.version }));
      await onCreated(created);
    } catch (error) {
      // Not built, a canary shop not active, not enough audits left: said in the dialog, which stays open.
      if (isApiError(error) && error.code === 'CONFLICT') refusal.value = error.message;
      else notifyError(error);
    } finally {
      creating.value = false;
    }
  }

  return {
    dialogOpen,
    form,
    rules,
    creating,
    refusal,
    versions,
    versionsLoading,
    categories: computed(() => reference.categories),
    canarySearch,
    targetSearch,
    auditsNeeded,
    overQuota,
    limits: BULK_RELEASE_LIMITS,
    openNew,
    create,
  };
}
