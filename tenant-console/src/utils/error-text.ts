/**
 * How an error reads in the console: from its stable reason (with params) in the reader's language,
 * else from its code, and the server's English message only as the last resort. Schema issues in
 * `details.issues` are said from their issue code and params, with the field they concern.
 * Pure (no Vue, no store) so that a unit test can run it over every reason and both locales.
 */
import type { ErrorIssue } from '@shopfleet/contracts';
import { storedErrorReason } from '@shopfleet/contracts/constants';

export interface Translator {
  t(key: string, named?: Record<string, unknown>): string;
  te(key: string): boolean;
  /** The reader's language: English readers may read the server's message; others never do. */
  locale: string;
}

export interface RenderableError {
  code: string;
  reason?: string;
  params?: Record<string, unknown>;
  message: string;
  details?: unknown;
}

/** The issues of a validation error's details, as far as they have the expected shape. */
export function issuesOf(details: unknown): ErrorIssue[] {
  if (typeof details !== 'object' || details === null || !('issues' in details) || !Array.isArray(details.issues))
    return [];
  return (details.issues as unknown[]).filter(
    (i): i is ErrorIssue =>
      typeof i === 'object' &&
      i !== null &&
      typeof (i as ErrorIssue).path === 'string' &&
      typeof (i as ErrorIssue).message === 'string',
  );
}

const SIZED_ORIGINS = new Set(['string', 'number', 'array']);

/** One schema issue, without the field: "至少 2 个字符". */
export function issueText(tr: Translator, issue: ErrorIssue): string {
  const params = issue.params ?? {};
  if (issue.reason && tr.te(`errors.reasons.${issue.reason}`)) return tr.t(`errors.reasons.${issue.reason}`, params);
  const code = issue.code;
  if (code === 'too_small' || code === 'too_big') {
    const origin = typeof params.origin === 'string' && SIZED_ORIGINS.has(params.origin) ? params.origin : 'other';
    const exclusive = params.inclusive === 'false' && origin === 'number' ? 'Exclusive' : '';
    return tr.t(`errors.issues.${code}.${origin}${exclusive}`, params);
  }
  if (code === 'invalid_format') {
    const format =
      typeof params.format === 'string' && tr.te(`errors.issues.invalid_format.${params.format}`)
        ? params.format
        : 'other';
    return tr.t(`errors.issues.invalid_format.${format}`, params);
  }
  if (tr.te(`errors.issues.${code}`)) return tr.t(`errors.issues.${code}`, params);
  return tr.locale === 'en' && issue.message ? issue.message : tr.t('errors.issues.custom');
}

/** The field an issue concerns, as the reader knows it: `body.items.0.qty` → `items.0.qty`. */
export function issueField(path: string): string {
  return path.replace(/^(body|query|params|headers)\.?/, '');
}

/** One issue with its field: "shopName：至少 2 个字符". */
export function issueLine(tr: Translator, issue: ErrorIssue): string {
  const field = issueField(issue.path);
  const problem = issueText(tr, issue);
  return field ? tr.t('errors.issueAt', { field, problem }) : problem;
}

/** The text of an error: its reason, else its code; the first issues of a validation error follow. */
export function errorText(tr: Translator, error: RenderableError): string {
  let text: string;
  if (error.reason && tr.te(`errors.reasons.${error.reason}`))
    text = tr.t(`errors.reasons.${error.reason}`, error.params ?? {});
  else if (tr.locale === 'en' && error.message) text = error.message;
  else if (tr.te(`errors.${error.code}`)) text = tr.t(`errors.${error.code}`);
  else text = error.message || tr.t('errors.INTERNAL');
  const issues = issuesOf(error.details);
  if (!issues.length) return text;
  const shown = issues.slice(0, 3).map((i) => issueLine(tr, i));
  if (issues.length > shown.length) shown.push(tr.t('errors.moreIssues', { count: issues.length - shown.length }));
  return tr.t('errors.withIssues', { error: text, issues: shown.join(tr.t('errors.issueSeparator')) });
}

/**
 * A stopped release's or upload's stored error (`wechat:85085` and WeChat's words): said from its
 * reason where the code has one, else WeChat's own message.
 */
export function storedErrorText(tr: Translator, error: { code: string; message: string }): string {
  const reason = storedErrorReason(error.code);
  if (reason && tr.te(`errors.reasons.${reason}`)) return tr.t(`errors.reasons.${reason}`);
  return error.message;
}
