import { computed, reactive, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { ShippingRate, ShippingTemplate, ShippingTemplateInput } from '@shopfleet/contracts';
import { CHARGE_MODES, SHIPPING_LIMITS, type ChargeMode } from '@shopfleet/contracts/constants';
import { createShippingTemplate, updateShippingTemplate } from '@/api/freight-templates';
import { fromServerUnits, toServerUnits, UNIT_PRECISION, UNIT_SCALE } from '@/utils/freight-units';
import { fenToYuan, yuanToFen } from '@/utils/money';
import { PROVINCES, regionName } from '@/utils/regions';

/** A rate as typed: units in the mode's shown unit (pieces, kg, m³), fees and the free amount in yuan; null: empty. */
export interface RateForm {
  first: number | null;
  firstFee: number | null;
  additional: number | null;
  additionalFee: number | null;
  /** Free when the items total reaches this (yuan); null: no amount condition. */
  freeAbove: number | null;
  /** Free when the units reach this (pieces, kg, m³); null: no units condition. */
  freeUnits: number | null;
}

export interface RuleForm extends RateForm {
  /** A stable key for the row while rules are added and removed. */
  key: number;
  regions: string[];
}

export interface TemplateForm {
  name: string;
  chargeMode: ChargeMode;
  /** The rate where no rule matches (默认运费). */
  base: RateForm;
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

/** A stored rate as the form shows it, in the mode's units; a new one: 1 unit first, 1 unit each additional. */
function rateOf(mode: ChargeMode, rate?: ShippingRate): RateForm {
  const one = fromServerUnits(mode, UNIT_SCALE[mode]);
  return {
    first: rate ? fromServerUnits(mode, rate.firstUnits) : one,
    firstFee: rate ? fenToYuan(rate.firstFeeFen) : null,
    additional: rate ? fromServerUnits(mode, rate.additionalUnits) : one,
    additionalFee: rate ? fenToYuan(rate.additionalFeeFen) : 0,
    freeAbove: rate && rate.freeAboveFen !== null ? fenToYuan(rate.freeAboveFen) : null,
    freeUnits: rate && rate.freeMinUnits !== null ? fromServerUnits(mode, rate.freeMinUnits) : null,
  };
}

function ruleOf(mode: ChargeMode, rule?: ShippingTemplate['rules'][number]): RuleForm {
  return { key: nextKey++, regions: rule ? [...rule.regions] : [], ...rateOf(mode, rule) };
}

/**
 * The shipping template editor: name, what it charges by (pieces, weight in kg, volume in m³), the default rate
 * (first units and fee, each additional units and fee, free from an amount and/or units), the same by province (a
 * province belongs to at most one rule, and never to a rule and the excluded list at once), excluded provinces, and
 * whether it is the default. Amounts are typed in yuan and sent in fen; units are sent in pieces, grams or cm³.
 */
export function useFreightTemplateForm(onSaved: (template: ShippingTemplate) => void) {
  const { t, locale } = useI18n();

  const template = ref<ShippingTemplate | null>(null);
  const form = reactive<TemplateForm>({
    name: '',
    chargeMode: 'piece',
    base: rateOf('piece'),
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
    const mode = source?.chargeMode ?? 'piece';
    Object.assign(form, {
      name: source?.name ?? '',
      chargeMode: mode,
      base: rateOf(mode, source ?? undefined),
      rules: source ? source.rules.map((rule) => ruleOf(mode, rule)) : [],
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
    form.rules.push(ruleOf(form.chargeMode));
  }

  function removeRule(index: number): void {
    form.rules.splice(index, 1);
    clearErrors();
  }

  /** How the mode's units read: 件 / kg / m³, and the decimals they take. */
  const unit = computed(() => ({
    label: t(`freightTemplates.templates.units.${form.chargeMode}`),
    precision: UNIT_PRECISION[form.chargeMode],
    step: form.chargeMode === 'piece' ? 1 : 1 / UNIT_SCALE[form.chargeMode],
  }));

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

  /** Units as typed, in whole pieces, grams or cm³ (at least one), or an error message. */
  function unitsOf(value: number | null, required: boolean): number | null | string {
    const units = toServerUnits(form.chargeMode, value);
    if (units === null) return required ? t('freightTemplates.templates.unitsRequired') : null;
    if (units < 1 || units > SHIPPING_LIMITS.unitsMax)
      return t('freightTemplates.templates.unitsRange', {
        min: fromServerUnits(form.chargeMode, 1),
        max: fromServerUnits(form.chargeMode, SHIPPING_LIMITS.unitsMax),
        unit: unit.value.label,
      });
    return units;
  }

  /** A rate as the server takes it, its errors put under `at` (`base`, `rules.2`); null when any field is wrong. */
  function rateInput(rate: RateForm, at: string): ShippingRate | null {
    const checked = {
      first: unitsOf(rate.first, true),
      firstFee: feeOf(rate.firstFee, true),
      additional: unitsOf(rate.additional, true),
      additionalFee: feeOf(rate.additionalFee, true),
      freeAbove: feeOf(rate.freeAbove, false),
      freeUnits: unitsOf(rate.freeUnits, false),
    };
    let ok = true;
    for (const [field, value] of Object.entries(checked))
      if (typeof value === 'string') {
        errors[`${at}.${field}`] = value;
        ok = false;
      }
    const { first, firstFee, additional, additionalFee, freeAbove, freeUnits } = checked;
    if (!ok || typeof first !== 'number' || typeof firstFee !== 'number') return null;
    if (typeof additional !== 'number' || typeof additionalFee !== 'number') return null;
    if (typeof freeAbove === 'string' || typeof freeUnits === 'string') return null;
    return {
      firstUnits: first,
      firstFeeFen: firstFee,
      additionalUnits: additional,
      additionalFeeFen: additionalFee,
      freeAboveFen: freeAbove,
      freeMinUnits: freeUnits,
    };
  }

  function validate(): ShippingTemplateInput | null {
    clearErrors();
    const name = form.name.trim();
    if (!name || name.length > SHIPPING_LIMITS.nameMax)
      errors.name = t('freightTemplates.templates.nameRequired', { max: SHIPPING_LIMITS.nameMax });

    const base = rateInput(form.base, 'base');
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
      const rate = rateInput(rule, `rules.${index}`);
      if (rate) rules.push({ regions: [...rule.regions], ...rate });
    });

    if (form.excludedRegions.length > SHIPPING_LIMITS.regionsMax) {
      errors.excludedRegions = t('freightTemplates.templates.regionsMax', { max: SHIPPING_LIMITS.regionsMax });
    }
    const overlap = form.excludedRegions.find((code) => seen.has(code));
    if (overlap)
      errors.excludedRegions = t('freightTemplates.templates.excludedInRule', {
        region: regionName(overlap, locale.value),
      });

    if (Object.keys(errors).length > 0 || !base) return null;
    return {
      name,
      chargeMode: form.chargeMode,
      ...base,
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
    unit,
    modes: CHARGE_MODES,
    limits: SHIPPING_LIMITS,
    regionOptions,
    regionTaken,
    reset,
    addRule,
    removeRule,
    save,
  };
}
