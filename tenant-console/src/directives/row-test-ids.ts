import type { Directive } from 'vue';

interface State {
  ids: readonly string[];
  observer: MutationObserver;
}

const states = new WeakMap<HTMLElement, State>();

function label(el: HTMLElement, ids: readonly string[]): void {
  const rows = el.querySelectorAll<HTMLTableRowElement>('.el-table__body-wrapper tbody > tr.el-table__row');
  rows.forEach((row, index) => {
    const id = ids[index];
    if (id === undefined) row.removeAttribute('data-testid');
    else if (row.dataset.testid !== id) row.dataset.testid = id;
  });
}

/**
 * el-table renders its body rows itself and takes no attributes for them; this puts a `data-testid`
 * on each body `<tr>`, from the list given in row order (`v-row-test-ids="items.map(…)"`). Rows are
 * labelled again whenever the table re-renders them.
 */
export const vRowTestIds: Directive<HTMLElement, readonly string[]> = {
  mounted(el, binding) {
    const observer = new MutationObserver(() => {
      const state = states.get(el);
      if (state) label(el, state.ids);
    });
    observer.observe(el, { childList: true, subtree: true });
    states.set(el, { ids: binding.value, observer });
    label(el, binding.value);
  },
  updated(el, binding) {
    const state = states.get(el);
    if (state) state.ids = binding.value;
    label(el, binding.value);
  },
  unmounted(el) {
    states.get(el)?.observer.disconnect();
    states.delete(el);
  },
};
