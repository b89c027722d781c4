import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { QuickReply } from '@shopfleet/contracts';
import { SUPPORT_LIMITS } from '@shopfleet/contracts/constants';
import { createQuickReply, deleteQuickReply, listQuickReplies, updateQuickReply } from '@/api/support';

/** The shop's quick replies (shared by its agents): the list, the editor dialog's state, deleting one. */
export function useQuickReplies() {
  const { t } = useI18n();
  const replies = shallowRef<QuickReply[]>([]);
  const loading = ref(false);
  const saving = ref(false);
  const busyId = ref<number | null>(null);
  const full = computed(() => replies.value.length >= SUPPORT_LIMITS.quickRepliesMax);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      replies.value = await listQuickReplies();
    } catch {
      // Shown by the request client.
    } finally {
      loading.value = false;
    }
  }

  // ---- the editor dialog ----
  const dialogOpen = ref(false);
  /** The reply being changed; null for a new one. */
  const editing = shallowRef<QuickReply | null>(null);
  const text = ref('');
  const textOk = computed(() => {
    const trimmed = text.value.trim();
    return trimmed.length > 0 && trimmed.length <= SUPPORT_LIMITS.quickReplyMax;
  });

  function openNew(): void {
    editing.value = null;
    text.value = '';
    dialogOpen.value = true;
  }

  function openEdit(reply: QuickReply): void {
    editing.value = reply;
    text.value = reply.text;
    dialogOpen.value = true;
  }

  async function save(): Promise<void> {
    if (!textOk.value || saving.value) return;
    saving.value = true;
    try {
      const trimmed = text.value.trim();
      if (editing.value) await updateQuickReply(editing.value.id, trimmed);
      else await createQuickReply(trimmed);
      ElMessage.success(t('support.quickReplies.saved'));
      dialogOpen.value = false;
      await load();
    } catch {
      // Shown by the request client.
    } finally {
      saving.value = false;
    }
  }

  async function remove(reply: QuickReply): Promise<void> {
    try {
      await ElMessageBox.confirm(t('support.quickReplies.deleteConfirm'), t('common.delete'), {
        type: 'warning',
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    busyId.value = reply.id;
    try {
      await deleteQuickReply(reply.id);
      ElMessage.success(t('support.quickReplies.deleted'));
      await load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  onMounted(load);

  return {
    replies,
    loading,
    saving,
    busyId,
    full,
    max: SUPPORT_LIMITS.quickRepliesMax,
    textMax: SUPPORT_LIMITS.quickReplyMax,
    load,
    dialogOpen,
    editing,
    text,
    textOk,
    openNew,
    openEdit,
    save,
    remove,
  };
}
