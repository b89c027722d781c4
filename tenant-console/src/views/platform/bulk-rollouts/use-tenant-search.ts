import { ref, shallowRef } from 'vue';
import type { TenantSummary } from '@shopfleet/contracts';
import { TENANT_QUERY_MAX } from '@shopfleet/contracts/constants';
import { listTenants } from '@/api/tenants';

/** How many active shops a search offers. */
const SEARCH_PAGE_SIZE = 20;

export type TenantOption = Pick<TenantSummary, 'id' | 'name' | 'slug'>;

/**
 * Active shops for a remote-search multi-select, by name: the last search's results plus the shops the
 * select already holds (remembered from earlier searches, so each keeps its name).
 */
export function useTenantSearch() {
  const known = shallowRef(new Map<number, TenantOption>());
  const results = shallowRef<TenantOption[]>([]);
  const searching = ref(false);
  let latest = 0;

  async function search(query: string): Promise<void> {
    const ticket = ++latest;
    searching.value = true;
    try {
      const q = query.trim().slice(0, TENANT_QUERY_MAX);
      const page = await listTenants(
        { page: 1, pageSize: SEARCH_PAGE_SIZE, status: 'active', q: q || undefined },
        { silent: true },
      );
      if (ticket !== latest) return;
      const options = page.items.map(({ id, name, slug }) => ({ id, name, slug }));
      const next = new Map(known.value);
      for (const option of options) next.set(option.id, option);
      known.value = next;
      results.value = options;
    } catch {
      if (ticket === latest) results.value = [];
    } finally {
      if (ticket === latest) searching.value = false;
    }
  }

  /** The select's options: the search results plus the shops it holds. */
  function optionsFor(ids: readonly number[]): TenantOption[] {
    const options = [...results.value];
    for (const id of ids) {
      if (options.some((option) => option.id === id)) continue;
      options.push(known.value.get(id) ?? { id, name: `#${id}`, slug: '' });
    }
    return options;
  }

  return { searching, search, optionsFor };
}
