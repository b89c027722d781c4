import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { BusinessCategory, Onboarding } from '@shopfleet/contracts';
import { getOnboarding, submitOnboarding } from '@/api/onboarding';
import { listSignupCategories } from '@/api/signup';
import { useLocalized } from '@/composables/useLocalized';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** The wizard's steps: shop info → documents → submit → status. */
export const ONBOARDING_STEPS = ['shop', 'documents', 'submit', 'status'] as const;

/**
 * The merchant's application: the shop's details from sign-up, the checklist of documents the rules
 * require, submitting for review, and the outcome. Everything comes from GET /onboarding; after any
 * change it is loaded again, so the page always shows what the server decided.
 */
export function useOnboarding() {
  const { t } = useI18n();
  const { nameOf } = useLocalized();
  const session = useMerchantSessionStore();

  const onboarding = ref<Onboarding | null>(null);
  const categories = shallowRef<BusinessCategory[]>([]);
  const loading = ref(false);
  const failed = ref(false);
  const submitting = ref(false);

  const canManage = computed(() => session.can('onboarding:document:manage'));
  const tenant = computed(() => onboarding.value?.tenant ?? null);
  const checklist = computed(() => onboarding.value?.checklist ?? []);
  const submitted = computed(() => Boolean(tenant.value?.submittedAt));
  const hasDrafts = computed(() => checklist.value.some((item) => item.current?.status === 'draft'));
  const hasRejected = computed(() => checklist.value.some((item) => item.current?.status === 'rejected'));
  const hasMissing = computed(() => checklist.value.some((item) => !item.current));

  /** First submission once every required document is there; afterwards whenever new drafts wait. */
  const canSubmitNow = computed(() => {
    const data = onboarding.value;
    if (!data || !canManage.value || data.tenant.status === 'suspended') return false;
    return (data.canSubmit && !submitted.value) || hasDrafts.value;
  });

  const activeStep = computed(() => {
    const data = onboarding.value;
    if (!data) return 0;
    if (data.tenant.status !== 'pending_review') return ONBOARDING_STEPS.length;
    if (submitted.value && !hasDrafts.value && !hasRejected.value) return 3;
    if (data.canSubmit && (hasDrafts.value || !submitted.value)) return 2;
    return 1;
  });

  const stepStatus = computed(() => (tenant.value?.status === 'suspended' || hasRejected.value ? 'error' : 'process'));

  const categoryName = computed(() => {
    const code = tenant.value?.categoryCode;
    if (!code) return '—';
    const found = categories.value.find((category) => category.code === code);
    return found ? nameOf(found) : code;
  });

  /** The status panel's headline: 审核中 / 已通过，店铺已开通 / 已暂停：reason. */
  const statusTitle = computed(() => {
    const current = tenant.value;
    if (!current) return '';
    if (current.status === 'suspended') return t('onboarding.statusSuspended', { reason: current.suspensionReason || t('common.none') });
    return t(`onboarding.status.${current.status}`);
  });

  const statusDetail = computed(() => {
    const current = tenant.value;
    if (!current || current.status !== 'pending_review') return current?.status === 'active' ? t('onboarding.detail.active') : '';
    if (hasRejected.value) return t('onboarding.detail.rejected');
    if (!submitted.value) return t('onboarding.detail.notSubmitted');
    if (hasDrafts.value) return t('onboarding.detail.drafts');
    return t('onboarding.detail.inReview');
  });

  /** Why the submit button is off, when it is. */
  const submitHint = computed(() => {
    const data = onboarding.value;
    if (!data) return '';
    if (!canManage.value) return t('onboarding.readOnly');
    if (canSubmitNow.value) return t('onboarding.submitReady');
    if (data.tenant.status === 'suspended') return '';
    if (hasMissing.value || hasRejected.value || !data.canSubmit) return t('onboarding.submitBlocked');
    return t('onboarding.submitDone');
  });

  function apply(next: Onboarding): void {
    onboarding.value = next;
    session.applyShop(next.tenant);
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await getOnboarding());
      failed.value = false;
    } catch {
      failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  async function loadCategories(): Promise<void> {
    try {
      categories.value = await listSignupCategories();
    } catch {
      categories.value = [];
    }
  }

  async function submit(): Promise<void> {
    if (!canSubmitNow.value) return;
    submitting.value = true;
    try {
      apply(await submitOnboarding());
      ElMessage.success(t('onboarding.submitted'));
    } catch {
      // Shown by the request client; the checklist may have changed meanwhile.
      await load();
    } finally {
      submitting.value = false;
    }
  }

  onMounted(() => {
    void load();
    void loadCategories();
  });

  return {
    onboarding,
    tenant,
    checklist,
    loading,
    failed,
    submitting,
    canManage,
    submitted,
    canSubmitNow,
    activeStep,
    stepStatus,
    categoryName,
    statusTitle,
    statusDetail,
    submitHint,
    steps: ONBOARDING_STEPS,
    load,
    submit,
  };
}
