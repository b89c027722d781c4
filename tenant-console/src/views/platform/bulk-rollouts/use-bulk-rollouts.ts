import { onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { BulkRelease } from '@shopfleet/contracts';
import type { BulkReleaseStatus } from '@shopfleet/contracts/constants';
import {
  continueBulkRelease,
  listBulkReleases,
  pauseBulkRelease,
  resumeBulkRelease,
  retryBulkRelease,
  stopBulkRelease,
} from '@/api/bulk-rollouts';
import { useListPolling } from '@/composables/use-list-polling';
import { usePagedList } from '@/composables/use-paged-list';

/** While a bulk release on the page is releasing, the page is asked for again this often. */

export type BulkAction = 'continue' | 'pause' | 'resume' | 'retry' | 'stop';

/** What staff may do in each status (the server decides; a 409 says why not). */
export const ACTIONS_BY_STATUS: Record<BulkReleaseStatus, readonly BulkAction[]> = {
  canary: ['pause', 'stop'],
  waiting: ['continue', 'stop'],
  rolling: ['pause', 'stop'],
  paused: ['resume', 'stop'],
  stopped: [],
  done: [],
  failed: ['retry', 'stop'],
};

const ACTIONS: Record<BulkAction, (id: number) => Promise<BulkRelease>> = {
  continue: continueBulkRelease,
  pause: pauseBulkRelease,
  resume: resumeBulkRelease,
  retry: retryBulkRelease,
  stop: stopBulkRelease,
};

/** The statuses in which the dispatcher is starting releases: the page follows them. */
export function isReleasing(bulk: BulkRelease): boolean {
  return bulk.status === 'canary' || bulk.status === 'rolling';
}

/**
 * Bulk releases: the server-paged list (newest first, with the progress of the canary and of the rest),
 * asked for again every 3 s while one on the page is releasing, and the actions its status allows:
 * continue after the canary, pause, resume, and stop (after a confirmation: the shops not started are
 * skipped for good).
 */
export function useBulkRollouts() {
  const { t } = useI18n();

  const list = usePagedList<BulkRelease>((paging) => listBulkReleases(paging));
  const { polling, following: anyReleasing } = useListPolling(list, isReleasing);

  /** Put a fresher copy of a bulk release in its row. */
  function apply(bulk: BulkRelease): void {
    list.items.value = list.items.value.map((row) => (row.id === bulk.id ? bulk : row));
  }

  /** Show the first page, where a new bulk release is (newest first). */
  async function showNewest(): Promise<void> {
    list.page.value = 1;
    await list.load();
  }

  // ---- actions ----
  /** The row an action is running on, and which action. */
  const acting = ref<{ id: number; action: BulkAction } | null>(null);

  async function confirmStop(bulk: BulkRelease): Promise<boolean> {
    try {
      await ElMessageBox.confirm(
        t('bulkRollouts.stopConfirm', { id: bulk.id, version: bulk.version }),
        t('bulkRollouts.stopTitle'),
        {
          type: 'warning',
          confirmButtonText: t('bulkRollouts.actions.stop'),
          cancelButtonText: t('bulkRollouts.keep'),
        },
      );
      return true;
    } catch {
      return false;
    }
  }

  async function act(bulk: BulkRelease, action: BulkAction): Promise<void> {
    if (acting.value) return;
    if (action === 'stop' && !(await confirmStop(bulk))) return;
    acting.value = { id: bulk.id, action };
    try {
      const updated = await ACTIONS[action](bulk.id);
      apply(updated);
      ElMessage.success(t(`bulkRollouts.acted.${action}`, { id: bulk.id, version: bulk.version }));
    } catch {
      // The batch moved on meanwhile (409) or the request failed: shown by the request client; show it as it is now.
      await list.load();
    } finally {
      acting.value = null;
    }
  }

  function isActing(bulk: BulkRelease, action: BulkAction): boolean {
    return acting.value?.id === bulk.id && acting.value.action === action;
  }

  onMounted(list.load);

  return {
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    failed: list.failed,
    polling,
    anyReleasing,
    load: list.load,
    changePage: list.changePage,
    changePageSize: list.changePageSize,
    showNewest,
    acting,
    act,
    isActing,
  };
}
