import type { Knex } from 'knex';

/** Converts a DB datetime (Date, or string from some drivers) to an ISO string for the wire. */
export function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function isoOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : iso(value);
}

/** MySQL duplicate-key error (ER_DUP_ENTRY). */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: string; errno?: number })?.code === 'ER_DUP_ENTRY';
}

/** A LONGTEXT JSON column comes back as a string on MariaDB and as an object on MySQL. */
export function parseJsonColumn(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

/** The number from a `count({ total: '*' })` result. */
export function totalOf(rows: unknown): number {
  const first = (rows as Array<{ total?: number | string }>)[0];
  return Number(first?.total ?? 0);
}

/**
 * `column ± (CASE key WHEN … THEN n … END)`: in one UPDATE over several rows, each row moves by its own
 * amount (stock taken per SKU, sales per product, unpaid orders per shopper).
 */
export function shiftedBy(
  knex: Pick<Knex, 'raw'> | Knex.Client,
  column: string,
  key: string,
  sign: '+' | '-',
  amounts: Map<number, number>,
): Knex.Raw {
  const cases = [...amounts].map(() => 'when ? then ?').join(' ');
  return knex.raw(`?? ${sign} (case ?? ${cases} end)`, [column, key, ...[...amounts].flat()]);
}
