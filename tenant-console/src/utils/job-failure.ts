import type { JobFailure } from '@shopfleet/contracts';

type Translate = (key: string, params: Record<string, unknown>) => string;

/** Why a background job's record failed, in the console's language; the stored English text only when there is no code. */
export function jobFailureText(t: Translate, failure: JobFailure | null, fallback: string | null = null): string {
  if (failure) return t(`jobFailures.${failure.code}`, failure.params);
  return fallback ?? '';
}
