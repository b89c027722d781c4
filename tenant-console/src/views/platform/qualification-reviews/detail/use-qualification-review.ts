import { computed, reactive, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElMessage } from 'element-plus';
import type { QualificationFile, RejectReason } from '@shopfleet/contracts';
import { REJECT_REASONS } from '@shopfleet/contracts/constants';
import {
  approveDocument,
  getReviewDocument,
  getReviewFileUrl,
  rejectDocument,
  revealDocument,
  type ReviewDocument,
} from '@/api/qualification-reviews';
import { isApiError } from '@/api/request';
import { usePlatformSessionStore } from '@/stores/platform-session';
import { downloadFrom } from '@/utils/download';
import { qualificationReviewQueueLocation } from '../queue/use-qualification-review-queue';

/** A file's signed address for the inline preview; `failed` when it could not be had or did not load. */
export interface InlineFile {
  url: string | null;
  loading: boolean;
  failed: boolean;
}

/**
 * One document under review: its fields (sensitive ones masked until revealed, which is audited), its
 * files previewed inline through short-lived addresses (fetched again for every zoom or new tab), its
 * earlier versions, and the decision: approve, or reject with a reason.
 */
export function useQualificationReview(tenantId: () => number, documentId: () => number) {
  const { t } = useI18n();
  const router = useRouter();
  const session = usePlatformSessionStore();

  const doc = ref<ReviewDocument | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const failed = ref(false);

  const inline = reactive<Record<number, InlineFile>>({});
  const viewerUrls = ref<string[]>([]);
  const opening = ref<number | null>(null);

  const revealed = ref<Record<string, string> | null>(null);
  const revealing = ref(false);

  const approveNote = ref('');
  const rejectReason = ref<RejectReason | ''>('');
  const rejectNote = ref('');
  const rejectError = ref('');
  const deciding = ref<'approve' | 'reject' | null>(null);

  const canReveal = computed(() => session.can('platform:review:decide'));
  const canDecide = computed(() => session.can('platform:review:decide') && doc.value?.status === 'pending');
  const hasSensitive = computed(() => doc.value?.documentType.fields.some((field) => field.sensitive) ?? false);

  function fieldValue(key: string): string {
    return revealed.value?.[key] ?? doc.value?.fields[key] ?? '—';
  }

  async function fetchInline(file: QualificationFile): Promise<void> {
    // Work on the reactive entry (not a plain object put into it), so the template follows.
    inline[file.id] ??= { url: null, loading: false, failed: false };
    const state = inline[file.id];
    if (!state) return;
    state.loading = true;
    state.failed = false;
    try {
      const signed = await getReviewFileUrl(tenantId(), documentId(), file.id);
      state.url = signed.url;
    } catch {
      state.url = null;
      state.failed = true;
    } finally {
      state.loading = false;
    }
  }

  /** The inline image or frame could not load its address (it may have expired): try a fresh one once asked. */
  function markBroken(fileId: number): void {
    const state = inline[fileId];
    if (state) state.failed = true;
  }

  async function load(): Promise<void> {
    loading.value = true;
    notFound.value = false;
    failed.value = false;
    revealed.value = null;
    for (const key of Object.keys(inline)) delete inline[Number(key)];
    try {
      doc.value = await getReviewDocument(tenantId(), documentId());
      // Images show inline (an <img> runs nothing); a PDF is only ever downloaded, so none is fetched here.
      await Promise.all(doc.value.files.filter((file) => file.contentType !== 'application/pdf').map(fetchInline));
    } catch (error) {
      doc.value = null;
      if (isApiError(error) && error.code === 'NOT_FOUND') notFound.value = true;
      else failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  /** Zoom an image, or download a PDF, always with a freshly signed address. */
  async function openFile(file: QualificationFile, versionId: number = documentId()): Promise<void> {
    if (opening.value !== null) return;
    opening.value = file.id;
    try {
      const { url } = await getReviewFileUrl(tenantId(), versionId, file.id);
      if (file.contentType === 'application/pdf') downloadFrom(url);
      else viewerUrls.value = [url];
    } catch {
      // The request client has told the reviewer; nothing opens.
    } finally {
      opening.value = null;
    }
  }

  /** For the history's file tiles: a fresh address of a file of an earlier version. */
  function versionFileUrl(versionId: number) {
    return (file: QualificationFile) => getReviewFileUrl(tenantId(), versionId, file.id);
  }

  async function reveal(): Promise<void> {
    revealing.value = true;
    try {
      revealed.value = (await revealDocument(tenantId(), documentId())).fields;
    } catch {
      // Shown by the request client.
    } finally {
      revealing.value = false;
    }
  }

  async function finish(message: string): Promise<void> {
    ElMessage.success(message);
    await router.push(qualificationReviewQueueLocation());
  }

  async function approve(): Promise<void> {
    if (!canDecide.value) return;
    deciding.value = 'approve';
    try {
      const note = approveNote.value.trim();
      await approveDocument(tenantId(), documentId(), note ? { note } : {});
      await finish(t('qualificationReview.approved'));
    } catch {
      await load();
    } finally {
      deciding.value = null;
    }
  }

  async function reject(): Promise<void> {
    if (!canDecide.value) return;
    rejectError.value = '';
    const reason = rejectReason.value;
    const note = rejectNote.value.trim();
    if (!reason) {
      rejectError.value = t('qualificationReview.reasonRequired');
      return;
    }
    if (reason === 'other' && !note) {
      rejectError.value = t('qualificationReview.noteRequired');
      return;
    }
    deciding.value = 'reject';
    try {
      await rejectDocument(tenantId(), documentId(), { reason, note });
      await finish(t('qualificationReview.rejected'));
    } catch {
      await load();
    } finally {
      deciding.value = null;
    }
  }

  watch([rejectReason, rejectNote], () => (rejectError.value = ''));
  watch(
    () => `${tenantId()}/${documentId()}`,
    () => {
      approveNote.value = '';
      rejectReason.value = '';
      rejectNote.value = '';
      void load();
    },
    { immediate: true },
  );

  return {
    doc,
    loading,
    notFound,
    failed,
    inline,
    viewerUrls,
    opening,
    revealed,
    revealing,
    canReveal,
    canDecide,
    hasSensitive,
    approveNote,
    rejectReason,
    rejectNote,
    rejectError,
    deciding,
    reasons: REJECT_REASONS,
    fieldValue,
    fetchInline,
    markBroken,
    load,
    openFile,
    versionFileUrl,
    reveal,
    approve,
    reject,
    backLocation: qualificationReviewQueueLocation,
  };
}
