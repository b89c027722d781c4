import { computed, reactive, ref, watch } from 'vue';
import type { Product } from '@shopfleet/contracts';
import { PRODUCT_LIMITS } from '@shopfleet/contracts/constants';
import { fromServerUnits } from '@/utils/freight-units';
import { fenToYuan } from '@/utils/money';

/** One spec being edited: a name and its values, in order (colour: red, blue). */
export interface SpecDraft {
  /** Stable key for v-for. */
  uid: number;
  name: string;
  values: string[];
}

/** One row of the SKU table; money in yuan as typed, turned into fen on save. */
export interface SkuRow {
  /** The joined spec values: the row's identity across regenerations. */
  key: string;
  specValues: string[];
  code: string;
  price: number | null;
  originalPrice: number | null;
  stock: number | null;
  imageId: number | null;
  /** Weight in kg (3 decimals) and volume in m³ (6 decimals) as typed, sent as grams and cm³; null: none. */
  weight: number | null;
  volume: number | null;
}

const KEY_SEPARATOR = '\u001f';

/** The identity of a combination of spec values (no value contains the unit separator). */
export function skuKey(values: readonly string[]): string {
  return values.join(KEY_SEPARATOR);
}

/** Every combination of one value from each list, in order; a single empty combination for no lists. */
export function cartesian(lists: readonly (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>(
    (combos, list) => combos.flatMap((prefix) => list.map((value) => [...prefix, value])),
    [[]],
  );
}

function emptyRow(specValues: string[]): SkuRow {
  return {
    key: skuKey(specValues),
    specValues,
    code: '',
    price: null,
    originalPrice: null,
    stock: null,
    imageId: null,
    weight: null,
    volume: null,
  };
}

function isSubset(small: readonly string[], large: readonly string[]): boolean {
  return small.every((value) => large.includes(value));
}

/**
 * The rows for the current specs: a row whose combination still exists is kept as it is (with all that
 * was typed into it), also when the specs were only reordered; a new combination that only adds or drops a spec relative to an old row (red →
 * red / S) starts with that row's prices, image, weight and volume, never its code or stock.
 */
export function regenerateRows(previous: readonly SkuRow[], combos: string[][]): SkuRow[] {
  const byKey = new Map(previous.map((row) => [row.key, row]));
  // The same values in another spec order (specs were reordered): the same SKU.
  const bySet = new Map(previous.map((row) => [skuKey([...row.specValues].sort()), row]));
  return combos.map((values) => {
    const same = byKey.get(skuKey(values));
    if (same) return same;
    const reordered = bySet.get(skuKey([...values].sort()));
    if (reordered && reordered.specValues.length === values.length)
      return { ...reordered, key: skuKey(values), specValues: values };
    const row = emptyRow(values);
    const related = previous.find(
      (old) =>
        old.specValues.length !== values.length &&
        (isSubset(old.specValues, values) || isSubset(values, old.specValues)),
    );
    if (related) {
      row.price = related.price;
      row.originalPrice = related.originalPrice;
      row.imageId = related.imageId;
      row.weight = related.weight;
      row.volume = related.volume;
    }
    return row;
  });
}

/** Trimmed, non-empty, each once, in the order given. */
export function cleanValues(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const raw of values ?? []) {
    const value = raw.trim();
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

/**
 * The spec editor and the SKU matrix: up to 3 specs, each with up to 30 values; the table holds one row
 * per combination of values (one row with no specs), regenerated when values change. Past the 600 SKUs
 * the server takes, the table is left as it was and `tooMany` says why.
 */
export function useSkuMatrix() {
  let nextUid = 1;
  const specs = ref<SpecDraft[]>([]);
  const rows = ref<SkuRow[]>([emptyRow([])]);
  const fill = reactive<{ price: number | null; stock: number | null; weight: number | null; volume: number | null }>({
    price: null,
    stock: null,
    weight: null,
    volume: null,
  });

  /** Specs that take part in the matrix: those with at least one value. */
  const activeSpecs = computed(() => specs.value.filter((spec) => spec.values.length > 0));
  const combinationCount = computed(() => activeSpecs.value.reduce((count, spec) => count * spec.values.length, 1));
  const tooMany = computed(() => combinationCount.value > PRODUCT_LIMITS.skusMax);
  const canAddSpec = computed(() => specs.value.length < PRODUCT_LIMITS.specsMax);

  function regenerate(): void {
    if (tooMany.value) return;
    rows.value = regenerateRows(rows.value, cartesian(activeSpecs.value.map((spec) => spec.values)));
  }

  // Only the values shape the matrix; renaming a spec does not.
  watch(() => activeSpecs.value.map((spec) => skuKey(spec.values)).join('\u001e'), regenerate);

  function addSpec(): void {
    if (!canAddSpec.value) return;
    specs.value.push({ uid: nextUid++, name: '', values: [] });
  }

  function removeSpec(index: number): void {
    specs.value.splice(index, 1);
  }

  function moveSpec(index: number, delta: -1 | 1): void {
    const target = index + delta;
    const list = specs.value;
    const spec = list[index];
    if (!spec || target < 0 || target >= list.length) return;
    list.splice(index, 1);
    list.splice(target, 0, spec);
  }

  /**
   * Set a spec's values from el-input-tag: cleaned, at most 30. Values too long for the server are
   * dropped; the caller is told how many.
   */
  function setSpecValues(index: number, values: string[] | undefined): { tooLong: number } {
    const spec = specs.value[index];
    if (!spec) return { tooLong: 0 };
    const cleaned = cleanValues(values);
    const fitting = cleaned.filter((value) => value.length <= PRODUCT_LIMITS.specValueMax);
    spec.values = fitting.slice(0, PRODUCT_LIMITS.specValuesMax);
    return { tooLong: cleaned.length - fitting.length };
  }

  /** "Set all": the bulk price, stock, weight and/or volume into every row. */
  function applyFill(): void {
    for (const row of rows.value) {
      if (fill.price !== null) row.price = fill.price;
      if (fill.stock !== null) row.stock = fill.stock;
      if (fill.weight !== null) row.weight = fill.weight;
      if (fill.volume !== null) row.volume = fill.volume;
    }
  }

  /** An image left the product: rows showing it show none. */
  function forgetImage(imageId: number): void {
    for (const row of rows.value) if (row.imageId === imageId) row.imageId = null;
  }

  function loadFrom(product: Product): void {
    specs.value = product.specs.map((spec) => ({ uid: nextUid++, name: spec.name, values: [...spec.values] }));
    rows.value = product.skus.map((sku) => ({
      key: skuKey(sku.specValues),
      specValues: [...sku.specValues],
      code: sku.code ?? '',
      price: fenToYuan(sku.priceFen),
      originalPrice: sku.originalPriceFen === null ? null : fenToYuan(sku.originalPriceFen),
      stock: sku.stock,
      imageId: sku.image?.id ?? null,
      weight: sku.weightGrams ? fromServerUnits('weight', sku.weightGrams) : null,
      volume: sku.volumeCm3 ? fromServerUnits('volume', sku.volumeCm3) : null,
    }));
    // Complete the matrix should the stored SKUs miss a combination.
    regenerate();
  }

  return {
    specs,
    rows,
    fill,
    activeSpecs,
    combinationCount,
    tooMany,
    canAddSpec,
    addSpec,
    removeSpec,
    moveSpec,
    setSpecValues,
    applyFill,
    forgetImage,
    loadFrom,
  };
}

export type SkuMatrix = ReturnType<typeof useSkuMatrix>;
