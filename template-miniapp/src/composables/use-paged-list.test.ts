import { beforeEach, describe, expect, it, jest } from '@jest/globals';

/** The page's hooks, driven by the test: the list registers its reach-bottom and pull-down hooks here. */
const hooks: Record<'bottom' | 'pullDown', Array<() => void>> = { bottom: [], pullDown: [] };
jest.mock('@dcloudio/uni-app', () => ({
  onReachBottom: (fn: () => void) => hooks.bottom.push(fn),
  onPullDownRefresh: (fn: () => void) => hooks.pullDown.push(fn),
}));

// The request client is not loaded: an error is said by its message.
jest.mock('../request', () => ({ describeError: (e: unknown) => `failed: ${(e as Error).message}` }));

(globalThis as { uni?: unknown }).uni = { stopPullDownRefresh: () => undefined };
const { usePagedList } = jest.requireActual<typeof import('./use-paged-list')>('./use-paged-list');

interface Item {
  id: number;
}
interface Asked {
  page: number;
  resolve: (answer: { items: Item[]; total: number }) => void;
  reject: (error: unknown) => void;
}

/** Each page asked for waits here until the test answers it. */
const asked: Asked[] = [];
function fetchPage(page: number) {
  return new Promise<{ items: Item[]; total: number }>((resolve, reject) => {
    asked.push({ page, resolve, reject });
  });
}

const items = (...ids: number[]): Item[] => ids.map((id) => ({ id }));

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

beforeEach(() => {
  asked.length = 0;
  hooks.bottom = [];
  hooks.pullDown = [];
});

describe('a list the shopper scrolls a page at a time', () => {
  it('shows the first page, a page more on reaching the bottom, and is finished at the total', async () => {
    const list = usePagedList(fetchPage);
    void list.reload();
    expect(list.loading.value).toBe(true);
    asked[0]!.resolve({ items: items(1, 2), total: 3 });
    await settle();
    expect(list.items.value.map((i) => i.id)).toEqual([1, 2]);
    expect([list.loaded.value, list.loading.value, list.finished.value]).toEqual([true, false, false]);

    hooks.bottom.forEach((fn) => fn());
    expect(asked[1]!.page).toBe(2);
    expect(list.loadingMore.value).toBe(true);
    // An item the next page repeats (the list moved meanwhile) is shown once.
    asked[1]!.resolve({ items: items(2, 3), total: 3 });
    await settle();
    expect(list.items.value.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(list.finished.value).toBe(true);

    hooks.bottom.forEach((fn) => fn());
    expect(asked).toHaveLength(2);
  });

  it('drops the answer to an older reload that arrives after the newer one', async () => {
    const list = usePagedList(fetchPage);
    void list.reload();
    void list.restart();
    asked[1]!.resolve({ items: items(7), total: 1 });
    await settle();
    asked[0]!.resolve({ items: items(1, 2), total: 2 });
    await settle();
    expect(list.items.value.map((i) => i.id)).toEqual([7]);
    expect(list.loading.value).toBe(false);
  });

  it('keeps the items when the next page fails, and says so apart from a failed first page', async () => {
    const list = usePagedList(fetchPage);
    void list.reload();
    asked[0]!.reject(new Error('offline'));
    await settle();
    expect([list.error.value, list.loaded.value, list.empty.value]).toEqual(['failed: offline', false, false]);

    hooks.pullDown.forEach((fn) => fn());
    asked[1]!.resolve({ items: items(1), total: 2 });
    await settle();
    expect(list.error.value).toBeNull();
    void list.loadMore();
    asked[2]!.reject(new Error('timeout'));
    await settle();
    expect(list.moreError.value).toBe('failed: timeout');
    expect(list.items.value.map((i) => i.id)).toEqual([1]);
  });

  it('asks nothing while the page cannot load, and leaves an error the page shows itself out of `error`', async () => {
    let ready = false;
    const list = usePagedList(fetchPage, {
      canLoad: () => ready,
      handled: (e) => (e as Error).message === 'signed out',
    });
    await list.reload();
    expect(asked).toHaveLength(0);

    ready = true;
    void list.reload();
    asked[0]!.reject(new Error('signed out'));
    await settle();
    expect([list.error.value, list.loading.value]).toEqual([null, false]);
  });

  it('hands each whole answer to the page, for what comes with the items', async () => {
    const summaries: string[] = [];
    const list = usePagedList((page) => fetchPage(page).then((answer) => ({ ...answer, summary: `page ${page}` })), {
      onPage: (answer) => summaries.push(answer.summary),
    });
    void list.reload();
    asked[0]!.resolve({ items: items(1), total: 2 });
    await settle();
    void list.loadMore();
    asked[1]!.resolve({ items: items(2), total: 2 });
    await settle();
    expect(summaries).toEqual(['page 1', 'page 2']);
    expect(list.empty.value).toBe(false);
  });
});
