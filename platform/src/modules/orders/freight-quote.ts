import type { ChargeMode, ShippingRate, ShippingTemplate } from '@shopfleet/contracts';

/** A template as the quote reads it. */
export type FreightTemplate = Pick<
  ShippingTemplate,
  | 'id'
  | 'chargeMode'
  | 'firstUnits'
  | 'firstFeeFen'
  | 'additionalUnits'
  | 'additionalFeeFen'
  | 'freeAboveFen'
  | 'freeMinUnits'
  | 'rules'
  | 'excludedRegions'
  | 'isDefault'
>;

/** A line of an order as freight sees it. */
export interface FreightLine {
  productId: number;
  /** The product's freight template; null (or a template the shop no longer has): the shop's default. */
  templateId: number | null;
  quantity: number;
  /** The line's items total before discounts (unit price × quantity): what free-above thresholds are judged on. */
  subtotalFen: number;
  /** One unit's weight (g) and volume (cm³); 0 when not given. */
  weightGrams: number;
  volumeCm3: number;
}

/** One template's part of an order: its lines, their units in its mode, their items total, the rate for the region. */
export interface FreightGroup<L extends FreightLine = FreightLine> {
  /** The template that prices it; null when the shop has none (it ships free). */
  templateId: number | null;
  lines: L[];
  units: number;
  amountFen: number;
  /** Null when the template has no rate to give (no template): free. */
  rate: ShippingRate | null;
  /** Its free condition holds: it pays nothing and takes no part in the combination. */
  free: boolean;
}

export type FreightQuote<L extends FreightLine = FreightLine> =
  | { deliverable: true; feeFen: number; groups: Array<FreightGroup<L>> }
  /** The lines whose template does not deliver to the region (不配送区域). */
  | { deliverable: false; excluded: L[] };

const matches = (regionCode: string) => (prefix: string) => regionCode.startsWith(prefix);

/**
 * A template's rate for a district code: that of the rule with the longest matching region prefix (district over
 * city over province), else the template's own; null when the template excludes the region (an excluded prefix
 * wins over any rule).
 */
export function rateFor(template: FreightTemplate, regionCode: string): ShippingRate | null {
  const match = matches(regionCode);
  if (template.excludedRegions.some(match)) return null;
  let best: { length: number; rate: ShippingRate } | null = null;
  for (const rule of template.rules)
    for (const prefix of rule.regions)
      if (match(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, rate: rule };
  return best ? best.rate : template;
}

/** The units of lines in a mode: pieces, grams, or cm³. */
export function unitsOf(mode: ChargeMode, lines: readonly FreightLine[]): number {
  const per = (l: FreightLine) => (mode === 'piece' ? 1 : mode === 'weight' ? l.weightGrams : l.volumeCm3);
  return lines.reduce((n, l) => n + per(l) * l.quantity, 0);
}

/** Free when every condition the rate sets holds (满额 and/or 满件/满重); a rate with none is never free. */
export function isFree(rate: ShippingRate, units: number, amountFen: number): boolean {
  if (rate.freeAboveFen === null && rate.freeMinUnits === null) return false;
  return (
    (rate.freeAboveFen === null || amountFen >= rate.freeAboveFen) &&
    (rate.freeMinUnits === null || units >= rate.freeMinUnits)
  );
}

/** The fee of `units` past the first at the additional rate: every step begun is charged (ceil). */
export function additionalFee(rate: ShippingRate, units: number): number {
  return units <= 0 ? 0 : Math.ceil(units / rate.additionalUnits) * rate.additionalFeeFen;
}

/** One template's fee for `units` alone: the first fee (charged even below the first units), then the steps past them. */
export function feeAlone(rate: ShippingRate, units: number): number {
  return rate.firstFeeFen + additionalFee(rate, units - rate.firstUnits);
}

/**
 * The fee of groups priced together (多运费模板合并, as Taobao and Youzan's 组合运费): the group whose first fee is the
 * largest pays its first fee and its additional steps; every other group pays all its units at its additional rate.
 * Among groups with the same largest first fee, the one that makes the order cheapest leads.
 */
export function combine(groups: ReadonlyArray<{ rate: ShippingRate; units: number }>): number {
  if (groups.length === 0) return 0;
  const largest = Math.max(...groups.map((g) => g.rate.firstFeeFen));
  const asAdditional = groups.map((g) => additionalFee(g.rate, g.units));
  const allAdditional = asAdditional.reduce((a, b) => a + b, 0);
  let best = Number.POSITIVE_INFINITY;
  groups.forEach((g, i) => {
    if (g.rate.firstFeeFen !== largest) return;
    best = Math.min(best, allAdditional - asAdditional[i]! + feeAlone(g.rate, g.units));
  });
  return best;
}

/**
 * The freight of an order to a district: its lines grouped by their product's template (none, or one the shop no
 * longer has: the default), each group's units counted in its template's mode and its rate found for the region;
 * groups whose free condition holds pay nothing, the rest are combined (`combine`). A region any group's template
 * excludes makes the order undeliverable, naming those lines. A shop without templates ships free.
 */
export function quoteFreight<L extends FreightLine>(
  templates: readonly FreightTemplate[],
  regionCode: string,
  lines: readonly L[],
): FreightQuote<L> {
  const byId = new Map(templates.map((t) => [t.id, t]));
  const fallback = templates.find((t) => t.isDefault) ?? null;
  const parts = new Map<number | null, { template: FreightTemplate | null; lines: L[] }>();
  for (const line of lines) {
    const template = (line.templateId !== null ? byId.get(line.templateId) : undefined) ?? fallback;
    const key = template?.id ?? null;
    const part = parts.get(key);
    if (part) part.lines.push(line);
    else parts.set(key, { template, lines: [line] });
  }
  const groups: Array<FreightGroup<L>> = [];
  const excluded: L[] = [];
  for (const [templateId, { template, lines: own }] of parts) {
    const amountFen = own.reduce((n, l) => n + l.subtotalFen, 0);
    if (!template) {
      groups.push({
        templateId,
        lines: own,
        units: own.reduce((n, l) => n + l.quantity, 0),
        amountFen,
        rate: null,
        free: true,
      });
      continue;
    }
    const rate = rateFor(template, regionCode);
    if (!rate) {
      excluded.push(...own);
      continue;
    }
    const units = unitsOf(template.chargeMode, own);
    groups.push({ templateId, lines: own, units, amountFen, rate, free: isFree(rate, units, amountFen) });
  }
  if (excluded.length) return { deliverable: false, excluded };
  const paying = groups.flatMap((g) => (g.free || !g.rate ? [] : [{ rate: g.rate, units: g.units }]));
  return { deliverable: true, feeFen: combine(paying), groups };
}
