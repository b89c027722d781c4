import { computed, onMounted, onUnmounted, reactive, ref, shallowRef, useTemplateRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElMessage, type FormInstance, type FormItemRule, type FormRules } from 'element-plus';
import type { BusinessCategory, SignupBody, SubjectType } from '@shopfleet/contracts';
import { PHONE_PATTERN, SLUG_PATTERN, SUBJECT_TYPES } from '@shopfleet/contracts/constants';
import { isApiError } from '@/api/request';
import { translator } from '@/locales';
import { issueText, issuesOf as serverIssues } from '@/utils/error-text';
import { checkSlugAvailability, listSignupCategories, sendSignupSmsCode } from '@/api/signup';
import { ONBOARDING_ROUTE } from '@/router/routes';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export interface SignupForm {
  shopName: string;
  slug: string;
  subjectType: SubjectType | '';
  categoryCode: string;
  contactName: string;
  contactPhone: string;
  smsCode: string;
  email: string;
  password: string;
}

type Field = keyof SignupForm;

/** What the live check knows about the slug typed; `idle` while empty or when the check could not run. */
export type SlugState = 'idle' | 'checking' | 'available' | 'taken' | 'invalid' | 'reserved';

const FIELDS: readonly Field[] = [
  'shopName',
  'slug',
  'subjectType',
  'categoryCode',
  'contactName',
  'contactPhone',
  'smsCode',
  'email',
  'password',
];
const SLUG_CHECK_DELAY_MS = 400;
const PASSWORD_MIN = 10;

function isField(value: string): value is Field {
  return FIELDS.some((field) => field === value);
}

/** `body.slug` (a VALIDATION_FAILED issue path) → `slug`. */
function fieldOfIssuePath(path: unknown): Field | null {
  if (typeof path !== 'string') return null;
  const [part, key] = path.split('.');
  return part === 'body' && key && isField(key) ? key : null;
}

interface Issue {
  field: Field;
  message: string;
}

function issuesOf(details: unknown): Issue[] {
  return serverIssues(details).flatMap((issue) => {
    const field = fieldOfIssuePath(issue.path);
    // Said from the issue's code and params in the reader's language, never the server's English.
    return field ? [{ field, message: issueText(translator, issue) }] : [];
  });
}

/** A CONFLICT that names its field (`details.field` or `details.path`), when the server says which. */
function conflictField(details: unknown): Field | null {
  if (typeof details !== 'object' || details === null) return null;
  const record = details as Record<string, unknown>;
  for (const candidate of [record.field, record.path]) {
    if (typeof candidate !== 'string') continue;
    const key = candidate.startsWith('body.') ? candidate.slice(5) : candidate;
    if (isField(key)) return key;
  }
  return null;
}

/**
 * The sign-up page: one form that creates the account and the shop (pending review). The slug is
 * checked live as it is typed; the contact phone is verified with an SMS code; server errors land on
 * their fields. Success signs in and opens the application.
 */
export function useSignup() {
  const { t, te } = useI18n();
  const router = useRouter();
  const session = useMerchantSessionStore();

  const formRef = useTemplateRef<FormInstance>('signupForm');
  const form = reactive<SignupForm>({
    shopName: '',
    slug: '',
    subjectType: '',
    categoryCode: '',
    contactName: '',
    contactPhone: '',
    smsCode: '',
    email: '',
    password: '',
  });
  const fieldErrors = reactive<Partial<Record<Field, string>>>({});
  const errorMessage = ref('');
  const submitting = ref(false);

  // ---- categories ----
  const categories = shallowRef<BusinessCategory[]>([]);
  const loadingCategories = ref(false);

  async function loadCategories(): Promise<void> {
    loadingCategories.value = true;
    try {
      const all = await listSignupCategories();
      categories.value = all.filter((category) => category.active).sort((a, b) => a.sort - b.sort);
    } catch {
      categories.value = [];
    } finally {
      loadingCategories.value = false;
    }
  }

  // ---- live slug check ----
  const slugState = ref<SlugState>('idle');
  /** The slug the state is about; a state about an older value is stale. */
  let slugCheckedFor = '';
  let slugTimer: ReturnType<typeof setTimeout> | null = null;
  let slugAbort: AbortController | null = null;
  let slugCheck: Promise<void> | null = null;

  function cancelSlugCheck(): void {
    if (slugTimer !== null) clearTimeout(slugTimer);
    slugTimer = null;
    slugAbort?.abort();
    slugAbort = null;
  }

  async function runSlugCheck(slug: string): Promise<void> {
    const controller = new AbortController();
    slugAbort = controller;
    try {
      const result = await checkSlugAvailability(slug, controller.signal);
      if (controller.signal.aborted || form.slug.trim() !== slug) return;
      slugCheckedFor = slug;
      slugState.value = result.available ? 'available' : (result.reason ?? 'taken');
    } catch {
      if (controller.signal.aborted) return;
      slugCheckedFor = '';
      slugState.value = 'idle';
    } finally {
      if (slugAbort === controller) slugAbort = null;
    }
  }

  function scheduleSlugCheck(): void {
    cancelSlugCheck();
    slugCheck = null;
    const slug = form.slug.trim();
    slugCheckedFor = '';
    if (!slug) {
      slugState.value = 'idle';
      return;
    }
    if (!SLUG_PATTERN.test(slug)) {
      slugCheckedFor = slug;
      slugState.value = 'invalid';
      return;
    }
    slugState.value = 'checking';
    slugCheck = new Promise<void>((resolve) => {
      slugTimer = setTimeout(() => {
        slugTimer = null;
        void runSlugCheck(slug).finally(resolve);
      }, SLUG_CHECK_DELAY_MS);
    });
  }

  /** Before submitting: the answer about the slug as typed now (skipping the debounce). */
  async function settleSlugCheck(): Promise<void> {
    const slug = form.slug.trim();
    if (slugCheckedFor === slug && slugState.value !== 'checking') return;
    if (slugTimer !== null) {
      cancelSlugCheck();
      slugState.value = 'checking';
      slugCheck = runSlugCheck(slug);
    }
    await slugCheck;
  }

  const slugMessage = computed(() => (slugState.value === 'idle' ? '' : t(`signup.slugState.${slugState.value}`)));

  // ---- SMS code ----
  const sendingCode = ref(false);
  const countdown = ref(0);
  let countdownTimer: ReturnType<typeof setInterval> | null = null;

  function startCountdown(seconds: number): void {
    if (countdownTimer !== null) clearInterval(countdownTimer);
    countdown.value = Math.max(0, Math.ceil(seconds));
    countdownTimer = setInterval(() => {
      countdown.value = Math.max(0, countdown.value - 1);
      if (countdown.value === 0 && countdownTimer !== null) {
        clearInterval(countdownTimer);
        countdownTimer = null;
      }
    }, 1000);
  }

  async function sendCode(): Promise<void> {
    const phoneValid = await formRef.value?.validateField('contactPhone').then(
      () => true,
      () => false,
    );
    if (!phoneValid) return;
    sendingCode.value = true;
    try {
      const sent = await sendSignupSmsCode(form.contactPhone.trim());
      startCountdown(sent.retryAfterSeconds);
      ElMessage.success(t('signup.codeSent'));
    } catch {
      // Shown by the request client.
    } finally {
      sendingCode.value = false;
    }
  }

  const sendCodeLabel = computed(() =>
    countdown.value > 0 ? t('signup.resendIn', { seconds: countdown.value }) : t('signup.sendCode'),
  );

  // ---- rules ----
  const slugRule: FormItemRule = {
    trigger: 'blur',
    validator: (_rule, _value, callback) => {
      const state = slugState.value;
      if (state === 'taken' || state === 'reserved' || state === 'invalid')
        callback(new Error(t(`signup.slugState.${state}`)));
      else callback();
    },
  };

  const rules = computed<FormRules<SignupForm>>(() => ({
    shopName: [
      { required: true, whitespace: true, message: t('signup.shopNameRequired'), trigger: 'blur' },
      { min: 2, max: 60, message: t('signup.shopNameLength'), trigger: 'blur' },
    ],
    slug: [
      { required: true, message: t('signup.slugRequired'), trigger: 'blur' },
      { pattern: SLUG_PATTERN, message: t('signup.slugState.invalid'), trigger: 'blur' },
      slugRule,
    ],
    subjectType: [{ required: true, message: t('signup.subjectRequired'), trigger: 'change' }],
    categoryCode: [{ required: true, message: t('signup.categoryRequired'), trigger: 'change' }],
    contactName: [
      { required: true, whitespace: true, message: t('signup.contactNameRequired'), trigger: 'blur' },
      { max: 40, message: t('signup.contactNameLength'), trigger: 'blur' },
    ],
    contactPhone: [
      { required: true, message: t('signup.phoneRequired'), trigger: 'blur' },
      { pattern: PHONE_PATTERN, message: t('signup.phoneInvalid'), trigger: 'blur' },
    ],
    smsCode: [
      { required: true, message: t('signup.codeRequired'), trigger: 'blur' },
      { pattern: /^\d{6}$/, message: t('signup.codeInvalid'), trigger: 'blur' },
    ],
    email: [
      { required: true, message: t('login.emailRequired'), trigger: 'blur' },
      { type: 'email', message: t('login.emailInvalid'), trigger: 'blur' },
    ],
    password: [
      { required: true, message: t('login.passwordRequired'), trigger: 'blur' },
      { min: PASSWORD_MIN, max: 200, message: t('signup.passwordLength', { min: PASSWORD_MIN }), trigger: 'blur' },
    ],
  }));

  // A server error on a field stays until that field changes.
  for (const field of FIELDS) {
    watch(
      () => form[field],
      () => {
        if (fieldErrors[field]) fieldErrors[field] = '';
      },
    );
  }
  watch(() => form.slug, scheduleSlugCheck);

  function clearServerErrors(): void {
    for (const field of FIELDS) fieldErrors[field] = '';
    errorMessage.value = '';
  }

  function bodyOf(): SignupBody | null {
    if (!form.subjectType) return null;
    return {
      shopName: form.shopName.trim(),
      slug: form.slug.trim(),
      subjectType: form.subjectType,
      categoryCode: form.categoryCode,
      contactName: form.contactName.trim(),
      contactPhone: form.contactPhone.trim(),
      smsCode: form.smsCode.trim(),
      email: form.email.trim(),
      password: form.password,
    };
  }

  async function showError(error: unknown): Promise<void> {
    if (!isApiError(error)) {
      errorMessage.value = error instanceof Error ? error.message : t('errors.INTERNAL');
      return;
    }
    switch (error.code) {
      case 'VALIDATION_FAILED': {
        const issues = issuesOf(error.details);
        for (const issue of issues) {
          const key = `signup.invalid.${issue.field}`;
          fieldErrors[issue.field] = te(key) ? t(key) : issue.message;
        }
        errorMessage.value = issues.length ? t('signup.fixFields') : error.message;
        return;
      }
      case 'OTP_INVALID':
        fieldErrors.smsCode = t('signup.codeWrong');
        errorMessage.value = t('signup.fixFields');
        return;
      case 'CONFLICT': {
        // Either the slug or the email is taken; ask again about the slug when the server does not say.
        let field = conflictField(error.details);
        if (!field) {
          const slug = form.slug.trim();
          const again = await checkSlugAvailability(slug).catch(() => null);
          if (again && !again.available) {
            slugCheckedFor = slug;
            slugState.value = again.reason ?? 'taken';
          }
          field = again && !again.available ? 'slug' : 'email';
        }
        fieldErrors[field] =
          field === 'slug' ? t('signup.slugState.taken') : field === 'email' ? t('signup.emailTaken') : error.message;
        errorMessage.value = t('signup.fixFields');
        return;
      }
      default:
        errorMessage.value = error.message;
    }
  }

  async function submit(): Promise<void> {
    clearServerErrors();
    if (form.slug.trim()) await settleSlugCheck();
    const valid = await formRef.value?.validate().catch(() => false);
    const body = bodyOf();
    if (!valid || !body) return;
    submitting.value = true;
    try {
      await session.signup(body);
      await router.replace({ name: ONBOARDING_ROUTE });
    } catch (error) {
      await showError(error);
    } finally {
      submitting.value = false;
    }
  }

  onMounted(loadCategories);
  onUnmounted(() => {
    cancelSlugCheck();
    if (countdownTimer !== null) clearInterval(countdownTimer);
  });

  return {
    form,
    rules,
    fieldErrors,
    errorMessage,
    submitting,
    categories,
    loadingCategories,
    slugState,
    slugMessage,
    subjectTypes: SUBJECT_TYPES,
    sendingCode,
    countdown,
    sendCodeLabel,
    sendCode,
    submit,
  };
}
