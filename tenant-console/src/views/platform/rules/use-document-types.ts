import { computed, onMounted, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { DocumentFieldSpec, DocumentType } from '@shopfleet/contracts';
import {
  CODE_PATTERN,
  DOCUMENT_FIELD_KINDS,
  DOCUMENT_TYPE_LIMITS,
  FIELD_KEY_PATTERN,
} from '@shopfleet/contracts/constants';
import { createDocumentType, listDocumentTypes, updateDocumentType } from '@/api/rules';
import { usePlatformReferenceStore } from '@/stores/platform-reference';
import { usePlatformSessionStore } from '@/stores/platform-session';

const MAX_FIELDS = DOCUMENT_TYPE_LIMITS.fieldsMax;
const MAX_PAGE_LABELS = DOCUMENT_TYPE_LIMITS.pageLabelsMax;
const PAGE_LABEL_MAX = DOCUMENT_TYPE_LIMITS.pageLabelMax;

export interface DocumentTypeForm {
  code: string;
  nameZh: string;
  nameEn: string;
  fields: DocumentFieldSpec[];
  pageLabels: string[];
  hasValidity: boolean;
  active: boolean;
}

function blankField(): DocumentFieldSpec {
  return { key: '', labelZh: '', labelEn: '', kind: 'text', required: true, sensitive: false };
}

function formOf(type: DocumentType | null): DocumentTypeForm {
  return {
    code: type?.code ?? '',
    nameZh: type?.nameZh ?? '',
    nameEn: type?.nameEn ?? '',
    fields: type ? type.fields.map((field) => ({ ...field })) : [],
    pageLabels: type ? [...type.pageLabels] : [],
    hasValidity: type?.hasValidity ?? true,
    active: type?.active ?? true,
  };
}

/** Document types: list, add and edit (names, fields, page labels, validity, active). */
export function useDocumentTypes() {
  const { t } = useI18n();
  const session = usePlatformSessionStore();
  const reference = usePlatformReferenceStore();
  const canEdit = computed(() => session.can('platform:rules:manage'));

  const types = shallowRef<DocumentType[]>([]);
  const loading = ref(false);

  function apply(next: DocumentType[]): void {
    types.value = next;
    reference.setDocumentTypes(next);
  }

  function upsert(saved: DocumentType): void {
    const exists = types.value.some((item) => item.code === saved.code);
    apply(exists ? types.value.map((item) => (item.code === saved.code ? saved : item)) : [...types.value, saved]);
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await listDocumentTypes());
    } catch {
      types.value = [];
    } finally {
      loading.value = false;
    }
  }

  // ---- the add / edit dialog ----
  const dialogOpen = ref(false);
  /** The type being edited; null when adding. */
  const editing = ref<DocumentType | null>(null);
  const form = reactive<DocumentTypeForm>(formOf(null));
  const errors = reactive<Record<string, string>>({});
  const saving = ref(false);

  function clearErrors(): void {
    for (const key of Object.keys(errors)) delete errors[key];
  }

  function openAdd(): void {
    editing.value = null;
    Object.assign(form, formOf(null));
    clearErrors();
    dialogOpen.value = true;
  }

  function openEdit(type: DocumentType): void {
    editing.value = type;
    Object.assign(form, formOf(type));
    clearErrors();
    dialogOpen.value = true;
  }

  function addField(): void {
    if (form.fields.length < MAX_FIELDS) form.fields.push(blankField());
  }

  function removeField(index: number): void {
    form.fields.splice(index, 1);
  }

  function moveField(index: number, by: -1 | 1): void {
    const target = index + by;
    if (target < 0 || target >= form.fields.length) return;
    const [moved] = form.fields.splice(index, 1);
    if (moved) form.fields.splice(target, 0, moved);
  }

  function validate(): boolean {
    clearErrors();
    if (!editing.value && !CODE_PATTERN.test(form.code.trim())) errors.code = t('rules.codeInvalid');
    const nameZh = form.nameZh.trim();
    const nameEn = form.nameEn.trim();
    if (!nameZh || nameZh.length > 40) errors.nameZh = t('rules.nameLength', { max: 40 });
    if (!nameEn || nameEn.length > 80) errors.nameEn = t('rules.nameLength', { max: 80 });
    const labels = form.pageLabels.map((label) => label.trim());
    if (labels.length > MAX_PAGE_LABELS) errors.pageLabels = t('rules.pageLabelsTooMany', { max: MAX_PAGE_LABELS });
    else if (labels.some((label) => !label || label.length > PAGE_LABEL_MAX))
      errors.pageLabels = t('rules.pageLabelLength', { max: PAGE_LABEL_MAX });
    const seen = new Set<string>();
    form.fields.forEach((field, index) => {
      const key = field.key.trim();
      if (!FIELD_KEY_PATTERN.test(key)) errors[`field:${index}`] = t('rules.fieldKeyInvalid');
      else if (seen.has(key)) errors[`field:${index}`] = t('rules.fieldKeyDuplicate', { key });
      else if (!field.labelZh.trim() || !field.labelEn.trim()) errors[`field:${index}`] = t('rules.fieldLabelRequired');
      else if (field.labelZh.trim().length > 40 || field.labelEn.trim().length > 60)
        errors[`field:${index}`] = t('rules.fieldLabelLength');
      seen.add(key);
    });
    if (form.fields.length > MAX_FIELDS) errors.fields = t('rules.fieldsTooMany', { max: MAX_FIELDS });
    return Object.keys(errors).length === 0;
  }

  function fieldsOf(): DocumentFieldSpec[] {
    return form.fields.map((field) => ({
      key: field.key.trim(),
      labelZh: field.labelZh.trim(),
      labelEn: field.labelEn.trim(),
      kind: field.kind,
      required: field.required,
      sensitive: field.sensitive,
    }));
  }

  async function save(): Promise<void> {
    if (!validate()) return;
    const common = {
      nameZh: form.nameZh.trim(),
      nameEn: form.nameEn.trim(),
      fields: fieldsOf(),
      pageLabels: form.pageLabels.map((label) => label.trim()),
      hasValidity: form.hasValidity,
    };
    saving.value = true;
    try {
      const saved = editing.value
        ? await updateDocumentType(editing.value.code, { ...common, active: form.active })
        : await createDocumentType({ code: form.code.trim(), ...common });
      upsert(saved);
      dialogOpen.value = false;
      ElMessage.success(t(editing.value ? 'rules.saved' : 'rules.documentTypeCreated'));
    } catch {
      // Shown by the request client; the dialog keeps the input.
    } finally {
      saving.value = false;
    }
  }

  // ---- active ----
  const switching = ref<string | null>(null);

  async function setActive(type: DocumentType, active: boolean): Promise<void> {
    switching.value = type.code;
    try {
      upsert(await updateDocumentType(type.code, { active }));
      ElMessage.success(t(active ? 'rules.activated' : 'rules.deactivated'));
    } catch {
      // Shown by the request client.
    } finally {
      switching.value = null;
    }
  }

  onMounted(load);

  return {
    canEdit,
    types,
    loading,
    load,
    dialogOpen,
    editing,
    form,
    errors,
    saving,
    kinds: DOCUMENT_FIELD_KINDS,
    maxFields: MAX_FIELDS,
    maxPageLabels: MAX_PAGE_LABELS,
    pageLabelMax: PAGE_LABEL_MAX,
    openAdd,
    openEdit,
    addField,
    removeField,
    moveField,
    save,
    switching,
    setActive,
  };
}
