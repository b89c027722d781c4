import { computed, onMounted, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { RequirementRule, SubjectType } from '@shopfleet/contracts';
import { SUBJECT_TYPES } from '@shopfleet/contracts/constants';
import { createRequirementRule, deleteRequirementRule, listRequirementRules } from '@/api/rules';
import { usePlatformReferenceStore } from '@/stores/platform-reference';
import { usePlatformSessionStore } from '@/stores/platform-session';

/** `''` stands for "any" in the selects; the API takes null. */
export interface RuleForm {
  documentTypeCode: string;
  subjectType: SubjectType | '';
  categoryCode: string;
}

/** Requirement rules (document type × subject type × category): list, add, delete. */
export function useRequirementRules() {
  const { t } = useI18n();
  const session = usePlatformSessionStore();
  const reference = usePlatformReferenceStore();
  const canEdit = computed(() => session.can('platform:rules:manage'));

  const rules = shallowRef<RequirementRule[]>([]);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const [loaded] = await Promise.all([listRequirementRules(), reference.ensure()]);
      rules.value = loaded;
    } catch {
      rules.value = [];
    } finally {
      loading.value = false;
    }
  }

  // ---- add ----
  const dialogOpen = ref(false);
  const form = reactive<RuleForm>({ documentTypeCode: '', subjectType: '', categoryCode: '' });
  const formError = ref('');
  const creating = ref(false);

  function openAdd(): void {
    Object.assign(form, { documentTypeCode: '', subjectType: '', categoryCode: '' });
    formError.value = '';
    dialogOpen.value = true;
  }

  async function create(): Promise<void> {
    formError.value = '';
    if (!form.documentTypeCode) {
      formError.value = t('rules.ruleTypeRequired');
      return;
    }
    if (!form.subjectType && !form.categoryCode) {
      formError.value = t('rules.ruleScopeRequired');
      return;
    }
    creating.value = true;
    try {
      const created = await createRequirementRule({
        documentTypeCode: form.documentTypeCode,
        subjectType: form.subjectType || null,
        categoryCode: form.categoryCode || null,
      });
      rules.value = [...rules.value, created];
      dialogOpen.value = false;
      ElMessage.success(t('rules.ruleCreated'));
    } catch {
      // Shown by the request client.
    } finally {
      creating.value = false;
    }
  }

  // ---- delete ----
  const deleting = ref<number | null>(null);

  async function remove(rule: RequirementRule): Promise<void> {
    try {
      await ElMessageBox.confirm(t('rules.ruleDeleteConfirm'), t('rules.ruleDelete'), {
        type: 'warning',
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    deleting.value = rule.id;
    try {
      await deleteRequirementRule(rule.id);
      rules.value = rules.value.filter((item) => item.id !== rule.id);
      ElMessage.success(t('rules.ruleDeleted'));
    } catch {
      // Shown by the request client.
    } finally {
      deleting.value = null;
    }
  }

  onMounted(load);

  return {
    canEdit,
    rules,
    loading,
    load,
    reference,
    subjectTypes: SUBJECT_TYPES,
    dialogOpen,
    form,
    formError,
    creating,
    openAdd,
    create,
    deleting,
    remove,
  };
}
