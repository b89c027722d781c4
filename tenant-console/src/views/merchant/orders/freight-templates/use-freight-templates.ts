import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { ShippingRate, ShippingTemplate, ShippingTemplateInput } from '@shopfleet/contracts';
import { SHIPPING_LIMITS, type ChargeMode } from '@shopfleet/contracts/constants';
import { deleteShippingTemplate, listShippingTemplates, updateShippingTemplate } from '@/api/freight-templates';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { fromServerUnits } from '@/utils/freight-units';
import { formatFen } from '@/utils/money';

const rateOf = (rate: ShippingRate): ShippingRate => ({
  firstUnits: rate.firstUnits,
  firstFeeFen: rate.firstFeeFen,
  additionalUnits: rate.additionalUnits,
  additionalFeeFen: rate.additionalFeeFen,
  freeAboveFen: rate.freeAboveFen,
  freeMinUnits: rate.freeMinUnits,
});

/** The body that writes a template back unchanged (but for what `changes` says). */
export function inputOf(
  template: ShippingTemplate,
  changes: Partial<ShippingTemplateInput> = {},
): ShippingTemplateInput {
  return {
    name: template.name,
    chargeMode: template.chargeMode,
    ...rateOf(template),
    rules: template.rules.map((rule) => ({ regions: [...rule.regions], ...rateOf(rule) })),
    excludedRegions: [...template.excludedRegions],
    isDefault: template.isDefault,
    ...changes,
  };
}

type T = (key: string, named?: Record<string, unknown>) => string;

/** A rate in a line: "首 1 kg ¥10.00，每续 0.5 kg ¥5.00"; a flat fee (each further piece free) as the fee alone. */
export function rateText(t: T, mode: ChargeMode, rate: ShippingRate): string {
  const unit = t(`freightTemplates.templates.units.${mode}`);
  if (mode === 'piece' && rate.firstUnits === 1 && rate.additionalFeeFen === 0)
    return t('freightTemplates.templates.flatLine', { fee: formatFen(rate.firstFeeFen) });
  return t('freightTemplates.templates.rateLine', {
    first: fromServerUnits(mode, rate.firstUnits),
    firstFee: formatFen(rate.firstFeeFen),
    additional: fromServerUnits(mode, rate.additionalUnits),
    additionalFee: formatFen(rate.additionalFeeFen),
    unit,
  });
}

/** A rate's free condition: "满 ¥99.00 且满 3 件包邮", or "" when it is never free. */
export function freeText(t: T, mode: ChargeMode, rate: ShippingRate): string {
  const parts = [
    ...(rate.freeAboveFen === null
      ? []
      : [t('freightTemplates.templates.freeAmount', { amount: formatFen(rate.freeAboveFen) })]),
    ...(rate.freeMinUnits === null
      ? []
      : [
          t('freightTemplates.templates.freeUnitsPart', {
            units: fromServerUnits(mode, rate.freeMinUnits),
            unit: t(`freightTemplates.templates.units.${mode}`),
          }),
        ]),
  ];
  return parts.length
    ? t('freightTemplates.templates.freeWhen', { condition: parts.join(t('freightTemplates.templates.freeAnd')) })
    : '';
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
