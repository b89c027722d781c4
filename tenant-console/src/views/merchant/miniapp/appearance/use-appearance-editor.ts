import { computed, nextTick, onMounted, reactive, ref, shallowRef, useTemplateRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  ElMessage,
  type FormInstance,
  type FormItemRule,
  type FormRules,
  type UploadRawFile,
  type UploadRequestOptions,
} from 'element-plus';
import type { Appearance, AppearanceBody, ShopSettings } from '@shopfleet/contracts';
import {
  APPEARANCE_LIMITS,
  HEX_COLOR,
  HOME_SECTIONS,
  LOGO_MAX_BYTES,
  SERVICE_PHONE_PATTERN,
  wechatWidth,
  type HomeSection,
} from '@shopfleet/contracts/constants';
import { getAppearance, getShop, LOGO_TYPES, updateAppearance, uploadShareImage, uploadShopLogo } from '@/api/shop';
import { isApiError } from '@/api/request';
import { translator } from '@/locales';
import { issueText, issuesOf as serverIssues } from '@/utils/error-text';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** The form: the body PUT /shop/appearance takes, with the optional phone as text ('' for none). */
export type AppearanceForm = Omit<AppearanceBody, 'customerService'> & {
  customerService: { enabled: boolean; phone: string };
};
export type NavigationTextStyle = AppearanceBody['navigationBar']['textStyle'];
export const TEXT_STYLES: readonly NavigationTextStyle[] = ['black', 'white'];

/** The fields an error is shown next to, named like the server's issue paths without `body.`. */
export const APPEARANCE_FIELDS = [
  'name',
  'themeColor',
  'accentColor',
  'navigationBar.backgroundColor',
  'navigationBar.textStyle',
  'tabBar.color',
  'tabBar.selectedColor',
  'tabBar.backgroundColor',
  'tabBar.labels.home',
  'tabBar.labels.category',
  'tabBar.labels.cart',
  'tabBar.labels.user',
  'home.sections',
  'home.notice',
  'customerService.enabled',
  'customerService.phone',
  'share.title',
] as const;
export type AppearanceField = (typeof APPEARANCE_FIELDS)[number];

/** What is wrong with a field: an i18n key and its parameters. */
interface Problem {
  key: string;
  params?: Record<string, unknown>;
}

const L = APPEARANCE_LIMITS;
const COLOR_PROBLEM: Problem = { key: 'miniapp.appearance.errors.color' };

const colorProblem = (value: string): Problem | null => (HEX_COLOR.test(value) ? null : COLOR_PROBLEM);

function tabLabelProblem(value: string): Problem | null {
  const label = value.trim();
  if (!label) return { key: 'miniapp.appearance.errors.tabLabelRequired' };
  return wechatWidth(label) > L.tabLabelMaxWidth
    ? { key: 'miniapp.appearance.errors.tabLabel', params: { max: L.tabLabelMaxWidth } }
    : null;
}

/** The server's rules (contracts appearanceBodySchema), checked before saving. */
const CHECKS: Record<AppearanceField, (form: AppearanceForm) => Problem | null> = {
  name: (form) => {
    const width = wechatWidth(form.name.trim());
    const fits = width >= L.nameMinWidth && width <= L.nameMaxWidth;
    return fits
      ? null
      : { key: 'miniapp.appearance.errors.name', params: { min: L.nameMinWidth, max: L.nameMaxWidth } };
  },
  themeColor: (form) => colorProblem(form.themeColor),
  accentColor: (form) => colorProblem(form.accentColor),
  'navigationBar.backgroundColor': (form) => colorProblem(form.navigationBar.backgroundColor),
  'navigationBar.textStyle': (form) =>
    TEXT_STYLES.includes(form.navigationBar.textStyle) ? null : { key: 'miniapp.appearance.errors.textStyle' },
  'tabBar.color': (form) => colorProblem(form.tabBar.color),
  'tabBar.selectedColor': (form) => colorProblem(form.tabBar.selectedColor),
  'tabBar.backgroundColor': (form) => colorProblem(form.tabBar.backgroundColor),
  'tabBar.labels.home': (form) => tabLabelProblem(form.tabBar.labels.home),
  'tabBar.labels.category': (form) => tabLabelProblem(form.tabBar.labels.category),
  'tabBar.labels.cart': (form) => tabLabelProblem(form.tabBar.labels.cart),
  'tabBar.labels.user': (form) => tabLabelProblem(form.tabBar.labels.user),
  'home.sections': (form) => {
    const types = form.home.sections.map((section) => section.type);
    const valid = types.length > 0 && types.length <= HOME_SECTIONS.length && new Set(types).size === types.length;
    return valid ? null : { key: 'miniapp.appearance.errors.sections' };
  },
  'home.notice': (form) =>
    form.home.notice.trim().length > L.noticeMax
      ? { key: 'miniapp.appearance.errors.notice', params: { max: L.noticeMax } }
      : null,
  'customerService.enabled': () => null,
  'customerService.phone': (form) => {
    const phone = form.customerService.phone.trim();
    return phone === '' || SERVICE_PHONE_PATTERN.test(phone) ? null : { key: 'miniapp.appearance.errors.phone' };
  },
  'share.title': (form) =>
    form.share.title.trim().length > L.shareTitleMax
      ? { key: 'miniapp.appearance.errors.shareTitle', params: { max: L.shareTitleMax } }
      : null,
};

/** Text is checked when it is left (not at every key); choices as they change. */
const BLUR_FIELDS: readonly AppearanceField[] = [
  'name',
  'tabBar.labels.home',
  'tabBar.labels.category',
  'tabBar.labels.cart',
  'tabBar.labels.user',
  'home.notice',
  'customerService.phone',
  'share.title',
];

/**
 * The sections as the editor lists them: the saved order, then any section the saved layout leaves out
 * (switched off), so all five can always be ordered and switched.
 */
function sectionsOf(saved: Appearance['home']['sections']): AppearanceForm['home']['sections'] {
  const seen = new Set<HomeSection>();
  const rows: AppearanceForm['home']['sections'] = [];
  for (const section of saved) {
    if (seen.has(section.type)) continue;
    seen.add(section.type);
    rows.push({ type: section.type, enabled: section.enabled });
  }
  for (const type of HOME_SECTIONS) if (!seen.has(type)) rows.push({ type, enabled: false });
  return rows;
}

function formOf(appearance: Appearance): AppearanceForm {
  const { navigationBar, tabBar, home, customerService, share } = appearance;
  return {
    name: appearance.name,
    themeColor: appearance.themeColor,
    accentColor: appearance.accentColor,
    navigationBar: { backgroundColor: navigationBar.backgroundColor, textStyle: navigationBar.textStyle },
    tabBar: {
      color: tabBar.color,
      selectedColor: tabBar.selectedColor,
      backgroundColor: tabBar.backgroundColor,
      labels: { ...tabBar.labels },
    },
    home: { sections: sectionsOf(home.sections), notice: home.notice },
    customerService: { enabled: customerService.enabled, phone: customerService.phone ?? '' },
    share: { title: share.title },
  };
}

/** The body PUT /shop/appearance takes (a plain object: it is also posted to the preview frame). */
function bodyOf(form: AppearanceForm): AppearanceBody {
  const { navigationBar, tabBar, home, customerService, share } = form;
  const color = (value: string): string => value.toLowerCase();
  return {
    name: form.name.trim(),
    themeColor: color(form.themeColor),
    accentColor: color(form.accentColor),
    navigationBar: { backgroundColor: color(navigationBar.backgroundColor), textStyle: navigationBar.textStyle },
    tabBar: {
      color: color(tabBar.color),
      selectedColor: color(tabBar.selectedColor),
      backgroundColor: color(tabBar.backgroundColor),
      labels: {
        home: tabBar.labels.home.trim(),
        category: tabBar.labels.category.trim(),
        cart: tabBar.labels.cart.trim(),
        user: tabBar.labels.user.trim(),
      },
    },
    home: {
      sections: home.sections.map((section) => ({ type: section.type, enabled: section.enabled })),
      notice: home.notice.trim(),
    },
    customerService: { enabled: customerService.enabled, phone: customerService.phone.trim() || null },
    share: { title: share.title.trim() },
  };
}

/** The form before anything is loaded (the page shows the form only once loaded). */
function blankForm(): AppearanceForm {
  return {
    name: '',
    themeColor: '#000000',
    accentColor: '#000000',
    navigationBar: { backgroundColor: '#ffffff', textStyle: 'black' },
    tabBar: {
      color: '#000000',
      selectedColor: '#000000',
      backgroundColor: '#ffffff',
      labels: { home: '', category: '', cart: '', user: '' },
    },
    home: { sections: [], notice: '' },
    customerService: { enabled: false, phone: '' },
    share: { title: '' },
  };
}

/** The field a server issue path (`body.tabBar.labels.home`, `body.home.sections.2.type`) is shown next to. */
function fieldOfIssue(path: string): AppearanceField | null {
  const key = path.startsWith('body.') ? path.slice('body.'.length) : path;
  return APPEARANCE_FIELDS.find((field) => key === field || key.startsWith(`${field}.`)) ?? null;
}

/** Issues of a VALIDATION_FAILED answer: `{ path: 'body.name', message }`. */
function issuesOf(error: unknown): { path: string; message: string }[] {
  if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return [];
  // Each said from its reason or schema code in the reader's language, never the server's English.
  return serverIssues(error.details).map((issue) => ({ path: issue.path, message: issueText(translator, issue) }));
}

/** The value of a field in the form (to tell when a server error's field was changed since). */
function valueAt(form: AppearanceForm, field: AppearanceField): string {
  const value = field
    .split('.')
    .reduce<unknown>(
      (current, key) =>
        typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined,
      form,
    );
  return JSON.stringify(value) ?? '';
}

/**
 * The mini-program appearance editor: a draft of the shop's appearance (name, colours, navigation and
 * tab bar, home sections, customer service, sharing) checked like the server checks it, saved as a whole;
 * the logo and the share picture are uploaded at once (they are not part of the draft). The draft, with
 * the saved pictures, is what the live preview shows. Server validation errors land on their fields and
 * stay until the field is changed.
 */
export function useAppearanceEditor() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canEdit = computed(() => session.can('shop:settings:update'));

  /** The appearance as the server has it. */
  const saved = shallowRef<Appearance | null>(null);
  /** The shop (its slug names the previewed page). */
  const shop = shallowRef<ShopSettings | null>(null);
  const draft = reactive<AppearanceForm>(blankForm());
  const formRef = useTemplateRef<FormInstance>('appearanceForm');
  const loading = ref(false);
  const loadFailed = ref(false);
  const saving = ref(false);
  const uploading = ref<'logo' | 'shareImage' | null>(null);

  const draftBody = computed(() => bodyOf(draft));
  const savedKey = computed(() => (saved.value ? JSON.stringify(bodyOf(formOf(saved.value))) : null));
  /** The draft differs from what is saved. */
  const dirty = computed(() => savedKey.value !== null && JSON.stringify(draftBody.value) !== savedKey.value);

  /** What the preview shows: the draft, with the saved (or just uploaded) pictures. */
  const previewAppearance = computed<Appearance | null>(() => {
    const current = saved.value;
    if (!current) return null;
    const body = draftBody.value;
    return { ...body, logoUrl: current.logoUrl, share: { title: body.share.title, imageUrl: current.share.imageUrl } };
  });
  const previewSrc = computed(() => (shop.value ? `/s/${encodeURIComponent(shop.value.slug)}/?preview=1` : null));

  // ---- live counters ----
  const nameWidth = computed(() => wechatWidth(draft.name.trim()));
  const nameFits = computed(() => nameWidth.value >= L.nameMinWidth && nameWidth.value <= L.nameMaxWidth);
  const labelWidth = (value: string): number => wechatWidth(value.trim());

  // ---- errors ----
  /** Server errors by field, each with the field's value when it was reported. */
  const serverErrors = reactive<Partial<Record<AppearanceField, string>>>({});
  const reportedValues = new Map<AppearanceField, string>();
  /** Server issues that belong to no field shown here. */
  const otherIssues = ref<string[]>([]);

  function clearServerErrors(): void {
    for (const field of APPEARANCE_FIELDS) delete serverErrors[field];
    reportedValues.clear();
    otherIssues.value = [];
  }

  watch(
    draft,
    () => {
      for (const [field, value] of reportedValues) {
        if (valueAt(draft, field) === value) continue;
        delete serverErrors[field];
        reportedValues.delete(field);
      }
    },
    { deep: true },
  );

  function problemText(problem: Problem): string {
    return problem.params ? t(problem.key, problem.params) : t(problem.key);
  }

  /** Put the issues of a VALIDATION_FAILED answer next to their fields (in this page's words when it knows the rule). */
  function showServerIssues(error: unknown): void {
    for (const issue of issuesOf(error)) {
      const field = fieldOfIssue(issue.path);
      if (!field) {
        otherIssues.value.push(`${issue.path}: ${issue.message || t('errors.VALIDATION_FAILED')}`);
        continue;
      }
      if (serverErrors[field]) continue;
      const problem = CHECKS[field](draft);
      serverErrors[field] = problem ? problemText(problem) : issue.message || t('errors.VALIDATION_FAILED');
      reportedValues.set(field, valueAt(draft, field));
    }
  }

  const rules = computed<FormRules<AppearanceForm>>(() => {
    const entries = APPEARANCE_FIELDS.map((field): [AppearanceField, FormItemRule[]] => [
      field,
      [
        {
          trigger: BLUR_FIELDS.includes(field) ? 'blur' : 'change',
          validator: (_rule, _value, callback) => {
            const problem = CHECKS[field](draft);
            callback(problem ? new Error(problemText(problem)) : undefined);
          },
        },
      ],
    ]);
    return Object.fromEntries(entries);
  });

  // ---- loading ----

  function clearValidation(): void {
    void nextTick(() => formRef.value?.clearValidate());
  }

  /** The saved appearance is now `next`; the draft follows it unless told to keep the user's edits. */
  function applySaved(next: Appearance, resetDraft: boolean): void {
    saved.value = next;
    if (!resetDraft) return;
    Object.assign(draft, formOf(next));
    clearValidation();
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadFailed.value = false;
    try {
      const [appearance, settings] = await Promise.all([getAppearance(), getShop()]);
      shop.value = settings;
      clearServerErrors();
      applySaved(appearance, true);
    } catch {
      loadFailed.value = true;
    } finally {
      loading.value = false;
    }
  }

  // ---- editing ----

  function moveSection(index: number, delta: -1 | 1): void {
    const list = draft.home.sections;
    const section = list[index];
    const target = index + delta;
    if (!section || target < 0 || target >= list.length) return;
    list.splice(index, 1);
    list.splice(target, 0, section);
  }

  /** Back to the last saved appearance. */
  function reset(): void {
    if (!saved.value) return;
    clearServerErrors();
    applySaved(saved.value, true);
  }

  async function save(): Promise<void> {
    if (!canEdit.value || !saved.value || saving.value) return;
    clearServerErrors();
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) {
      ElMessage.error(t('miniapp.appearance.fixErrors'));
      return;
    }
    const body = draftBody.value;
    const sent = JSON.stringify(body);
    saving.value = true;
    try {
      const next = await updateAppearance(body);
      // Edits made while saving stay in the draft (and show as unsaved).
      applySaved(next, JSON.stringify(draftBody.value) === sent);
      if (shop.value) {
        shop.value = { ...shop.value, name: next.name, themeColor: next.themeColor };
        session.applyShop(shop.value);
      }
      ElMessage.success(t('miniapp.appearance.saved'));
    } catch (error) {
      // The request client has shown the error; put its issues next to their fields.
      showServerIssues(error);
    } finally {
      saving.value = false;
    }
  }

  // ---- pictures (uploaded at once, not part of the draft) ----

  function checkImage(file: UploadRawFile): boolean {
    if (!LOGO_TYPES.some((type) => type === file.type)) {
      ElMessage.error(t('miniapp.appearance.imageType'));
      return false;
    }
    if (file.size > LOGO_MAX_BYTES) {
      ElMessage.error(t('miniapp.appearance.imageSize'));
      return false;
    }
    return true;
  }

  async function uploadLogo(options: UploadRequestOptions): Promise<void> {
    uploading.value = 'logo';
    try {
      const settings = await uploadShopLogo(options.file);
      shop.value = settings;
      session.applyShop(settings);
      if (saved.value) saved.value = { ...saved.value, logoUrl: settings.logoUrl };
      ElMessage.success(t('miniapp.appearance.logoUploaded'));
    } catch {
      // Shown by the request client.
    } finally {
      uploading.value = null;
    }
  }

  async function uploadShare(options: UploadRequestOptions): Promise<void> {
    uploading.value = 'shareImage';
    try {
      // The answer is the saved appearance: the draft keeps its unsaved edits.
      applySaved(await uploadShareImage(options.file), false);
      ElMessage.success(t('miniapp.appearance.shareImageUploaded'));
    } catch {
      // Shown by the request client.
    } finally {
      uploading.value = null;
    }
  }

  onMounted(load);

  return {
    canEdit,
    saved,
    shop,
    draft,
    rules,
    loading,
    loadFailed,
    saving,
    uploading,
    dirty,
    previewAppearance,
    previewSrc,
    nameWidth,
    nameFits,
    labelWidth,
    serverErrors,
    otherIssues,
    limits: APPEARANCE_LIMITS,
    imageAccept: LOGO_TYPES.join(','),
    load,
    moveSection,
    reset,
    save,
    checkImage,
    uploadLogo,
    uploadShare,
  };
}
