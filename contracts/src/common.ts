import { z } from 'zod';
import { DAY_RANGE_MAX_DAYS, PHONE_PATTERN, SLUG_PATTERN } from './common.constants';

/** A database id on the wire: a positive integer. Params arrive as strings and are coerced. */
export const idSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const idParamsSchema = z.strictObject({ id: idSchema });

export const pageQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export const okSchema = z.object({ ok: z.literal(true) });

/** A shop's public key in shop-api paths: its slug. */
export const slugSchema = z
  .string()
  .regex(
    SLUG_PATTERN,
    'lowercase letters, digits and hyphens, 3 to 32 characters, not starting or ending with a hyphen',
  );

export const shopParamsSchema = z.strictObject({ shopKey: slugSchema });

/** Mainland China mobile number, digits only. */
export const phoneSchema = z.string().regex(PHONE_PATTERN, 'a mainland China mobile number of 11 digits');

export const isoDateTime = z.string().meta({ format: 'date-time' });

/** A China-time calendar day. */
export const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** A range of China-time days, both included (with `dayRangeChecks`: in order, and at most a year long). */
export const dayRangeShape = { from: daySchema, to: daySchema };
type DayRange = { from: string; to: string };
/** The checks of a range of days, each a `refine`'s arguments: `.refine(...inOrder).refine(...notTooLong)`. */
export const dayRangeChecks = {
  inOrder: [
    (r: DayRange) => r.from <= r.to,
    { message: 'from is after to', params: { reason: 'RANGE_INVALID' } },
  ] as const,
  notTooLong: [
    (r: DayRange) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 < DAY_RANGE_MAX_DAYS,
    { message: `at most ${DAY_RANGE_MAX_DAYS} days`, params: { reason: 'RANGE_TOO_LONG' } },
  ] as const,
};
