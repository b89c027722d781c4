import { computed, reactive, ref, useTemplateRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { FormInstance, FormRules } from 'element-plus';
import { getInvitationPreview, type InvitationPreview } from '@/api/invitations';
import { isApiError } from '@/api/request';
import { merchantLanding } from '@/router/guards';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export interface AcceptForm {
  email: string;
  name: string;
  password: string;
}

const PASSWORD_MIN = 10;

/** The public page behind an invitation link: what the invitation is for, and joining the shop. */
export function useInvitation(token: () => string) {
  const { t } = useI18n();
  const router = useRouter();
  const session = useMerchantSessionStore();

  const preview = ref<InvitationPreview | null>(null);
  const loading = ref(false);
  /** The link is unknown, used, revoked or expired. */
  const invalid = ref(false);
  const loadFailed = ref(false);

  const formRef = useTemplateRef<FormInstance>('acceptForm');
  const form = reactive<AcceptForm>({ email: '', name: '', password: '' });
  const submitting = ref(false);
  const errorMessage = ref('');
  const passwordError = ref('');

  const rules = computed<FormRules<AcceptForm>>(() => ({
    email: [
      { required: true, message: t('login.emailRequired'), trigger: 'blur' },
      { type: 'email', message: t('login.emailInvalid'), trigger: 'blur' },
    ],
    name: [
      { required: true, whitespace: true, message: t('invite.nameRequired'), trigger: 'blur' },
      { max: 40, message: t('invite.nameLength'), trigger: 'blur' },
    ],
    password: [
      { required: true, message: t('login.passwordRequired'), trigger: 'blur' },
      { min: PASSWORD_MIN, max: 200, message: t('signup.passwordLength', { min: PASSWORD_MIN }), trigger: 'blur' },
    ],
  }));

  async function load(): Promise<void> {
    loading.value = true;
    invalid.value = false;
    loadFailed.value = false;
    try {
      preview.value = await getInvitationPreview(token());
      form.email = preview.value.email ?? '';
    } catch (error) {
      preview.value = null;
      // A malformed token fails validation; either way there is nothing to accept.
      if (
        isApiError(error) &&
        (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED' || error.code === 'CONFLICT')
      )
        invalid.value = true;
      else {
        loadFailed.value = true;
        errorMessage.value = error instanceof Error ? error.message : t('errors.INTERNAL');
      }
    } finally {
      loading.value = false;
    }
  }

  async function submit(): Promise<void> {
    errorMessage.value = '';
    passwordError.value = '';
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    submitting.value = true;
    try {
      const me = await session.acceptInvitation(token(), {
        email: form.email.trim(),
        name: form.name.trim(),
        password: form.password,
      });
      await router.replace(merchantLanding(me, null));
    } catch (error) {
      if (isApiError(error) && error.code === 'INVALID_CREDENTIALS') passwordError.value = t('invite.wrongPassword');
      else if (isApiError(error) && error.code === 'NOT_FOUND') invalid.value = true;
      else errorMessage.value = error instanceof Error ? error.message : t('errors.INTERNAL');
    } finally {
      submitting.value = false;
    }
  }

  watch(
    () => form.password,
    () => (passwordError.value = ''),
  );
  watch(token, load, { immediate: true });

  return { preview, loading, invalid, loadFailed, form, rules, submitting, errorMessage, passwordError, load, submit };
}
