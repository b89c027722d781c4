import { reactive, ref, shallowRef, watch, type Ref } from 'vue';
import type { BulkRelease } from '@shopfleet/contracts';
import type { BulkTargetPhase, BulkTargetState } from '@shopfleet/contracts/constants';
import { listBulkReleaseTargets, type BulkReleaseTarget } from '@/api/bulk-rollouts';
import { usePagedList } from '@/composables/use-paged-list';

export interface BulkTargetFilters {
  phase: BulkTargetPhase | '';
  state: BulkTargetState | '';
}

/** A shop that could not start, or whose release failed or was rejected: highlighted in the drawer. */
export function isFailure(target: BulkReleaseTarget): boolean {
  return target.state === 'refused' || target.releaseStatus === 'failed' || target.releaseStatus === 'audit_failed';
}

/**
 * The shops of one bulk release, in a drawer: filtered by phase and state, server-paged. The drawer
 * follows the list: each time the list is answered (every 3 s while a batch is releasing), the bulk
 * release shown and its shops are read again.
 */
export function useBulkRolloutTargets(items: Ref<readonly BulkRelease[]>) {
  const drawerOpen = ref(false);
  /** The bulk release whose shops are shown, as the list last showed it. */
  const shownBulk = shallowRef<BulkRelease | null>(null);
  const filters = reactive<BulkTargetFilters>({ phase: '', state: '' });
  /** A background refresh is running: the table keeps its rows without the loading mask. */
  const refreshing = ref(false);

  const targets = usePagedList<BulkReleaseTarget>((paging) => {
    const bulk = shownBulk.value;
    if (!bulk) return Promise.resolve({ items: [], page: paging.page, pageSize: paging.pageSize, total: 0 });
    return listBulkReleaseTargets(bulk.id, {
      ...paging,
      phase: filters.phase || undefined,
      state: filters.state || undefined,
    });
  });

  function openTargets(bulk: BulkRelease): void {
    shownBulk.value = bulk;
    Object.assign(filters, { phase: '', state: '' });
    targets.items.value = [];
    targets.total.value = 0;
    targets.page.value = 1;
    drawerOpen.value = true;
    void targets.load();
  }

  async function applyFilters(): Promise<void> {
    targets.page.value = 1;
    await targets.load();
  }

  async function refreshTargets(): Promise<void> {
    refreshing.value = true;
    try {
      await targets.load();
    } finally {
      refreshing.value = false;
    }
  }

  watch(items, (next) => {
    const shown = shownBulk.value;
    if (!drawerOpen.value || !shown) return;
    const row = next.find((bulk) => bulk.id === shown.id);
    if (row) shownBulk.value = row;
    void refreshTargets();
  });

  return {
    drawerOpen,
    shownBulk,
    filters,
    targets: targets.items,
    targetsTotal: targets.total,
    targetsPage: targets.page,
    targetsPageSize: targets.pageSize,
    targetsLoading: targets.loading,
    targetsFailed: targets.failed,
    refreshing,
    openTargets,
    applyFilters,
    refreshTargets,
    changeTargetsPage: targets.changePage,
    changeTargetsPageSize: targets.changePageSize,
  };
}
