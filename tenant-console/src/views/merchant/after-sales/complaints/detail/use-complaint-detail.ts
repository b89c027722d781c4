import { computed, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { Complaint } from '@shopfleet/contracts';
import { COMPLAINT_LIMITS } from '@shopfleet/contracts/constants';
import { answerComplaint, getComplaint } from '@/api/complaints';
import { isApiError } from '@/api/request';
import { useAfterSalesCountsStore } from '@/stores/after-sales-counts';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { usePhotoPicker } from '../../detail/use-photo-picker';

/**
 * One complaint against the shop, by id: what it is about, what each side said, the platform's decision, WeChat Pay's
 * side; and, while it is open and the merchant may manage after-sales, the shop's statement (text and photos, uploaded
 * as the refusal dialog's are). The page shows the complaint the server answers with; decided or withdrawn meanwhile
 * (409 COMPLAINT_NOT_OPEN, said by the request client) it is read again and the form goes.
 */
export function useComplaintDetail(id: () => number) {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const counts = useAfterSalesCountsStore();

  const item = shallowRef<Complaint | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const failed = ref(false);

  const canOpenOrder = computed(() => session.can('order:order:read'));
  const canAnswer = computed(() => session.can('aftersale:case:manage') && item.value?.status === 'open');

  const statement = ref('');
  const statementError = ref('');
  const photos = usePhotoPicker(COMPLAINT_LIMITS.photosMax);
  const sending = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    notFound.value = false;
    failed.value = false;
    try {
      item.value = await getComplaint(id());
    } catch (error) {
      item.value = null;
      if (isApiError(error) && error.code === 'NOT_FOUND') notFound.value = true;
      else failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  async function answer(): Promise<void> {
    const current = item.value;
    if (!current || !canAnswer.value) return;
    const text = statement.value.trim();
    if (!text || text.length > COMPLAINT_LIMITS.statementMax) {
      statementError.value = t('afterSales.complaints.answer.required', { max: COMPLAINT_LIMITS.statementMax });
      return;
    }
    if (photos.uploading.value) {
      ElMessage.warning(t('afterSales.photos.uploading'));
      return;
    }
    sending.value = true;
    try {
      item.value = await answerComplaint(current.id, { statement: text, photoIds: [...photos.photoIds.value] });
      statement.value = '';
      photos.clear();
      ElMessage.success(t('afterSales.complaints.answer.done'));
    } catch (error) {
      if (isApiError(error) && error.reason === 'COMPLAINT_NOT_OPEN') await load();
    } finally {
      sending.value = false;
      void counts.refresh();
    }
  }

  watch(statement, () => (statementError.value = ''));
  watch(id, load, { immediate: true });

  return {
    item,
    loading,
    notFound,
    failed,
    canOpenOrder,
    canAnswer,
    statement,
    statementError,
    statementMax: COMPLAINT_LIMITS.statementMax,
    photos,
    sending,
    load,
    answer,
  };
}
