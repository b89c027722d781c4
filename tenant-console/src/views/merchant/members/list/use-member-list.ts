import { computed, onMounted, reactive, ref, shallowRef } from 'vue';
import type { MemberLevel, MemberSummary } from '@shopfleet/contracts';
import { listMemberLevels, listMembers, type MemberQuery } from '@/api/members';
import { usePagedList } from '@/composables/use-paged-list';

export const MEMBER_SORTS = ['newest', 'spend', 'points', 'last_visit'] as const satisfies readonly NonNullable<
  MemberQuery['sort']
>[];
export type MemberSort = (typeof MEMBER_SORTS)[number];

/**
 * The shop's members, a page at a time: by nickname or phone digits, by level, in one of the sorts; the levels for the
 * filter; which member's drawer is open.
 */
export function useMemberList() {
  const filters = reactive<{ q: string; levelId: number | null; sort: MemberSort }>({
    q: '',
    levelId: null,
    sort: 'newest',
  });
  const levels = shallowRef<MemberLevel[]>([]);
  const list = usePagedList((paging) =>
    listMembers({
      ...paging,
      q: filters.q.trim() || undefined,
      levelId: filters.levelId ?? undefined,
      sort: filters.sort,
    }),
  );
  const filtered = computed(() => filters.q.trim() !== '' || filters.levelId !== null);

  /** Filters changed: from the first page. */
  function search(): Promise<void> {
    return list.changePage(1);
  }

  async function loadLevels(): Promise<void> {
    try {
      levels.value = await listMemberLevels();
    } catch {
      // The filter offers every level it knows; the request client has shown why.
    }
  }

  const openId = ref<number | null>(null);
  function open(member: MemberSummary): void {
    openId.value = member.shopperId;
  }

  onMounted(() => {
    void list.load();
    void loadLevels();
  });

  return { ...list, filters, filtered, levels, search, openId, open };
}
