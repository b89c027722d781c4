import { ref } from 'vue';
import { useFormErrors, type FormErrorsOptions } from './form-errors';

/**
 * A marketing form's errors (see useFormErrors) and its save: one request at a time, and a refusal's issues next to
 * their fields (the request client has already shown the error itself).
 */
export function useFormSave(options: FormErrorsOptions) {
  const saving = ref(false);
  const formErrors = useFormErrors(options);

  /** Runs the save's request; false when it failed. */
  async function run(request: () => Promise<void>): Promise<boolean> {
    saving.value = true;
    try {
      await request();
      return true;
    } catch (error) {
      formErrors.showServerIssues(error);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { ...formErrors, saving, run };
}

/** What a form's page shows of its save: the errors by field, the issues of no field, whether it is saving. */
export type FormSaveState = Pick<ReturnType<typeof useFormSave>, 'errors' | 'otherIssues' | 'saving'>;
