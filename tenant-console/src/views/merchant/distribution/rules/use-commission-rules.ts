import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { CommissionRule } from '@shopfleet/contracts';
import { deleteCommissionRule, listCommissionRules, setCommissionRule } from '@/api/distribution';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** What the rule dialog edits: a product (none yet when adding) and its rates in basis points. */
export interface RuleDraft {
  productId: number | null;
  title: string | null;
  level1Bp: number;
  level2Bp: number;
}

/** Per-product rates: listed, added or changed in a dialog, removed (the product earns the default rates again). */
export function useCommissionRules() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('distribution:commission:manage'));
  const rules = shallowRef<CommissionRule[]>([]);
  const loading = ref(false);
  const saving = ref(false);
  const draft = shallowRef<RuleDraft | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      rules.value = await listCommissionRules();
    } catch {
      // Shown by the request client.
    } finally {
      loading.value = false;
    }
  }

  function add(defaults: { level1Bp: number; level2Bp: number }): void {
    draft.value = { productId: null, title: null, ...defaults };
  }

  function edit(rule: CommissionRule): void {
    draft.value = { productId: rule.productId, title: rule.title, level1Bp: rule.level1Bp, level2Bp: rule.level2Bp };
  }

  async function save(productId: number, rates: { level1Bp: number; level2Bp: number }): Promise<void> {
    saving.value = true;
    try {
      const saved = await setCommissionRule(productId, rates);
      const others = rules.value.filter((r) => r.productId !== saved.productId);
      rules.value = [saved, ...others];
      draft.value = null;
      ElMessage.success(t('distribution.rules.saved'));
    } catch {
      // Shown by the request client; the dialog stays open.
    } finally {
      saving.value = false;
    }
  }

  async function remove(rule: CommissionRule): Promise<void> {
    try {
      await ElMessageBox.confirm(t('distribution.rules.deleteConfirm', { name: rule.title ?? `#${rule.productId}` }), {
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
        type: 'warning',
      });
    } catch {
      return;
    }
    try {
      await deleteCommissionRule(rule.productId);
      rules.value = rules.value.filter((r) => r.productId !== rule.productId);
      ElMessage.success(t('distribution.rules.deleted'));
    } catch {
      // Shown by the request client.
    }
  }

  onMounted(load);
  return { canManage, rules, loading, saving, draft, load, add, edit, save, remove };
}
