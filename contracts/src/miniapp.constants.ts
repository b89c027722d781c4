/** Permission sets a release needs: 18 code management (commit, audit, release). */
export const RELEASE_FUNC_SETS = [18] as const;

/** A template version: a semantic version, also the mini-program's user_version. */
export const TEMPLATE_VERSION_PATTERN = /^\d{1,4}\.\d{1,4}\.\d{1,4}$/;
/** Most characters of a template version's description. */
export const TEMPLATE_DESCRIPTION_MAX = 200;

/** A gray release goes to this share of users first (percent), raised later. */
export const GRAY_PERCENTAGE = { min: 1, max: 99 } as const;

/**
 * canary: releasing to the canary shops; waiting: the canary is done, staff look before going on;
 * rolling: releasing to the rest; paused; stopped (the shops not started are skipped); done; failed (its
 * dispatcher job gave up: failure says why; a retry goes on with the phase it was in).
 */
export const BULK_RELEASE_STATUSES = ['canary', 'waiting', 'rolling', 'paused', 'stopped', 'done', 'failed'] as const;
export type BulkReleaseStatus = (typeof BULK_RELEASE_STATUSES)[number];
/** waiting: not started yet; started: its release is running or ended (see releaseStatus); refused: it could not start (note says why); skipped: the batch stopped first. */
export const BULK_TARGET_STATES = ['waiting', 'started', 'refused', 'skipped'] as const;
export type BulkTargetState = (typeof BULK_TARGET_STATES)[number];
/** A bulk release's shop is one of the canary, or of the rest (main). */
export const BULK_TARGET_PHASES = ['canary', 'main'] as const;
export type BulkTargetPhase = (typeof BULK_TARGET_PHASES)[number];

/** Limits of createBulkReleaseBodySchema. */
export const BULK_RELEASE_LIMITS = {
  canaryMax: 50,
  tenantsMax: 10_000,
  categoriesMax: 20,
  concurrencyMin: 1,
  concurrencyMax: 50,
  concurrencyDefault: 5,
} as const;

/** A mini-program's AppSecret: 32 hex characters. */
export const WECHAT_APP_SECRET_PATTERN = /^[0-9a-f]{32}$/;
/** A code-upload key file (private.<appid>.key, PEM) is a few kB: at least this many characters, at most that many. */
export const CODE_UPLOAD_KEY_LENGTH = { min: 100, max: 8000 } as const;
