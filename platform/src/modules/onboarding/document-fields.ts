import type { DocumentFieldSpec, Reasoned } from '@shopfleet/contracts';

// Unified social credit code (GB 32100-2015): 18 characters from this alphabet, the last a checksum.
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Checks a unified social credit code, checksum included. */
export function isValidCreditCode(value: string): boolean {
  const code = value.toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(code[i]!) * CREDIT_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_ALPHABET[check] === code[17];
}

// Resident ID number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Checks an 18-character resident ID number: birth date and check character. */
export function isValidIdNumber(value: string): boolean {
  const id = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = id.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replace(/-/g, '') !== birth) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17];
}

/** Shows the first three and last four characters of a sensitive value. */
export function maskValue(value: string): string {
  if (value.length <= 7) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`;
}

/** A problem with one field: which, and why (a reason the console says in the merchant's language). */
export type FieldProblem = { field: string } & Reasoned;

/**
 * Checks submitted field values against a document type's field specs: required fields present,
 * each kind well-formed, no unknown fields. Returns the normalized values.
 */
export function checkFields(
  specs: DocumentFieldSpec[],
  values: Record<string, string>,
): { values: Record<string, string>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const out: Record<string, string> = {};
  const known = new Set(specs.map((s) => s.key));
  for (const key of Object.keys(values))
    if (!known.has(key))
      problems.push({ field: key, reason: 'DOCUMENT_FIELD_UNKNOWN', message: 'not a field of this document' });
  for (const spec of specs) {
    const raw = values[spec.key]?.trim() ?? '';
    if (!raw) {
      if (spec.required) problems.push({ field: spec.key, reason: 'FIELD_REQUIRED', message: 'required' });
      continue;
    }
    switch (spec.kind) {
      case 'creditCode':
        if (!isValidCreditCode(raw))
          problems.push({
            field: spec.key,
            reason: 'DOCUMENT_CREDIT_CODE_INVALID',
            message: 'not a valid unified social credit code',
          });
        out[spec.key] = raw.toUpperCase();
        break;
      case 'idNumber':
        if (!isValidIdNumber(raw))
          problems.push({
            field: spec.key,
            reason: 'DOCUMENT_ID_NUMBER_INVALID',
            message: 'not a valid resident ID number',
          });
        out[spec.key] = raw.toUpperCase();
        break;
      case 'date':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw)))
          problems.push({ field: spec.key, reason: 'DOCUMENT_DATE_INVALID', message: 'a date like 2026-01-31' });
        out[spec.key] = raw;
        break;
      default:
        if (raw.length > 100)
          problems.push({
            field: spec.key,
            reason: 'DOCUMENT_FIELD_TOO_LONG',
            params: { max: 100 },
            message: 'at most 100 characters',
          });
        out[spec.key] = raw;
    }
  }
  return { values: out, problems };
}
