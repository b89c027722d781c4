import sanitizeHtml from 'sanitize-html';
import type { ErrorReason, ProductInput } from '@shopfleet/contracts';

export interface NormalizedSku {
  specKey: string;
  specValues: string[];
  code: string | null;
  priceFen: number;
  originalPriceFen: number | null;
  stock: number;
  imageId: number | null;
  /** Weight (g) and volume (cm³) of one unit; null: keep what is stored (a new SKU: 0). */
  weightGrams: number | null;
  volumeCm3: number | null;
}

export interface NormalizedProduct {
  title: string;
  subtitle: string;
  brand: string;
  tags: string[];
  descriptionHtml: string;
  categoryId: number;
  imageIds: number[];
  videoId: number | null;
  attributes: Record<string, string>;
  specs: Array<{ name: string; values: string[] }>;
  skus: NormalizedSku[];
  status: 'draft' | 'on_sale' | 'off_sale';
  /** The shop's freight template it ships by; null: the shop's default; absent: keep what is stored (new: null). */
  freightTemplateId?: number | null;
  minPriceFen: number;
  maxPriceFen: number;
  originalPriceFen: number | null;
  totalStock: number;
  rules: ProductRules;
}

/** A product's own rules: its purchase limits (null: none) and when it goes on and off sale by itself. */
export interface ProductRules {
  limitPerOrder: number | null;
  limitPerShopper: number | null;
  onSaleAt: Date | null;
  offSaleAt: Date | null;
}

export interface Problem {
  path: string;
  message: string;
  /** Our reason, which the console says in the reader's language. */
  reason?: ErrorReason;
  /** A stable code and its values, for texts rendered by the client (import row errors). */
  code?: string;
  params?: Record<string, string | number>;
}

const SPEC_KEY_SEPARATOR = '\u001f';

/** The key that identifies a SKU within its product across edits: its spec values. */
export function specKey(values: string[]): string {
  return values.join(SPEC_KEY_SEPARATOR);
}

/** Rich descriptions keep formatting, images and links, and lose scripts, styles and handlers. */
export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      'p',
      'br',
      'hr',
      'b',
      'strong',
      'i',
      'em',
      'u',
      's',
      'h1',
      'h2',
      'h3',
      'h4',
      'ul',
      'ol',
      'li',
      'blockquote',
      'span',
      'div',
      'img',
      'a',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
    ],
    allowedAttributes: {
      img: ['src', 'alt', 'width', 'height'],
      a: ['href', 'title'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['https', 'http'],
    allowedSchemesByTag: { img: ['https', 'http'] },
    disallowedTagsMode: 'discard',
  });
}

/**
 * A product's schedule against the clock: each instant ahead of now, the off-sale one after the on-sale one, and a
 * product to go on sale later not on sale already.
 */
function scheduleProblems(input: ProductInput, now: Date): Problem[] {
  const problems: Problem[] = [];
  const onSaleAt = input.schedule.onSaleAt === null ? null : new Date(input.schedule.onSaleAt);
  const offSaleAt = input.schedule.offSaleAt === null ? null : new Date(input.schedule.offSaleAt);
  if (onSaleAt && onSaleAt <= now)
    problems.push({ path: 'body.schedule.onSaleAt', message: 'must be ahead of now', code: 'SCHEDULE_IN_PAST' });
  if (offSaleAt && offSaleAt <= now)
    problems.push({ path: 'body.schedule.offSaleAt', message: 'must be ahead of now', code: 'SCHEDULE_IN_PAST' });
  if (onSaleAt && offSaleAt && offSaleAt <= onSaleAt)
    problems.push({
      path: 'body.schedule.offSaleAt',
      message: 'must come after the on-sale time',
      code: 'SCHEDULE_OFF_BEFORE_ON',
    });
  if (onSaleAt && input.status === 'on_sale')
    problems.push({
      path: 'body.schedule.onSaleAt',
      message: 'a product on sale now cannot be scheduled to go on sale',
      code: 'SCHEDULE_ALREADY_ON_SALE',
    });
  return problems;
}

/**
 * Checks a product's SKU matrix against its specs and derives the listing fields. The SKUs must be
 * exactly the combinations of the spec values (each once); without specs, exactly one SKU. With `now`, its
 * schedule is checked against the clock too (an import, which sets none, passes no clock).
 */
export function normalizeProduct(input: ProductInput, now?: Date): { product: NormalizedProduct; problems: Problem[] } {
  const problems: Problem[] = now ? scheduleProblems(input, now) : [];
  if (
    input.limits.perOrder !== null &&
    input.limits.perShopper !== null &&
    input.limits.perOrder > input.limits.perShopper
  )
    problems.push({
      path: 'body.limits.perOrder',
      message: 'cannot be more than the limit per shopper',
      code: 'LIMIT_PER_ORDER_ABOVE_PER_SHOPPER',
    });
  const specs = input.specs.map((s) => ({ name: s.name, values: s.values }));
  const names = new Set<string>();
  specs.forEach((s, i) => {
    if (names.has(s.name))
      problems.push({
        path: `body.specs.${i}.name`,
        message: 'spec names must be unique',
        code: 'SPEC_NAMES_DUPLICATE',
      });
    names.add(s.name);
    if (new Set(s.values).size !== s.values.length)
      problems.push({
        path: `body.specs.${i}.values`,
        message: 'values must be unique',
        code: 'SPEC_VALUES_DUPLICATE',
      });
  });
  const expected = specs.reduce((n, s) => n * s.values.length, 1);
  const seen = new Set<string>();
  const skus: NormalizedSku[] = input.skus.map((sku, i) => {
    if (sku.specValues.length !== specs.length) {
      problems.push({
        path: `body.skus.${i}.specValues`,
        message: `needs one value for each of the ${specs.length} specs`,
        code: 'SKU_SPEC_COUNT',
        params: { count: specs.length },
      });
    } else {
      sku.specValues.forEach((v, j) => {
        if (!specs[j]!.values.includes(v))
          problems.push({
            path: `body.skus.${i}.specValues.${j}`,
            message: `"${v}" is not a value of ${specs[j]!.name}`,
            code: 'SKU_SPEC_VALUE_UNKNOWN',
            params: { value: v, spec: specs[j]!.name },
          });
      });
    }
    const key = specKey(sku.specValues);
    if (seen.has(key))
      problems.push({
        path: `body.skus.${i}.specValues`,
        message: 'this combination appears twice',
        code: 'SKU_COMBINATION_DUPLICATE',
      });
    seen.add(key);
    if (sku.originalPriceFen != null && sku.originalPriceFen < sku.priceFen) {
      problems.push({
        path: `body.skus.${i}.originalPriceFen`,
        message: 'the original price cannot be below the price',
        code: 'ORIGINAL_PRICE_BELOW_PRICE',
      });
    }
    return {
      specKey: key,
      specValues: sku.specValues,
      code: sku.code?.trim() || null,
      priceFen: sku.priceFen,
      originalPriceFen: sku.originalPriceFen ?? null,
      stock: sku.stock,
      imageId: sku.imageId ?? null,
      weightGrams: sku.weightGrams ?? null,
      volumeCm3: sku.volumeCm3 ?? null,
    };
  });
  if (input.skus.length !== expected) {
    problems.push({
      path: 'body.skus',
      message: `the specs make ${expected} combinations; ${input.skus.length} SKUs were given`,
      code: 'SKU_COMBINATIONS_COUNT',
      params: { expected, given: input.skus.length },
    });
  }
  const cheapest = skus.reduce((a, b) => (b.priceFen < a.priceFen ? b : a), skus[0]!);
  return {
    problems,
    product: {
      title: input.title,
      subtitle: input.subtitle,
      brand: input.brand,
      tags: [...new Set(input.tags)],
      descriptionHtml: sanitizeDescription(input.descriptionHtml),
      categoryId: input.categoryId,
      imageIds: input.imageIds,
      videoId: input.videoId,
      attributes: input.attributes,
      specs,
      skus,
      status: input.status,
      freightTemplateId: input.freightTemplateId,
      minPriceFen: Math.min(...skus.map((s) => s.priceFen)),
      maxPriceFen: Math.max(...skus.map((s) => s.priceFen)),
      originalPriceFen: cheapest?.originalPriceFen ?? null,
      totalStock: skus.reduce((n, s) => n + s.stock, 0),
      rules: {
        limitPerOrder: input.limits.perOrder,
        limitPerShopper: input.limits.perShopper,
        onSaleAt: input.schedule.onSaleAt === null ? null : new Date(input.schedule.onSaleAt),
        offSaleAt: input.schedule.offSaleAt === null ? null : new Date(input.schedule.offSaleAt),
      },
    },
  };
}
