import { computed, onUnmounted, reactive, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type UploadRawFile, type UploadRequestOptions } from 'element-plus';
import type { CreateDocumentBody, DocumentFieldSpec, QualificationFile } from '@shopfleet/contracts';
import {
  MAX_DOCUMENT_FILES,
  QUALIFICATION_FILE_MAX_BYTES,
  QUALIFICATION_FILE_TYPES,
} from '@shopfleet/contracts/constants';
import { createDocument, uploadQualificationFile, type ChecklistItem } from '@/api/onboarding';
import { isApiError } from '@/api/request';
import { translator } from '@/locales';
import { issueText, issuesOf } from '@/utils/error-text';
import { useLocalized } from '@/composables/use-localized';

/** One uploaded (not yet saved) file, with a local preview for images. */
export interface PendingFile {
  file: QualificationFile;
  name: string;
  previewUrl: string | null;
}

/** A named page of a document (front, back): one file each. */
export interface PageSlot {
  label: string;
  pending: PendingFile | null;
  uploading: boolean;
}

/** Inline errors: `field:<key>`, `validFrom`, `validTo`, `files`. */
type Errors = Record<string, string>;

const EXTENSIONS = ['.jpg', '.jpeg', '.png', '.pdf'];
/** Light shape checks; the server validates check digits. */
const CREDIT_CODE = /^[0-9A-Z]{18}$/;
const ID_NUMBER = /^\d{17}[\dX]$/;

function acceptable(file: File): boolean {
  if (QUALIFICATION_FILE_TYPES.some((type) => type === file.type)) return true;
  const name = file.name.toLowerCase();
  return !file.type && EXTENSIONS.some((extension) => name.endsWith(extension));
}

function previewOf(raw: File): string | null {
  return raw.type.startsWith('image/') ? URL.createObjectURL(raw) : null;
}

function release(pending: PendingFile | null): void {
  if (pending?.previewUrl) URL.revokeObjectURL(pending.previewUrl);
}

/** `body.fields.idNumber` → `field:idNumber`; `body.validTo` → `validTo`; `body.fileIds…` → `files`. */
function errorKeyOf(path: string): string | null {
  const [part, key, sub] = path.split('.');
  if (part !== 'body' || !key) return null;
  if (key === 'fields' && sub) return `field:${sub}`;
  if (key === 'fileIds') return 'files';
  if (key === 'validFrom' || key === 'validTo') return key;
  return null;
}

/**
 * The form that adds a document, or a new version of one: its fields, validity, and files uploaded
 * one by one as they are chosen (each becomes a file id; saving sends the ids in page order).
 */
export function useDocumentForm(item: () => ChecklistItem, onSaved: () => Promise<void>) {
  const { t } = useI18n();
  const { labelOf, nameOf } = useLocalized();

  const type = computed(() => item().documentType);
  const current = computed(() => item().current);
  const usesPages = computed(() => type.value.pageLabels.length > 0);

  const values = reactive<Record<string, string>>({});
  const validity = reactive({ validFrom: '', validTo: '', longTerm: false });
  const slots = ref<PageSlot[]>([]);
  const looseFiles = ref<PendingFile[]>([]);
  const looseUploading = ref(0);
  const errors = reactive<Errors>({});
  const saving = ref(false);
  /** The form is open: nothing uploaded yet, the current version was rejected or has expired, or the user asked. */
  const editing = ref(false);
  const uploads = new Set<AbortController>();

  const uploading = computed(() => looseUploading.value > 0 || slots.value.some((slot) => slot.uploading));

  function clearErrors(): void {
    for (const key of Object.keys(errors)) delete errors[key];
  }

  function releaseAll(): void {
    for (const slot of slots.value) release(slot.pending);
    for (const pending of looseFiles.value) release(pending);
  }

  /** Start over from the current version: its plain values prefilled; sensitive ones arrive masked, so they are typed again. */
  function reset(): void {
    releaseAll();
    for (const controller of uploads) controller.abort();
    uploads.clear();
    clearErrors();
    for (const key of Object.keys(values)) delete values[key];
    for (const field of type.value.fields) {
      values[field.key] = field.sensitive ? '' : (current.value?.fields[field.key] ?? '');
    }
    validity.validFrom = current.value?.validFrom ?? '';
    validity.validTo = current.value?.longTerm ? '' : (current.value?.validTo ?? '');
    validity.longTerm = current.value?.longTerm ?? false;
    slots.value = type.value.pageLabels.map((label) => ({ label, pending: null, uploading: false }));
    looseFiles.value = [];
    looseUploading.value = 0;
    const doc = current.value;
    editing.value = !doc || doc.status === 'rejected' || doc.expired;
  }

  function maskedHint(field: DocumentFieldSpec): string {
    const masked = current.value?.fields[field.key];
    return field.sensitive && masked ? t('onboarding.sensitiveHint', { masked }) : '';
  }

  // ---- files ----

  function checkFile(raw: UploadRawFile): boolean {
    if (!acceptable(raw)) {
      ElMessage.error(t('onboarding.fileType'));
      return false;
    }
    if (raw.size > QUALIFICATION_FILE_MAX_BYTES) {
      ElMessage.error(t('onboarding.fileSize'));
      return false;
    }
    return true;
  }

  function checkLooseFile(raw: UploadRawFile): boolean {
    if (looseFiles.value.length + looseUploading.value >= MAX_DOCUMENT_FILES) {
      ElMessage.error(t('onboarding.fileCount', { max: MAX_DOCUMENT_FILES }));
      return false;
    }
    return checkFile(raw);
  }

  async function send(raw: File): Promise<PendingFile> {
    const controller = new AbortController();
    uploads.add(controller);
    try {
      const file = await uploadQualificationFile(raw, controller.signal);
      return { file, name: raw.name, previewUrl: previewOf(raw) };
    } finally {
      uploads.delete(controller);
    }
  }

  async function uploadToSlot(index: number, options: UploadRequestOptions): Promise<void> {
    const slot = slots.value[index];
    if (!slot) return;
    slot.uploading = true;
    delete errors.files;
    try {
      const pending = await send(options.file);
      release(slot.pending);
      slot.pending = pending;
    } finally {
      slot.uploading = false;
    }
  }

  async function uploadLoose(options: UploadRequestOptions): Promise<void> {
    looseUploading.value++;
    delete errors.files;
    try {
      const pending = await send(options.file);
      looseFiles.value = [...looseFiles.value, pending];
    } finally {
      looseUploading.value--;
    }
  }

  function removeFromSlot(index: number): void {
    const slot = slots.value[index];
    if (!slot) return;
    release(slot.pending);
    slot.pending = null;
  }

  function removeLoose(index: number): void {
    release(looseFiles.value[index] ?? null);
    looseFiles.value = looseFiles.value.filter((_, i) => i !== index);
  }

  // ---- validation and saving ----

  function fieldError(field: DocumentFieldSpec, raw: string): string {
    const value = raw.trim();
    if (!value) return field.required ? t('onboarding.fieldRequired', { field: labelOf(field) }) : '';
    if (value.length > 200) return t('onboarding.fieldTooLong');
    if (field.kind === 'creditCode' && !CREDIT_CODE.test(value.toUpperCase())) return t('onboarding.creditCodeInvalid');
    if (field.kind === 'idNumber' && !ID_NUMBER.test(value.toUpperCase())) return t('onboarding.idNumberInvalid');
    return '';
  }

  function fileIds(): number[] {
    return usesPages.value
      ? slots.value.flatMap((slot) => (slot.pending ? [slot.pending.file.id] : []))
      : looseFiles.value.map((pending) => pending.file.id);
  }

  function validate(): boolean {
    clearErrors();
    for (const field of type.value.fields) {
      const message = fieldError(field, values[field.key] ?? '');
      if (message) errors[`field:${field.key}`] = message;
    }
    if (type.value.hasValidity) {
      if (!validity.longTerm && !validity.validTo) errors.validTo = t('onboarding.validToRequired');
      if (validity.validFrom && validity.validTo && !validity.longTerm && validity.validTo < validity.validFrom) {
        errors.validTo = t('onboarding.validToBeforeFrom');
      }
    }
    if (usesPages.value) {
      const missing = slots.value.filter((slot) => !slot.pending).map((slot) => slot.label);
      if (missing.length) errors.files = t('onboarding.pagesMissing', { pages: missing.join('、') });
    } else if (looseFiles.value.length === 0) {
      errors.files = t('onboarding.filesMissing');
    }
    if (uploading.value) errors.files = t('onboarding.stillUploading');
    return Object.keys(errors).length === 0;
  }

  function bodyOf(): CreateDocumentBody {
    const fields: Record<string, string> = {};
    for (const field of type.value.fields) {
      let value = (values[field.key] ?? '').trim();
      if (field.kind === 'creditCode' || field.kind === 'idNumber') value = value.toUpperCase();
      if (value) fields[field.key] = value;
    }
    const withValidity = type.value.hasValidity;
    return {
      typeCode: type.value.code,
      fileIds: fileIds(),
      fields,
      longTerm: withValidity && validity.longTerm,
      ...(withValidity && validity.validFrom ? { validFrom: validity.validFrom } : {}),
      ...(withValidity && !validity.longTerm && validity.validTo ? { validTo: validity.validTo } : {}),
    };
  }

  function showServerIssues(error: unknown): void {
    if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return;
    for (const issue of issuesOf(error.details)) {
      const key = errorKeyOf(issue.path);
      if (key) errors[key] = issueText(translator, issue);
    }
  }

  async function save(): Promise<void> {
    if (!validate()) return;
    saving.value = true;
    try {
      const saved = await createDocument(bodyOf());
      // A version saved after submission goes straight to review; before it, it waits for 提交审核.
      ElMessage.success(
        t(saved.status === 'pending' ? 'onboarding.savedToReview' : 'onboarding.saved', { type: nameOf(type.value) }),
      );
      await onSaved();
    } catch (error) {
      showServerIssues(error);
    } finally {
      saving.value = false;
    }
  }

  function startEditing(): void {
    reset();
    editing.value = true;
  }

  function cancelEditing(): void {
    reset();
  }

  watch(
    () => validity.longTerm,
    (longTerm) => {
      if (longTerm) {
        validity.validTo = '';
        delete errors.validTo;
      }
    },
  );

  // A new version (after saving and reloading) or another type starts the form over.
  watch(() => `${type.value.code}:${current.value?.id ?? 0}:${current.value?.status ?? ''}`, reset, {
    immediate: true,
  });

  onUnmounted(() => {
    releaseAll();
    for (const controller of uploads) controller.abort();
  });

  return {
    type,
    current,
    usesPages,
    values,
    validity,
    slots,
    looseFiles,
    errors,
    saving,
    uploading,
    editing,
    maxFiles: MAX_DOCUMENT_FILES,
    maskedHint,
    checkFile,
    checkLooseFile,
    uploadToSlot,
    uploadLoose,
    removeFromSlot,
    removeLoose,
    save,
    startEditing,
    cancelEditing,
  };
}
