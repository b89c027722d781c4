import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import {
  BULK_RELEASE_JOBS,
  QUEUES,
  SUBMISSION_JOBS,
  dispatchBulkPayloadSchema,
  submissionPayloadSchema,
  type SubmissionJob,
} from '@shopfleet/contracts';
import { isTransient, systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

const KNOWN = new Set<string>(Object.values(SUBMISSION_JOBS));

/**
 * The steps of each shop's release through WeChat. A step that must wait (WeChat's privacy scan,
 * an audit still in review) puts its job back as delayed without spending an attempt; a transient
 * error is retried with backoff and stops the release only when the attempts run out; a permanent
 * one stops the release at once with WeChat's reason, and fails the rest of the flow. A step whose job
 * gave up without that (its worker died too often) stops the release too, as does a bulk release's
 * dispatcher that gave up.
 * Concurrency and the rate limit keep the calls within WeChat's per-platform limits.
 */
export const submissionsProcessor: ProcessorDef = {
  queue: QUEUES.submissions,
  concurrency: 4,
  limiter: { max: 20, duration: 1000 },
  build: (platform: Platform) => async (job: Job, token?: string) => {
    if (job.name === BULK_RELEASE_JOBS.dispatch) {
      const parsed = dispatchBulkPayloadSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
      const run = await platform.services.bulkReleases.dispatch(
        systemContext(platform.log, job.name),
        parsed.data.bulkId,
      );
      if (run.again) await platform.services.bulkReleases.schedule(parsed.data.bulkId);
      return run;
    }
    if (!KNOWN.has(job.name)) throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    const parsed = submissionPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
    const { tenantId, releaseId } = parsed.data;
    const ctx = { ...systemContext(platform.log, job.name, tenantId), tenantId };
    const releases = platform.services.releases;
    let outcome;
    try {
      outcome = await releases.runStep(ctx, releaseId, job.name as SubmissionJob);
    } catch (err) {
      const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (isTransient(err) && !lastTry) throw err;
      await releases.stop(ctx, releaseId, err);
      throw new UnrecoverableError((err as Error).message);
    }
    if (outcome.kind === 'wait') {
      if (outcome.note) await releases.noteOnce(ctx, releaseId, outcome.note);
      await job.moveToDelayed(Date.now() + outcome.ms, token);
      throw new DelayedError();
    }
    return outcome.kind;
  },
  failed: async (platform, job, failure) => {
    if (job.name === BULK_RELEASE_JOBS.dispatch) {
      const parsed = dispatchBulkPayloadSchema.safeParse(job.data);
      if (parsed.success)
        await platform.services.bulkReleases.fail(systemContext(platform.log, job.name), parsed.data.bulkId, failure);
      return;
    }
    if (!KNOWN.has(job.name)) return;
    const parsed = submissionPayloadSchema.safeParse(job.data);
    if (!parsed.success) return;
    const { tenantId, releaseId } = parsed.data;
    await platform.services.releases.giveUp(
      { ...systemContext(platform.log, job.name, tenantId), tenantId },
      releaseId,
      job.name as SubmissionJob,
      failure,
    );
  },
};
