import { computed, onMounted, reactive, ref, shallowRef, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type FormInstance, type FormRules } from 'element-plus';
import type { BusinessCategory } from '@shopfleet/contracts';
import { CODE_PATTERN } from '@shopfleet/contracts/constants';
import { createCategory, listCategories, updateCategory, type UpdateCategoryBody } from '@/api/rules';
import { usePlatformReferenceStore } from '@/stores/platform-reference';
import { usePlatformSessionStore } from '@/stores/platform-session';

export interface CategoryForm {
  code: string;
  nameZh: string;
  nameEn: string;
  sort: number;
}

/** A row being edited in place. */
export interface CategoryDraft {
  nameZh: string;
  nameEn: string;
  sort: number;
}

const SORT_MAX = 10_000;

function bySort(a: BusinessCategory, b: BusinessCategory): number {
  return a.sort - b.sort || a.code.localeCompare(b.code);
}

/** Business categories: list, add, edit in place (names, sort), switch active. */
export function useCategories() {
  const { t } = useI18n();
  const session = usePlatformSessionStore();
  const reference = usePlatformReferenceStore();
  const canEdit = computed(() => session.can('platform:rules:manage'));

  const categories = shallowRef<BusinessCategory[]>([]);
  const loading = ref(false);

  function apply(next: BusinessCategory[]): void {
    categories.value = [...next].sort(bySort);
    reference.setCategories(categories.value);
  }

  function replace(updated: BusinessCategory): void {
    apply(categories.value.map((item) => (item.code === updated.code ? updated : item)));
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await listCategories());
    } catch {
      categories.value = [];
    } finally {
      loading.value = false;
    }
  }

  // ---- add ----
  const dialogOpen = ref(false);
  const formRef = useTemplateRef<FormInstance>('categoryForm');
  const form = reactive<CategoryForm>({ code: '', nameZh: '', nameEn: '', sort: 100 });
  const creating = ref(false);

  const rules = computed<FormRules<CategoryForm>>(() => ({
    code: [
      { required: true, message: t('rules.codeRequired'), trigger: 'blur' },
      { pattern: CODE_PATTERN, message: t('rules.codeInvalid'), trigger: 'blur' },
    ],
    nameZh: [
      { required: true, whitespace: true, message: t('rules.nameRequired'), trigger: 'blur' },
      { max: 40, message: t('rules.nameLength', { max: 40 }), trigger: 'blur' },
    ],
    nameEn: [
      { required: true, whitespace: true, message: t('rules.nameRequired'), trigger: 'blur' },
      { max: 60, message: t('rules.nameLength', { max: 60 }), trigger: 'blur' },
    ],
    sort: [
      {
        required: true,
        type: 'integer',
        min: 0,
        max: SORT_MAX,
        message: t('rules.sortInvalid', { max: SORT_MAX }),
        trigger: 'change',
      },
    ],
  }));

  function openAdd(): void {
    const highest = categories.value.reduce((max, item) => Math.max(max, item.sort), 0);
    Object.assign(form, { code: '', nameZh: '', nameEn: '', sort: Math.min(SORT_MAX, highest + 10) });
    dialogOpen.value = true;
    formRef.value?.clearValidate();
  }

  async function create(): Promise<void> {
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    creating.value = true;
    try {
      const created = await createCategory({
        code: form.code.trim(),
        nameZh: form.nameZh.trim(),
        nameEn: form.nameEn.trim(),
        sort: form.sort,
      });
      apply([...categories.value, created]);
      dialogOpen.value = false;
      ElMessage.success(t('rules.categoryCreated'));
    } catch {
      // Shown by the request client.
    } finally {
      creating.value = false;
    }
  }

  // ---- edit in place ----
  const editingCode = ref<string | null>(null);
  const draft = reactive<CategoryDraft>({ nameZh: '', nameEn: '', sort: 0 });
  const savingRow = ref(false);

  function startEdit(category: BusinessCategory): void {
    editingCode.value = category.code;
    Object.assign(draft, { nameZh: category.nameZh, nameEn: category.nameEn, sort: category.sort });
  }

  function cancelEdit(): void {
    editingCode.value = null;
  }

  async function saveEdit(category: BusinessCategory): Promise<void> {
    const nameZh = draft.nameZh.trim();
    const nameEn = draft.nameEn.trim();
    if (!nameZh || !nameEn || nameZh.length > 40 || nameEn.length > 60) {
      ElMessage.error(t('rules.nameRequired'));
      return;
    }
    const body: UpdateCategoryBody = {};
    if (nameZh !== category.nameZh) body.nameZh = nameZh;
    if (nameEn !== category.nameEn) body.nameEn = nameEn;
    if (draft.sort !== category.sort) body.sort = draft.sort;
    if (Object.keys(body).length === 0) {
      editingCode.value = null;
      return;
    }
    savingRow.value = true;
    try {
      replace(await updateCategory(category.code, body));
      editingCode.value = null;
      ElMessage.success(t('rules.saved'));
    } catch {
      // Shown by the request client; the row stays in edit mode.
    } finally {
      savingRow.value = false;
    }
  }

  // ---- active ----
  const switching = ref<string | null>(null);

  async function setActive(category: BusinessCategory, active: boolean): Promise<void> {
    switching.value = category.code;
    try {
      replace(await updateCategory(category.code, { active }));
      ElMessage.success(t(active ? 'rules.activated' : 'rules.deactivated'));
    } catch {
      // Shown by the request client; the switch shows the unchanged value.
    } finally {
      switching.value = null;
    }
  }

  onMounted(load);

  return {
    canEdit,
    categories,
    loading,
    load,
    dialogOpen,
    form,
    rules,
    creating,
    openAdd,
    create,
    editingCode,
    draft,
    savingRow,
    startEdit,
    cancelEdit,
    saveEdit,
    switching,
    setActive,
    sortMax: SORT_MAX,
  };
}
