import { reactive, ref } from 'vue';
import { isApiError } from '@/api/request';
import { translator } from '@/locales';
import { issueField, issueText, issuesOf } from '@/utils/error-text';

export interface FormErrorsOptions {
  /** Taken off the front of an issue's path (after `body.`): the part of the body the form fills (`fullReduction.`). */
  prefix?: string;
  /** The form's field key of an issue's path, or null to show the issue above the form. */
  fieldOf: (path: string[]) => string | null;
}

/**
 * The errors of a marketing form: by field key (the form's own names, `tiers.1.threshold`), and the server's issues
 * that belong to no field shown. A VALIDATION_FAILED answer's issues are said from their reason in the reader's
 * language (never the server's English) and put next to their fields by the form's `fieldOf`, which gets the issue's
 * path without `body.` and the form's own prefix (`fullReduction.`).
 */
export function useFormErrors(options: FormErrorsOptions) {
  const errors = reactive<Record<string, string>>({});
  const otherIssues = ref<string[]>([]);

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key];
    otherIssues.value = [];
  }

  /** The first error of a field stays (the one the reader fixes first). */
  function set(key: string, message: string): void {
    errors[key] ??= message;
  }

  function showServerIssues(error: unknown): void {
    if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return;
    for (const issue of issuesOf(error.details)) {
      let path = issueField(issue.path);
      if (options.prefix && path.startsWith(options.prefix)) path = path.slice(options.prefix.length);
      const message = issueText(translator, issue);
      const key = options.fieldOf(path ? path.split('.') : []);
      if (key) set(key, message);
      else otherIssues.value.push(message);
    }
  }

  return { errors, otherIssues, clear, set, showServerIssues };
}
