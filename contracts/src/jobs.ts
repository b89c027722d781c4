import { z } from 'zod';

/**
 * Why a background job's record (an import, a template build, a release, a bulk release, a refund)
 * ended as failed, when the job itself gave up rather than the domain refusing. Stable codes, rendered
 * by the clients in the reader's language (`jobFailures.<code>`), with their params.
 */
export const JOB_FAILURE_CODES = [
  /** The worker running the job stopped (killed, crashed, out of memory) more often than allowed. */
  'JOB_STALLED',
  /** Every attempt failed on an error that might have passed; params: attempts, error. */
  'JOB_RETRIES_EXHAUSTED',
  /** The record waited for a job the queue no longer has (lost before it ran, or before it finished). */
  'JOB_LOST',
  /** An error no retry could fix; params: error. */
  'JOB_ERROR',
] as const;
export type JobFailureCode = (typeof JOB_FAILURE_CODES)[number];

export const jobFailureSchema = z
  .object({
    code: z.enum(JOB_FAILURE_CODES),
    /** Values for the text of the code (attempts, the technical error in English). */
    params: z.record(z.string(), z.union([z.string(), z.number()])),
  })
  .meta({ id: 'JobFailure' });
export type JobFailure = z.infer<typeof jobFailureSchema>;
