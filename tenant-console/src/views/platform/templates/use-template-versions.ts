import { computed, onMounted, reactive, ref, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type FormInstance, type FormRules } from 'element-plus';
import type { TemplateVersion } from '@shopfleet/contracts';
import { TEMPLATE_DESCRIPTION_MAX, TEMPLATE_VERSION_PATTERN } from '@shopfleet/contracts/constants';
import { createTemplateVersion, listTemplateVersions, retryTemplateVersion } from '@/api/templates';
import { jobFailureText } from '@/utils/job-failure';
import { useListPolling } from '@/composables/use-list-polling';
import { usePagedList } from '@/composables/use-paged-list';

/** While a version on the page is building, the page is asked for again this often. */

export interface TemplateVersionForm {
  version: string;
  description: string;
}

export function isBuilding(version: TemplateVersion): boolean {
  return version.status === 'building';
}

/** The version after `version` (the patch number plus one), or '' when it is not x.y.z. */
export function nextPatch(version: string): string {
  const match = /^(\d{1,4}\.\d{1,4}\.)(\d{1,4})$/.exec(version);
  if (!match?.[1] || !match[2]) return '';
  const next = `${match[1]}${Number(match[2]) + 1}`;
  return TEMPLATE_VERSION_PATTERN.test(next) ? next : '';
}

/**
 * Template versions: the server-paged list (newest first, with how many shops run each), asked for again
 * every 3 s while a version on the page is building, and a dialog that registers the template as it is
 * now as a new version. The server builds a version once; when its sources were built already, the new
 * version reuses that build.
 */
export function useTemplateVersions() {
  const { t } = useI18n();

  const list = usePagedList<TemplateVersion>((paging) => listTemplateVersions(paging));
  const { polling, following: anyBuilding } = useListPolling(list, isBuilding);

  // ---- new version ----
  const dialogOpen = ref(false);
  const formRef = useTemplateRef<FormInstance>('versionForm');
  const form = reactive<TemplateVersionForm>({ version: '', description: '' });
  const creating = ref(false);

  const rules = computed<FormRules<TemplateVersionForm>>(() => ({
    version: [
      { required: true, whitespace: true, message: t('templates.versionRequired'), trigger: 'blur' },
      { pattern: TEMPLATE_VERSION_PATTERN, message: t('templates.versionInvalid'), trigger: 'blur' },
    ],
    description: [
      {
        max: TEMPLATE_DESCRIPTION_MAX,
        message: t('templates.descriptionLength', { max: TEMPLATE_DESCRIPTION_MAX }),
        trigger: 'blur',
      },
    ],
  }));

  /** Open the dialog, suggesting the version after the newest one when the first page is shown. */
  function openNew(): void {
    const newest = list.page.value === 1 ? list.items.value[0] : undefined;
    Object.assign(form, { version: newest ? nextPatch(newest.version) : '', description: '' });
    dialogOpen.value = true;
    formRef.value?.clearValidate();
  }

  function createdMessage(created: TemplateVersion): void {
    const named = { version: created.version };
    if (created.status === 'ready') ElMessage.success(t('templates.createdReused', named));
    else if (created.status === 'failed') ElMessage.warning(t('templates.createdFailed', named));
    else ElMessage.success(t('templates.createdBuilding', named));
  }

  async function create(): Promise<void> {
    if (creating.value) return;
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    creating.value = true;
    try {
      const created = await createTemplateVersion({
        version: form.version.trim(),
        description: form.description.trim(),
      });
      dialogOpen.value = false;
      createdMessage(created);
      // Newest first: the new version is on the first page.
      list.page.value = 1;
      await list.load();
    } catch {
      // A version that exists already (409) or a bad body: shown by the request client; the dialog stays open.
    } finally {
      creating.value = false;
    }
  }

  // ---- a failed build ----
  const retrying = ref<number | null>(null);

  /** Why a version's build gave up, in the console's language. */
  function failureOf(version: TemplateVersion): string {
    return jobFailureText(t, version.failure);
  }

  /** Build a failed version again; the list follows it while it builds. */
  async function retry(version: TemplateVersion): Promise<void> {
    if (retrying.value !== null) return;
    retrying.value = version.id;
    try {
      await retryTemplateVersion(version.id);
      ElMessage.success(t('templates.retried', { version: version.version }));
      await list.load();
    } catch {
      // A version no longer failed (409): shown by the request client.
    } finally {
      retrying.value = null;
    }
  }

  onMounted(list.load);

  return {
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    failed: list.failed,
    polling,
    retrying,
    failureOf,
    retry,
    anyBuilding,
    load: list.load,
    changePage: list.changePage,
    changePageSize: list.changePageSize,
    dialogOpen,
    form,
    rules,
    creating,
    descriptionMax: TEMPLATE_DESCRIPTION_MAX,
    openNew,
    create,
  };
}
