import { computed, reactive, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { ShippingTemplate, ShippingTemplateInput } from '@shopfleet/contracts';
import { SHIPPING_LIMITS } from '@shopfleet/contracts/constants';
import { createShippingTemplate, updateShippingTemplate } from '@/api/freight-templates';
import { fenToYuan, yuanToFen } from '@/utils/money';
import { PROVINCES, regionName } from '@/utils/regions';

export interface RuleForm {
  /** A stable key for the row while rules are added and removed. */
  key: number;
  regions: string[];
  /** Yuan as typed. */
  fee: number | null;
  /** Yuan as typed; null: the template's threshold applies. */
  freeAbove: number | null;
}

export interface TemplateForm {
  name: string;
  baseFee: number | null;
  /** Yuan as typed; null: never free. */
  freeAbove: number | null;
  rules: RuleForm[];
  excludedRegions: string[];
  isDefault: boolean;
}

export interface RegionOption {
  code: string;
  label: string;
}

/** Who holds a region in the form: a rule (by index) or the excluded list. */
type RegionOwner = number | 'excluded';

let nextKey = 1;

function ruleOf(rule?: ShippingTemplate['rules'][number]): RuleForm {
  return {
    key: nextKey++,
    regions: rule ? [...rule.regions] : [],
    fee: rule ? fenToYuan(rule.feeFen) : null,
    freeAbove: rule && rule.freeAboveFen !== null ? fenToYuan(rule.freeAboveFen) : null,
  };
}

/**
 * The shipping template editor: name, base fee and free-shipping threshold, fees by province (a
 * province belongs to at most one rule, and never to a rule and the excluded list at once), excluded
 * provinces, and whether it is the default. Amounts are typed in yuan and sent in fen.
 */
export function useFreightTemplateForm(onSaved: (template: ShippingTemplate) => void) {
  const { t, locale } = useI18n();

  const template = ref<ShippingTemplate | null>(null);
  const form = reactive<TemplateForm>({
    name: '',
    baseFee: null,
    freeAbove: null,
    rules: [],
    excludedRegions: [],
    isDefault: false,
  });
  const errors = reactive<Record<string, string>>({});
  const saving = ref(false);
  /** A save was refused for errors: from then on the marks follow the input. */
  let checked = false;

  /** Start editing `source`, or a new template (the default when it is the shop's first). */
  function reset(source: ShippingTemplate | null, first: boolean): void {
    template.value = source;
    Object.assign(form, {
      name: source?.name ?? '',
      baseFee: source ? fenToYuan(source.baseFeeFen) : null,
      freeAbove: source && source.freeAboveFen !== null ? fenToYuan(source.freeAboveFen) : null,
      rules: source ? source.rules.map(ruleOf) : [],
      excludedRegions: source ? [...source.excludedRegions] : [],
      isDefault: source ? source.isDefault : first,
    });
    checked = false;
    clearErrors();
  }

  function clearErrors(): void {
    for (const key of Object.keys(errors)) delete errors[key];
  }

  function addRule(): void {
    if (form.rules.length >= SHIPPING_LIMITS.rulesMax) {
      ElMessage.warning(t('freightTemplates.templates.rulesFull', { max: SHIPPING_LIMITS.rulesMax }));
      return;
    }
    form.rules.push(ruleOf());
  }

  function removeRule(index: number): void {
    form.rules.splice(index, 1);
    clearErrors();
  }

  // ---- regions ----

  const owners = computed(() => {
    const map = new Map<string, RegionOwner>();
    form.rules.forEach((rule, index) => rule.regions.forEach((code) => map.set(code, index)));
    form.excludedRegions.forEach((code) => map.set(code, 'excluded'));
    return map;
  });

  /** The 34 provinces, and any city or district code a template holds already (set through the API). */
  const regionOptions = computed<RegionOption[]>(() => {
    const zh = locale.value.startsWith('zh');
    const known = new Set(PROVINCES.map((province) => province.code));
    const extra = [...owners.value.keys()].filter((code) => !known.has(code)).sort();
    return [
      ...PROVINCES.map((province) => ({ code: province.code, label: zh ? province.zh : province.en })),
      ...extra.map((code) => ({ code, label: regionName(code, locale.value) })),
    ];
  });

  /** A region already used by another rule or by the excluded list cannot be picked again. */
  function regionTaken(code: string, owner: RegionOwner): boolean {
    const holder = owners.value.get(code);
    return holder !== undefined && holder !== owner;
  }

  // ---- validation ----

  /** A fee in yuan as whole fen, or an error message. */
  function feeOf(value: number | null, required: boolean): number | null | string {
    if (value == null) return required ? t('freightTemplates.templates.feeRequired') : null;
    const fen = yuanToFen(value);
    if (fen < 0 || fen > SHIPPING_LIMITS.feeFenMax)
      return t('freightTemplates.templates.feeRange', { max: fenToYuan(SHIPPING_LIMITS.feeFenMax) });
    return fen;
  }

  function validate(): ShippingTemplateInput | null {
    clearErrors();
    const name = form.name.trim();
    if (!name || name.length > SHIPPING_LIMITS.nameMax)
      errors.name = t('freightTemplates.templates.nameRequired', { max: SHIPPING_LIMITS.nameMax });

    const baseFeeFen = feeOf(form.baseFee, true);
    if (typeof baseFeeFen === 'string') errors.baseFee = baseFeeFen;
    const freeAboveFen = feeOf(form.freeAbove, false);
    if (typeof freeAboveFen === 'string') errors.freeAbove = freeAboveFen;

    const seen = new Set<string>();
    const rules: ShippingTemplateInput['rules'] = [];
    form.rules.forEach((rule, index) => {
      if (rule.regions.length === 0) errors[`rules.${index}.regions`] = t('freightTemplates.templates.regionsRequired');
      else if (rule.regions.length > SHIPPING_LIMITS.regionsMax)
        errors[`rules.${index}.regions`] = t('freightTemplates.templates.regionsMax', {
          max: SHIPPING_LIMITS.regionsMax,
        });
      const twice = rule.regions.find((code) => seen.has(code));
      if (twice)
        errors[`rules.${index}.regions`] = t('freightTemplates.templates.regionTwice', {
          region: regionName(twice, locale.value),
        });
      rule.regions.forEach((code) => seen.add(code));
      const feeFen = feeOf(rule.fee, true);
      if (typeof feeFen === 'string') errors[`rules.${index}.fee`] = feeFen;
      const ruleFreeAboveFen = feeOf(rule.freeAbove, false);
      if (typeof ruleFreeAboveFen === 'string') errors[`rules.${index}.freeAbove`] = ruleFreeAboveFen;
      if (typeof feeFen === 'number' && typeof ruleFreeAboveFen !== 'string') {
        rules.push({ regions: [...rule.regions], feeFen, freeAboveFen: ruleFreeAboveFen });
      }
    });

    if (form.excludedRegions.length > SHIPPING_LIMITS.regionsMax) {
      errors.excludedRegions = t('freightTemplates.templates.regionsMax', { max: SHIPPING_LIMITS.regionsMax });
    }
    const overlap = form.excludedRegions.find((code) => seen.has(code));
    if (overlap)
      errors.excludedRegions = t('freightTemplates.templates.excludedInRule', {
        region: regionName(overlap, locale.value),
      });

    if (Object.keys(errors).length > 0 || typeof baseFeeFen !== 'number' || typeof freeAboveFen === 'string')
      return null;
    return {
      name,
      baseFeeFen,
      freeAboveFen,
      rules,
      excludedRegions: [...form.excludedRegions],
      isDefault: form.isDefault,
    };
  }

  async function save(): Promise<void> {
    const body = validate();
    checked = body === null;
    if (!body) {
      ElMessage.error(t('freightTemplates.templates.fixErrors'));
      return;
    }
    saving.value = true;
    try {
      const current = template.value;
      const saved = current ? await updateShippingTemplate(current.id, body) : await createShippingTemplate(body);
      ElMessage.success(
        t(current ? 'freightTemplates.templates.saved' : 'freightTemplates.templates.created', { name: saved.name }),
      );
      onSaved(saved);
    } catch {
      // Shown by the request client; the dialog keeps the input.
    } finally {
      saving.value = false;
    }
  }

  watch(
    () => JSON.stringify(form),
    () => {
      if (checked) validate();
    },
  );

  return {
    template,
    form,
    errors,
    saving,
    limits: SHIPPING_LIMITS,
    regionOptions,
    regionTaken,
    reset,
    addRule,
    removeRule,
    save,
  };
}
