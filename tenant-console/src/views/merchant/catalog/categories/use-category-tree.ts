import { computed, onMounted, reactive, ref, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  ElMessage,
  ElMessageBox,
  type AllowDropFunction,
  type FormInstance,
  type FormRules,
  type UploadRequestOptions,
} from 'element-plus';
import type { CatalogImage, CategoryNode } from '@shopfleet/contracts';
import { CATEGORY_MAX_DEPTH, CATEGORY_NAME_MAX } from '@shopfleet/contracts/constants';
import {
  createCatalogCategory,
  deleteCatalogCategory,
  listCatalogCategories,
  reorderCatalogCategories,
  updateCatalogCategory,
  uploadCatalogImage,
  type UpdateCategoryBody,
} from '@/api/catalog';
import { useCatalogImageCheck } from '@/composables/use-catalog-image-check';
import { useCatalogCategoriesStore } from '@/stores/catalog-categories';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** el-tree's node model (its own Node class is not exported under a name). */
export type TreeNode = Parameters<AllowDropFunction>[0];
export type DropPlace = 'before' | 'after' | 'inner';

export interface CategoryForm {
  name: string;
  icon: CatalogImage | null;
}

interface DialogState {
  open: boolean;
  /** The category being renamed; null when adding one. */
  editing: CategoryNode | null;
  /** Where a new category goes: under this parent, or at the top level. */
  parent: CategoryNode | null;
}

/** A deep copy for el-tree, which moves nodes around in the array it is given. */
function cloneTree(nodes: CategoryNode[]): CategoryNode[] {
  return nodes.map((node) => ({ ...node, children: cloneTree(node.children) }));
}

function categoryOf(node: TreeNode | null | undefined): CategoryNode | null {
  return node && node.level > 0 ? (node.data as CategoryNode) : null;
}

/**
 * The category tree page: up to three levels, dragged to reorder among siblings or to move under another
 * parent (the server refuses a fourth level or a cycle; the tree then reloads), added, renamed with an
 * optional icon, and deleted when empty.
 */
export function useCategoryTree() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const store = useCatalogCategoriesStore();
  const { imageAccept, checkImage } = useCatalogImageCheck();
  const canManage = computed(() => session.can('catalog:product:manage'));

  /** el-tree's own copy of the tree. */
  const tree = ref<CategoryNode[]>([]);
  const loading = ref(false);
  const moving = ref(false);

  function apply(next: CategoryNode[]): void {
    store.set(next);
    tree.value = cloneTree(next);
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await listCatalogCategories());
    } catch {
      // Shown by the request client; keep what is shown.
    } finally {
      loading.value = false;
    }
  }

  // ---- drag and drop ----

  function allowDrag(): boolean {
    return canManage.value && !moving.value;
  }

  /**
   * After el-tree has moved the node: the same parent means a new order of the siblings; another parent
   * means a move (PATCH parentId), then the order where it was dropped. Whatever the outcome, the tree is
   * reloaded from the server, so a refused move (too deep, a cycle) snaps back; the request client shows
   * the server's reason.
   */
  async function onDrop(dragging: TreeNode, dropNode: TreeNode, place: DropPlace): Promise<void> {
    const moved = dragging.data as CategoryNode;
    const parentNode = place === 'inner' ? dropNode : dropNode.parent;
    const parent = categoryOf(parentNode);
    const parentId = parent?.id ?? null;
    const orderedIds = (parentNode?.childNodes ?? []).map((node) => (node.data as CategoryNode).id);
    moving.value = true;
    try {
      if (moved.parentId === parentId) {
        await reorderCatalogCategories({ parentId, orderedIds });
        ElMessage.success(t('catalog.categories.reordered'));
      } else {
        await updateCatalogCategory(moved.id, { parentId });
        if (place !== 'inner' && orderedIds.length > 1) await reorderCatalogCategories({ parentId, orderedIds });
        ElMessage.success(t('catalog.categories.moved', { name: moved.name }));
      }
    } catch {
      // Shown by the request client (e.g. "categories go 3 levels deep at most").
    } finally {
      moving.value = false;
      await load();
    }
  }

  // ---- add / edit dialog ----

  const dialog = reactive<DialogState>({ open: false, editing: null, parent: null });
  const formRef = useTemplateRef<FormInstance>('categoryForm');
  const form = reactive<CategoryForm>({ name: '', icon: null });
  const saving = ref(false);
  const uploadingIcon = ref(false);

  const rules = computed<FormRules<CategoryForm>>(() => ({
    name: [
      { required: true, whitespace: true, message: t('catalog.categories.nameRequired'), trigger: 'blur' },
      {
        max: CATEGORY_NAME_MAX,
        message: t('catalog.categories.nameLength', { max: CATEGORY_NAME_MAX }),
        trigger: 'blur',
      },
    ],
  }));

  const dialogTitle = computed(() => {
    if (dialog.editing) return t('catalog.categories.editTitle');
    return dialog.parent
      ? t('catalog.categories.addChildTitle', { parent: dialog.parent.name })
      : t('catalog.categories.addRootTitle');
  });

  function openDialog(editing: CategoryNode | null, parent: CategoryNode | null): void {
    Object.assign(dialog, { open: true, editing, parent });
    Object.assign(form, { name: editing?.name ?? '', icon: editing?.icon ?? null });
    formRef.value?.clearValidate();
  }

  const openAddRoot = (): void => openDialog(null, null);
  const openAddChild = (parent: CategoryNode): void => openDialog(null, parent);
  const openEdit = (category: CategoryNode): void => openDialog(category, null);

  /** A node at the deepest level takes no children. */
  function canHaveChildren(node: TreeNode): boolean {
    return node.level < CATEGORY_MAX_DEPTH;
  }

  async function uploadIcon(options: UploadRequestOptions): Promise<void> {
    uploadingIcon.value = true;
    try {
      form.icon = await uploadCatalogImage(options.file);
    } catch {
      // Shown by the request client.
    } finally {
      uploadingIcon.value = false;
    }
  }

  function removeIcon(): void {
    form.icon = null;
  }

  async function save(): Promise<void> {
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    const name = form.name.trim();
    const iconImageId = form.icon?.id ?? null;
    saving.value = true;
    try {
      const editing = dialog.editing;
      if (editing) {
        const body: UpdateCategoryBody = {};
        if (name !== editing.name) body.name = name;
        if (iconImageId !== (editing.icon?.id ?? null)) body.iconImageId = iconImageId;
        if (Object.keys(body).length > 0) await updateCatalogCategory(editing.id, body);
        ElMessage.success(t('catalog.categories.saved'));
      } else {
        await createCatalogCategory({ name, parentId: dialog.parent?.id ?? null, iconImageId });
        ElMessage.success(t('catalog.categories.created'));
      }
      dialog.open = false;
      await load();
    } catch {
      // Shown by the request client; the dialog keeps the input.
    } finally {
      saving.value = false;
    }
  }

  // ---- delete ----

  async function remove(category: CategoryNode): Promise<void> {
    try {
      await ElMessageBox.confirm(
        t('catalog.categories.deleteConfirm', { name: category.name }),
        t('catalog.categories.delete'),
        {
          type: 'warning',
          confirmButtonText: t('common.delete'),
          cancelButtonText: t('common.cancel'),
        },
      );
    } catch {
      return;
    }
    try {
      await deleteCatalogCategory(category.id);
      ElMessage.success(t('catalog.categories.deleted', { name: category.name }));
      await load();
    } catch {
      // A category with subcategories or products is refused with 409; the request client shows why.
    }
  }

  onMounted(load);

  return {
    canManage,
    tree,
    loading,
    moving,
    load,
    allowDrag,
    onDrop,
    dialog,
    dialogTitle,
    form,
    rules,
    saving,
    uploadingIcon,
    imageAccept,
    checkImage,
    openAddRoot,
    openAddChild,
    openEdit,
    canHaveChildren,
    uploadIcon,
    removeIcon,
    save,
    remove,
    maxDepth: CATEGORY_MAX_DEPTH,
  };
}
