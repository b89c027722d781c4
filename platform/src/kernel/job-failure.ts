import type { JobFailure } from '@shopfleet/contracts';

/** BullMQ's reason for a job whose worker died more often than `maxStalledCount` allows. */
export const STALLED_REASON = 'job stalled more than allowable limit';

/** What is known of a job that failed for good: BullMQ's Job has these fields. */
export interface FailedJob {
  attemptsMade: number;
  opts: { attempts?: number };
  failedReason?: string;
}

/**
 * Why a job gave up, as a stable code with params: its worker died too often, every attempt failed,
 * or one error no retry could fix. The technical error stays in English, as a param.
 */
export function jobFailureOf(job: FailedJob, err?: { name?: string; message?: string }): JobFailure {
  const error = (err?.message ?? job.failedReason ?? '').slice(0, 300);
  if (error === STALLED_REASON) return { code: 'JOB_STALLED', params: {} };
  const attempts = job.opts.attempts ?? 1;
  if (err?.name !== 'UnrecoverableError' && attempts > 1)
    return { code: 'JOB_RETRIES_EXHAUSTED', params: { attempts, error } };
  return { code: 'JOB_ERROR', params: { error } };
}

/** The failure as an English sentence, for logs and the columns that keep a reason as text. */
export function describeJobFailure(f: JobFailure): string {
  switch (f.code) {
    case 'JOB_STALLED':
      return 'The worker running it stopped more often than allowed';
    case 'JOB_RETRIES_EXHAUSTED':
      return `Every one of ${f.params.attempts} attempts failed: ${f.params.error}`;
    case 'JOB_LOST':
      return 'Its job was lost before it finished';
    case 'JOB_ERROR':
    default:
      return `It stopped on an error: ${f.params.error}`;
  }
}
