import { computed, shallowRef, watch, type Ref } from 'vue';
import type { MemberDetail, PointsEntry } from '@shopfleet/contracts';
import { getMember, memberPoints } from '@/api/members';
import { usePagedList } from '@/composables/use-paged-list';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** A member's drawer: the member (by shopper id) and their points ledger, a page at a time. */
export function useMemberDetail(shopperId: Ref<number | null>) {
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('customer:member:manage'));
  const member = shallowRef<MemberDetail | null>(null);
  const ledger = usePagedList<PointsEntry>((paging) =>
    shopperId.value === null
      ? Promise.resolve({ items: [], total: 0, ...paging })
      : memberPoints(shopperId.value, paging),
  );

  async function load(): Promise<void> {
    const id = shopperId.value;
    if (id === null) return;
    try {
      const detail = await getMember(id);
      if (shopperId.value === id) member.value = detail;
    } catch {
      // Shown by the request client.
    }
  }

  watch(
    shopperId,
    (id) => {
      member.value = null;
      if (id === null) return;
      void load();
      void ledger.changePage(1);
    },
    { immediate: true },
  );

  /** An adjustment saved: the figures it returned, and the ledger from its first page. */
  function adjusted(detail: MemberDetail): void {
    member.value = detail;
    void ledger.changePage(1);
  }

  return { canManage, member, ledger, adjusted };
}
