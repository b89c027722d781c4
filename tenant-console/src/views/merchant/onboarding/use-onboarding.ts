import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { BusinessCategory, Onboarding, OnboardingState } from '@shopfleet/contracts';
import { getOnboarding, submitOnboarding } from '@/api/onboarding';
import { listSignupCategories } from '@/api/signup';
import { useLocalized } from '@/composables/use-localized';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** The wizard's steps: shop info → documents → submit → status. */
export const ONBOARDING_STEPS = ['shop', 'documents', 'submit', 'status'] as const;

/** The step each state is at (the steps before it are done). */
const STEP_OF: Record<OnboardingState, number> = {
  not_started: 1,
  incomplete: 1,
  changes_requested: 1,
  ready_to_submit: 2,
  in_review: 3,
  approved: ONBOARDING_STEPS.length,
  suspended: ONBOARDING_STEPS.length,
};

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
  /** The one state the server derived; the banner, the steps, the button and its hint all read it. */
  const state = computed<OnboardingState | null>(() => onboarding.value?.state ?? null);

  const canSubmitNow = computed(() => canManage.value && state.value === 'ready_to_submit');

  const activeStep = computed(() => (state.value ? STEP_OF[state.value] : 0));

  const stepStatus = computed(() =>
    state.value === 'changes_requested' || state.value === 'suspended' ? 'error' : 'process',
  );

  const categoryName = computed(() => {
    const code = tenant.value?.categoryCode;
    if (!code) return '—';
    const found = categories.value.find((category) => category.code === code);
    return found ? nameOf(found) : code;
  });

  /** The status panel's headline: 待上传资料 / 待提交审核 / 审核中 / 需要修改 / 已通过 / 已暂停：reason. */
  const statusTitle = computed(() => {
    const current = state.value;
    if (!current) return '';
    if (current === 'suspended')
      return t('onboarding.statusSuspended', { reason: tenant.value?.suspensionReason || t('common.none') });
    return t(`onboarding.state.${current}`);
  });

  const statusDetail = computed(() => (state.value ? t(`onboarding.stateDetail.${state.value}`) : ''));

  /** What the submit button does now, or why it is off. */
  const submitHint = computed(() => {
    if (!state.value) return '';
    if (!canManage.value) return t('onboarding.readOnly');
    return t(`onboarding.submitHint.${state.value}`);
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
    state,
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
