import { ref } from 'vue';
import { searchSupport, type SupportSearchHit } from '@/api/support';

const PAGE_SIZE = 20;

/** Search in the text of every conversation of the shop, newest first; a hit opens its conversation. */
export function useSupportSearch() {
  const q = ref('');
  const hits = ref<SupportSearchHit[]>([]);
  const total = ref(0);
  /** Hits are shown instead of the inbox. */
  const active = ref(false);
  const loading = ref(false);
  let ticket = 0;

  async function run(): Promise<void> {
    const text = q.value.trim();
    if (!text) return clear();
    const mine = ++ticket;
    active.value = true;
    loading.value = true;
    try {
      const page = await searchSupport(text.slice(0, 50), { page: 1, pageSize: PAGE_SIZE });
      if (mine !== ticket) return;
      hits.value = page.items;
      total.value = page.total;
    } catch {
      // Shown by the request client.
    } finally {
      if (mine === ticket) loading.value = false;
    }
  }

  function clear(): void {
    ticket++;
    q.value = '';
    hits.value = [];
    total.value = 0;
    active.value = false;
    loading.value = false;
  }

  return { q, hits, total, active, loading, run, clear };
}

export type SearchState = ReturnType<typeof useSupportSearch>;
