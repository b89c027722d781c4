import { computed, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { CascaderProps } from 'element-plus';
import type { CategoryNode } from '@shopfleet/contracts';
import { listCatalogCategories } from '@/api/catalog';

/**
 * el-cascader over the tree: any node can be chosen (not only a leaf), by its radio or by clicking it,
 * and the value is the category's id.
 */
export const CATEGORY_CASCADER_PROPS: CascaderProps = {
  value: 'id',
  label: 'name',
  children: 'children',
  checkStrictly: true,
  checkOnClickNode: true,
  emitPath: false,
};

/** Each category by id, with the names from the top down to it ("服装 / 女装 / 连衣裙"). */
export interface CategoryEntry {
  node: CategoryNode;
  path: string[];
}

function index(tree: CategoryNode[]): Map<number, CategoryEntry> {
  const byId = new Map<number, CategoryEntry>();
  const walk = (nodes: CategoryNode[], above: string[]): void => {
    for (const node of nodes) {
      const path = [...above, node.name];
      byId.set(node.id, { node, path });
      walk(node.children, path);
    }
  };
  walk(tree, []);
  return byId;
}

/**
 * The shop's category tree for the pages that choose or show a category (product list filter, product
 * editor, home layout). Loaded once per sign-in; the category page replaces it after every change.
 */
export const useCatalogCategoriesStore = defineStore('catalog-categories', () => {
  const tree = shallowRef<CategoryNode[]>([]);
  const byId = computed(() => index(tree.value));
  let loading: Promise<void> | null = null;
  let loaded = false;

  /** Load once; a failure is shown by the request client and leaves an empty tree (tried again next time). */
  function ensure(): Promise<void> {
    if (loaded) return Promise.resolve();
    return reload();
  }

  function reload(): Promise<void> {
    loading ??= listCatalogCategories()
      .then((next) => {
        tree.value = next;
        loaded = true;
      })
      .catch(() => undefined)
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  function set(next: CategoryNode[]): void {
    tree.value = next;
    loaded = true;
  }

  /** "服装 / 女装", or null for an unknown id. */
  function pathName(id: number | null | undefined, separator = ' / '): string | null {
    if (id === null || id === undefined) return null;
    return byId.value.get(id)?.path.join(separator) ?? null;
  }

  function reset(): void {
    tree.value = [];
    loaded = false;
  }

  return { tree, byId, ensure, reload, set, pathName, reset };
});
