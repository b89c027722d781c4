import { computed, onMounted, onUnmounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type UploadRawFile, type UploadRequestOptions } from 'element-plus';
import type { ImportJob } from '@shopfleet/contracts';
import {
  IMPORT_CHINESE_HEADERS,
  IMPORT_COLUMNS,
  IMPORT_FORMATS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  IMPORT_YUAN_COLUMNS,
  REQUIRED_IMPORT_COLUMNS,
  type ImportReadColumn,
} from '@shopfleet/contracts/constants';
import {
  downloadImportReport,
  downloadImportTemplate,
  exportProducts,
  getImport,
  listImports,
  retryImport,
  startImport,
  type ExportFormat,
  type ImportLanguage,
} from '@/api/catalog';
import { notifyError } from '@/api/request';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { saveBlob } from '@/utils/download';
import { formatBytes } from '@/utils/format';
import { jobFailureText } from '@/utils/job-failure';

const POLL_INTERVAL_MS = 1000;

type ImportError = ImportJob['errors'][number];

export function isActive(job: ImportJob | null): boolean {
  return job !== null && (job.status === 'queued' || job.status === 'running');
}

/** processedRows of totalRows as a whole percentage (100 once finished). */
export function progressOf(job: ImportJob): number {
  if (job.status === 'done') return 100;
  if (job.totalRows <= 0) return 0;
  return Math.min(100, Math.floor((job.processedRows / job.totalRows) * 100));
}

/**
 * Import and export: upload a CSV or XLSX (a queued job on the server), follow it every second while it
 * is queued or running, then show its counts and the per-row report (each reason rendered from its code
 * in the console's language, and the rejected rows as a file); the recent imports; the template; and
 * the catalog exported as CSV or XLSX.
 */
export function useCatalogImport() {
  const { t, te, locale } = useI18n();
  /** Files the server writes for a reader (template, report) follow the console's language. */
  const fileLanguage = (): ImportLanguage => (locale.value === 'zh-CN' ? 'zh-CN' : 'en');
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('catalog:product:manage'));

  const jobs = shallowRef<ImportJob[]>([]);
  const jobsLoading = ref(false);
  const current = shallowRef<ImportJob | null>(null);
  const uploading = ref(false);
  const retrying = ref(false);
  const exporting = ref<ExportFormat | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  async function loadJobs(): Promise<void> {
    jobsLoading.value = true;
    try {
      jobs.value = await listImports();
    } catch {
      // Shown by the request client.
    } finally {
      jobsLoading.value = false;
    }
  }

  function stopPolling(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  /** Ask again in a second while the job is queued or running; stop when it ends or another is shown. */
  function poll(id: number): void {
    stopPolling();
    if (disposed || current.value?.id !== id || !isActive(current.value)) return;
    timer = setTimeout(async () => {
      timer = undefined;
      try {
        const next = await getImport(id, { silent: true });
        if (disposed || current.value?.id !== id) return;
        current.value = next;
        if (isActive(next)) {
          poll(id);
        } else {
          finished(next);
          await loadJobs();
        }
      } catch (error) {
        // One failed look is shown; following stops until the job is opened again.
        notifyError(error);
      }
    }, POLL_INTERVAL_MS);
  }

  function finished(job: ImportJob): void {
    if (job.status === 'failed') ElMessage.error(t('catalog.import.failed', { reason: failureOf(job) }));
    else
      ElMessage.success(
        t('catalog.import.finished', {
          created: job.createdProducts,
          updated: job.updatedProducts,
          rejected: job.rejectedRows,
        }),
      );
  }

  /** Why a failed import stopped, in the console's language. */
  function failureOf(job: ImportJob): string {
    return jobFailureText(t, job.failure, job.failureReason);
  }

  /** Run a failed import again: it goes on after its checkpoint, and is followed as before. */
  async function retry(job: ImportJob): Promise<void> {
    retrying.value = true;
    try {
      const next = await retryImport(job.id);
      ElMessage.success(t('catalog.import.retried', { row: next.checkpointRow }));
      show(next);
      await loadJobs();
    } catch {
      // Shown by the request client (an import no longer failed is a 409).
    } finally {
      retrying.value = false;
    }
  }

  function show(job: ImportJob): void {
    current.value = job;
    poll(job.id);
  }

  /** Open a job from the list: show it at once, then its latest state. */
  async function open(job: ImportJob): Promise<void> {
    show(job);
    try {
      const latest = await getImport(job.id);
      if (current.value?.id === job.id) show(latest);
    } catch {
      // Shown by the request client.
    }
  }

  function checkFile(file: UploadRawFile): boolean {
    const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
    if (!IMPORT_FORMATS.some((format) => format === extension)) {
      ElMessage.error(t('catalog.import.typeInvalid'));
      return false;
    }
    if (file.size > IMPORT_MAX_BYTES) {
      ElMessage.error(t('catalog.import.tooLarge', { max: formatBytes(IMPORT_MAX_BYTES) }));
      return false;
    }
    return true;
  }

  async function upload(options: UploadRequestOptions): Promise<void> {
    uploading.value = true;
    try {
      const job = await startImport(options.file);
      ElMessage.success(t('catalog.import.started', { name: job.fileName }));
      show(job);
      if (!isActive(job)) finished(job);
      await loadJobs();
    } catch {
      // A wrong file (unknown columns, not UTF-8…) is a 400 with the reason; shown by the request client.
    } finally {
      uploading.value = false;
    }
  }

  /** A column as the reader knows it: its Chinese header in zh-CN, its key otherwise. */
  function columnLabel(column: string): string {
    return fileLanguage() === 'zh-CN' && column in IMPORT_CHINESE_HEADERS
      ? IMPORT_CHINESE_HEADERS[column as ImportReadColumn]
      : column;
  }

  /** A row error's reason from its code and params; the server's English text when the code is unknown here. */
  function errorText(error: ImportError): string {
    const key = `catalog.import.rowErrors.${error.code}`;
    if (!te(key)) return error.message;
    const params: Record<string, string | number> = { ...error.params };
    if (typeof params.column === 'string') params.column = columnLabel(params.column);
    return t(key, params);
  }

  async function downloadTemplate(format: ExportFormat): Promise<void> {
    try {
      const file = await downloadImportTemplate(format, fileLanguage());
      saveBlob(file.blob, file.fileName ?? `products-template.${format}`);
    } catch {
      // Shown by the request client.
    }
  }

  const downloadingReport = ref(false);
  async function downloadReport(job: ImportJob): Promise<void> {
    downloadingReport.value = true;
    try {
      const file = await downloadImportReport(job.id, 'xlsx', fileLanguage());
      saveBlob(file.blob, file.fileName ?? `import-${job.id}-errors.xlsx`);
    } catch {
      // Shown by the request client.
    } finally {
      downloadingReport.value = false;
    }
  }

  async function exportAs(format: ExportFormat): Promise<void> {
    exporting.value = format;
    try {
      const file = await exportProducts(format);
      saveBlob(file.blob, file.fileName ?? `products.${format}`);
    } catch {
      // Shown by the request client.
    } finally {
      exporting.value = null;
    }
  }

  onMounted(async () => {
    await loadJobs();
    // Pick up an import still running from before (another tab, a reload).
    const running = jobs.value.find((job) => isActive(job));
    if (running && !current.value) show(running);
  });

  onUnmounted(() => {
    disposed = true;
    stopPolling();
  });

  return {
    canManage,
    jobs,
    jobsLoading,
    current,
    uploading,
    retrying,
    exporting,
    columns: [...IMPORT_COLUMNS, ...IMPORT_YUAN_COLUMNS] as ImportReadColumn[],
    chineseHeaders: IMPORT_CHINESE_HEADERS,
    requiredColumns: REQUIRED_IMPORT_COLUMNS,
    accept: IMPORT_FORMATS.map((format) => `.${format}`).join(','),
    maxSize: formatBytes(IMPORT_MAX_BYTES),
    maxRows: IMPORT_MAX_ROWS.toLocaleString(),
    loadJobs,
    open,
    checkFile,
    upload,
    retry,
    failureOf,
    downloadTemplate,
    downloadReport,
    downloadingReport,
    errorText,
    exportAs,
  };
}
