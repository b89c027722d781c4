import { computed, onMounted, onUnmounted, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { MiniappRelease, ReleaseStatus, WechatAuthorization } from '@shopfleet/contracts';
import { GRAY_PERCENTAGE, RELEASE_FUNC_SETS } from '@shopfleet/contracts/constants';
import {
  cancelMiniappRelease,
  getMiniappRelease,
  getWechatAuthorization,
  listMiniappReleases,
  publishMiniappRelease,
  retryMiniappRelease,
  rollbackMiniappRelease,
  startMiniappRelease,
} from '@/api/miniapp';
import { isApiError, notifyError } from '@/api/request';
import { usePagedList } from '@/composables/use-paged-list';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { translator } from '@/locales';
import { releaseNoteText, stoppedErrorText } from '@/utils/release-note';

/** While a release is in flight it is asked for again this often. */
const POLL_INTERVAL_MS = 3000;

/** The share of users a gray release may go to (contracts publishReleaseBodySchema.grayPercentage). */
export const GRAY_MIN = GRAY_PERCENTAGE.min;
export const GRAY_MAX = GRAY_PERCENTAGE.max;
/** The share first offered for a gray release. */
const GRAY_DEFAULT = 10;

/** The steps of a release as the page shows them (i18n keys under miniapp.release.steps). */
export const RELEASE_STEPS = ['authorization', 'domainsPrivacy', 'commit', 'audit', 'release'] as const;

/**
 * The step a status is working on; RELEASE_STEPS.length once all are done. Null for the statuses that
 * end a release: where it stopped is read from its events.
 */
const STEP_OF: Record<ReleaseStatus, number | null> = {
  pending: 1,
  domains_set: 1,
  privacy_set: 2,
  committed: 3,
  submitted: 3,
  audit_delayed: 3,
  audit_passed: 4,
  gray: 4,
  released: RELEASE_STEPS.length,
  audit_failed: null,
  failed: null,
  cancelled: null,
  rolled_back: null,
};

export interface ReleaseProgress {
  /** el-steps `active`: the steps before it are done. */
  active: number;
  /** el-steps `process-status`: how the active step is shown. */
  processStatus: 'process' | 'error' | 'wait';
}

/** Where a release stands on the steps; an ended one stops at the step of the last status it reached. */
export function progressOf(release: MiniappRelease): ReleaseProgress {
  const step = STEP_OF[release.status];
  if (step !== null) return { active: step, processStatus: 'process' };
  const reached = release.events
    .map((event) => STEP_OF[event.status])
    .filter((value): value is number => value !== null)
    .pop();
  const active = reached ?? (release.status === 'audit_failed' ? 3 : 1);
  return { active, processStatus: release.status === 'cancelled' ? 'wait' : 'error' };
}

/** Why the shop cannot start a release for want of an authorization (i18n keys under miniapp.release.authorization). */
export type AuthorizationProblem = 'unavailable' | 'notAuthorized' | 'missingCodeManagement';

export type ReleaseAction = 'start' | 'publish' | 'gray' | 'rollback' | 'cancel' | 'retry';

/**
 * The mini-program release page: the release shown (the shop's newest, or one picked from the history)
 * with its steps, trial QR code, audit outcome and events; the actions its status allows; the history.
 * A shop has at most one release in flight, always its newest: it is asked for again every 3 s until it
 * ends, so the merchant sees it advance. Starting needs the mini-program authorized with code
 * management; the page says so (and links to the authorization page) instead of offering the start.
 */
export function useMiniappReleases() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('miniapp:release:manage'));

  const history = usePagedList<MiniappRelease>((paging) => listMiniappReleases(paging), { pageSize: 10 });

  /** The shop's newest release: the one in flight, when there is one. */
  const newest = shallowRef<MiniappRelease | null>(null);
  /** A release picked in the history; null while the newest is shown. */
  const picked = shallowRef<MiniappRelease | null>(null);
  const shown = computed(() => picked.value ?? newest.value);
  const loadingNewest = ref(false);
  /** The newest release was asked for at least once (so "no release yet" means it). */
  const newestLoaded = ref(false);
  const newestFailed = ref(false);
  const anyInFlight = computed(() => newest.value?.inFlight ?? false);

  // ---- authorization ----
  const authorization = shallowRef<WechatAuthorization | null>(null);
  /** Null when a release may start, or when the authorization could not be read (the server decides then). */
  const authorizationProblem = computed<AuthorizationProblem | null>(() => {
    const current = authorization.value;
    if (!current) return null;
    if (!current.available) return 'unavailable';
    if (!current.authorized) return 'notAuthorized';
    return RELEASE_FUNC_SETS.every((set) => current.funcInfo.includes(set)) ? null : 'missingCodeManagement';
  });

  async function loadAuthorization(): Promise<void> {
    try {
      authorization.value = await getWechatAuthorization({ silent: true });
    } catch {
      authorization.value = null;
    }
  }

  // ---- what is shown ----
  const progress = computed(() => (shown.value ? progressOf(shown.value) : null));
  /** The shown release's events, newest first, each with its text in the console's language. */
  const events = computed(() =>
    shown.value
      ? [...shown.value.events].reverse().map((event) => ({ ...event, text: releaseNoteText(translator, event) }))
      : [],
  );
  /** The trial QR code did not load (its short-lived link expired): offer to ask for a fresh one. */
  const qrcodeBroken = ref(false);
  watch(
    () => shown.value?.trialQrcodeUrl,
    () => (qrcodeBroken.value = false),
  );

  /** Put a fresher copy of a release wherever it is shown. */
  function apply(release: MiniappRelease): void {
    if (newest.value?.id === release.id) newest.value = release;
    if (picked.value?.id === release.id) picked.value = release;
    const rows = history.items.value;
    if (rows.some((row) => row.id === release.id))
      history.items.value = rows.map((row) => (row.id === release.id ? release : row));
  }

  async function loadNewest(): Promise<void> {
    loadingNewest.value = true;
    try {
      const first = await listMiniappReleases({ page: 1, pageSize: 1 });
      newest.value = first.items[0] ?? null;
      newestFailed.value = false;
    } catch {
      newestFailed.value = true;
    } finally {
      loadingNewest.value = false;
      newestLoaded.value = true;
    }
  }

  /** Ask for the shown release again (a fresh trial QR code link, the latest state). */
  async function reloadShown(): Promise<void> {
    const release = shown.value;
    if (!release) return;
    try {
      apply(await getMiniappRelease(release.id));
    } catch {
      // Shown by the request client.
    }
  }

  async function refresh(): Promise<void> {
    const reloadPicked = picked.value ? reloadShown() : Promise.resolve();
    await Promise.all([loadNewest(), history.load(), loadAuthorization(), reloadPicked]);
  }

  /** Show a release of the history: at once from the list, then as it is now (the list's QR code link may have expired). */
  async function pick(release: MiniappRelease): Promise<void> {
    picked.value = release.id === newest.value?.id ? null : release;
    await reloadShown();
  }

  function showNewest(): void {
    picked.value = null;
  }

  // ---- following the release in flight ----
  /** The release asked for every few seconds: the shown one or the newest, while in flight. */
  const followed = computed(() => (shown.value?.inFlight ? shown.value : newest.value?.inFlight ? newest.value : null));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  /** The last look failed (it was shown once; the next failures are not). */
  let lookFailed = false;

  function stopPolling(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedule(): void {
    stopPolling();
    const target = followed.value;
    if (disposed || !target) return;
    const id = target.id;
    timer = setTimeout(() => {
      timer = undefined;
      void look(id);
    }, POLL_INTERVAL_MS);
  }

  async function look(id: number): Promise<void> {
    try {
      const next = await getMiniappRelease(id, { silent: true });
      if (disposed) return;
      lookFailed = false;
      // A new copy replaces the followed one: the watch below schedules the next look, or stops once it ended.
      apply(next);
    } catch (error) {
      if (disposed) return;
      if (!lookFailed) notifyError(error);
      lookFailed = true;
      // A refusal (gone, no permission) does not change by asking again; a network or server hiccup may.
      if (isApiError(error) && error.status >= 400 && error.status < 500) return;
      schedule();
    }
  }

  watch(followed, schedule);
  const following = computed(() => followed.value !== null);

  // ---- actions ----
  const acting = ref<ReleaseAction | null>(null);
  const autoRelease = ref(false);
  const grayPercentage = ref<number | undefined>(GRAY_DEFAULT);

  const status = computed(() => shown.value?.status ?? null);
  const canStart = computed(() => canManage.value && !anyInFlight.value && authorizationProblem.value === null);
  const canPublish = computed(() => canManage.value && (status.value === 'audit_passed' || status.value === 'gray'));
  /** A gray release can only be widened: the least share the input takes. */
  const grayMin = computed(() => {
    const release = shown.value;
    return release?.status === 'gray' && release.grayPercentage !== null
      ? Math.min(GRAY_MAX, release.grayPercentage + 1)
      : GRAY_MIN;
  });
  const canGray = computed(
    () => canPublish.value && (status.value === 'audit_passed' || (shown.value?.grayPercentage ?? GRAY_MAX) < GRAY_MAX),
  );
  // A release can be rolled back; a gray release withdrawn (its users go back to the version before).
  const canRollback = computed(() => canManage.value && (status.value === 'released' || status.value === 'gray'));
  const canCancel = computed(() => canManage.value && (shown.value?.inFlight ?? false) && status.value !== 'gray');
  /** A failed release goes on from the step it stopped at, when no other release is in flight. */
  const canRetry = computed(() => canManage.value && status.value === 'failed' && !anyInFlight.value);

  watch(grayMin, (min) => {
    if (grayPercentage.value === undefined || grayPercentage.value < min) grayPercentage.value = min;
  });

  /** Run an action on a release; whatever the answer, the release is shown as the server now has it. */
  async function act(
    action: ReleaseAction,
    release: MiniappRelease,
    run: () => Promise<MiniappRelease>,
    success: string,
  ): Promise<void> {
    if (acting.value) return;
    acting.value = action;
    try {
      apply(await run());
      ElMessage.success(success);
    } catch {
      // Shown by the request client (a 409 when the release moved on meanwhile): show where it stands.
      try {
        apply(await getMiniappRelease(release.id, { silent: true }));
      } catch {
        // The first error is the one worth showing.
      }
    } finally {
      acting.value = null;
    }
  }

  /** Start a release of the newest built template version. */
  async function start(): Promise<void> {
    if (!canStart.value || acting.value) return;
    acting.value = 'start';
    try {
      const created = await startMiniappRelease({ autoRelease: autoRelease.value });
      newest.value = created;
      picked.value = null;
      ElMessage.success(t('miniapp.release.started', { version: created.version }));
      history.page.value = 1;
      await history.load();
    } catch {
      // Shown by the request client; a 409 may mean a release started elsewhere meanwhile.
      await loadNewest();
    } finally {
      acting.value = null;
    }
  }

  /** Release the shown (audited or gray) release to every user. */
  async function publish(): Promise<void> {
    const release = shown.value;
    if (!release || !canPublish.value) return;
    await act(
      'publish',
      release,
      () => publishMiniappRelease(release.id, {}),
      t('miniapp.release.published', { version: release.version }),
    );
  }

  /** Release the shown audited release to a share of users, or widen its gray release. */
  async function gray(): Promise<void> {
    const release = shown.value;
    const percentage = grayPercentage.value;
    if (!release || !canGray.value || percentage === undefined) return;
    const message = release.status === 'gray' ? 'miniapp.release.widened' : 'miniapp.release.grayed';
    await act(
      'gray',
      release,
      () => publishMiniappRelease(release.id, { grayPercentage: percentage }),
      t(message, { percentage }),
    );
  }

  async function rollback(): Promise<void> {
    const release = shown.value;
    if (!release || !canRollback.value || acting.value) return;
    // Users of the live mini-program are affected at once: ask first.
    try {
      await ElMessageBox.confirm(t('miniapp.release.rollbackHint'), t('miniapp.release.rollback'), { type: 'warning' });
    } catch {
      return;
    }
    await act(
      'rollback',
      release,
      () => rollbackMiniappRelease(release.id),
      t('miniapp.release.rolledBack', { version: release.version }),
    );
  }

  async function cancel(): Promise<void> {
    const release = shown.value;
    if (!release || !canCancel.value || acting.value) return;
    try {
      await ElMessageBox.confirm(
        t('miniapp.release.cancelConfirm', { version: release.version }),
        t('miniapp.release.cancelTitle'),
        {
          type: 'warning',
          confirmButtonText: t('miniapp.release.cancelConfirmButton'),
          cancelButtonText: t('miniapp.release.keep'),
        },
      );
    } catch {
      return;
    }
    await act(
      'cancel',
      release,
      () => cancelMiniappRelease(release.id),
      t('miniapp.release.cancelled', { version: release.version }),
    );
  }

  /** Go on with the shown failed release; it is followed again while in flight. */
  async function retry(): Promise<void> {
    const release = shown.value;
    if (!release || !canRetry.value || acting.value) return;
    await act(
      'retry',
      release,
      () => retryMiniappRelease(release.id),
      t('miniapp.release.retried', { version: release.version }),
    );
  }

  /** Why the shown release stopped, in the console's language (said by its reason and params). */
  const failureText = computed(() => {
    const error = shown.value?.error;
    return error ? stoppedErrorText(translator, error) : '';
  });

  onMounted(refresh);
  onUnmounted(() => {
    disposed = true;
    stopPolling();
  });

  return {
    canManage,
    history,
    newest,
    shown,
    picked,
    loadingNewest,
    newestLoaded,
    newestFailed,
    anyInFlight,
    authorization,
    authorizationProblem,
    progress,
    events,
    qrcodeBroken,
    following,
    acting,
    autoRelease,
    grayPercentage,
    grayMin,
    canStart,
    canPublish,
    canGray,
    canRollback,
    canCancel,
    canRetry,
    failureText,
    refresh,
    reloadShown,
    pick,
    showNewest,
    start,
    publish,
    gray,
    rollback,
    cancel,
    retry,
  };
}
