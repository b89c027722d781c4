import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { ShippingTemplate, ShippingTemplateInput } from '@shopfleet/contracts';
import { SHIPPING_LIMITS } from '@shopfleet/contracts/constants';
import { deleteShippingTemplate, listShippingTemplates, updateShippingTemplate } from '@/api/freight-templates';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** The body that writes a template back unchanged (but for what `changes` says). */
export function inputOf(
  template: ShippingTemplate,
  changes: Partial<ShippingTemplateInput> = {},
): ShippingTemplateInput {
  return {
    name: template.name,
    baseFeeFen: template.baseFeeFen,
    freeAboveFen: template.freeAboveFen,
    rules: template.rules.map((rule) => ({
      regions: [...rule.regions],
      feeFen: rule.feeFen,
      freeAboveFen: rule.freeAboveFen,
    })),
    excludedRegions: [...template.excludedRegions],
    isDefault: template.isDefault,
    ...changes,
  };
}

/** The shop's shipping templates: the list (default first), making one the default, deleting one, and the editor dialog's state. */
export function useFreightTemplates() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('order:settings:manage'));

  const templates = shallowRef<ShippingTemplate[]>([]);
  const loading = ref(false);
  const busyId = ref<number | null>(null);
  const full = computed(() => templates.value.length >= SHIPPING_LIMITS.templatesMax);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      templates.value = await listShippingTemplates();
    } catch {
      templates.value = [];
    } finally {
      loading.value = false;
    }
  }

  // ---- the editor dialog ----
  const dialogOpen = ref(false);
  /** The template being edited; null for a new one. */
  const editing = shallowRef<ShippingTemplate | null>(null);

  function openNew(): void {
    editing.value = null;
    dialogOpen.value = true;
  }

  function openEdit(template: ShippingTemplate): void {
    editing.value = template;
    dialogOpen.value = true;
  }

  async function onSaved(): Promise<void> {
    dialogOpen.value = false;
    await load();
  }

  async function makeDefault(template: ShippingTemplate): Promise<void> {
    busyId.value = template.id;
    try {
      await updateShippingTemplate(template.id, inputOf(template, { isDefault: true }));
      ElMessage.success(t('freightTemplates.templates.defaultSet', { name: template.name }));
      await load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  async function remove(template: ShippingTemplate): Promise<void> {
    try {
      await ElMessageBox.confirm(
        t('freightTemplates.templates.deleteConfirm', { name: template.name }),
        t('freightTemplates.templates.delete'),
        {
          type: 'warning',
          confirmButtonText: t('common.delete'),
          cancelButtonText: t('common.cancel'),
        },
      );
    } catch {
      return;
    }
    busyId.value = template.id;
    try {
      await deleteShippingTemplate(template.id);
      ElMessage.success(t('freightTemplates.templates.deleted', { name: template.name }));
      await load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  onMounted(load);

  return {
    canManage,
    templates,
    loading,
    busyId,
    full,
    templatesMax: SHIPPING_LIMITS.templatesMax,
    load,
    dialogOpen,
    editing,
    openNew,
    openEdit,
    onSaved,
    makeDefault,
    remove,
  };
}
