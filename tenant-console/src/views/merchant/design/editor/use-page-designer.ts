import { computed, reactive, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import QRCode from 'qrcode';
import type { CatalogImage, DesignPage, PageBlock, PageContent, PageVersion } from '@shopfleet/contracts';
import type { BlockType } from '@shopfleet/contracts/constants';
import {
  getDesignPage,
  listDesignVersions,
  previewDesignPage,
  publishDesignPage,
  restoreDesignVersion,
  saveDesignDraft,
} from '@/api/storefront';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { newBlock } from '../blocks';

/** A draft preview as the console shows it: the h5 address and its QR code. */
export interface PreviewLink {
  url: string;
  qr: string;
  expiresAt: string;
}

/**
 * The page designer: the page's draft (its blocks in order, the chosen one), adding blocks from the palette (a click,
 * or a drag onto the phone at a place), moving and removing them, saving the draft, a QR code of the draft's h5 preview,
 * publishing, and the published versions with roll back. The server checks every save; its refusal is shown by the
 * request client and keeps the draft as edited.
 */
export function usePageDesigner(pageId: () => number) {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('shop:design:manage'));

  const page = shallowRef<DesignPage | null>(null);
  const draft = reactive<PageContent>({ title: '', background: null, blocks: [] });
  const selectedId = ref<string | null>(null);
  const dirty = ref(false);
  const busy = ref<'save' | 'publish' | 'preview' | 'restore' | null>(null);
  const versions = ref<PageVersion[]>([]);
  const preview = ref<PreviewLink | null>(null);
  /** The images the draft names (from the server) and those uploaded in this session, by id: what the phone shows. */
  const images = reactive(new Map<number, CatalogImage>());
  /** The titles of the products the draft names and of those found while picking, by id. */
  const products = reactive(new Map<number, string>());

  const selected = computed(() => draft.blocks.find((b) => b.id === selectedId.value) ?? null);

  function take(next: DesignPage) {
    page.value = next;
    draft.title = next.draft.title;
    draft.background = next.draft.background;
    draft.blocks = next.draft.blocks.map((b) => structuredClone(b));
    for (const image of next.images) images.set(image.id, image);
    for (const product of next.products) products.set(product.id, product.title);
    if (!draft.blocks.some((b) => b.id === selectedId.value)) selectedId.value = draft.blocks[0]?.id ?? null;
    dirty.value = false;
  }

  async function load() {
    take(await getDesignPage(pageId()));
  }

  watch(
    () => [draft.title, draft.background, draft.blocks],
    () => {
      dirty.value = true;
    },
    { deep: true },
  );

  function add(type: BlockType, at = draft.blocks.length) {
    const block = newBlock(type);
    draft.blocks.splice(at, 0, block);
    selectedId.value = block.id;
  }

  /** What the palette hands the phone when a block is dragged in: a new block of that type. */
  function cloneFromPalette(type: BlockType): PageBlock {
    return newBlock(type);
  }

  function move(id: string, by: -1 | 1) {
    const from = draft.blocks.findIndex((b) => b.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= draft.blocks.length) return;
    const [block] = draft.blocks.splice(from, 1);
    draft.blocks.splice(to, 0, block!);
  }

  function remove(id: string) {
    const at = draft.blocks.findIndex((b) => b.id === id);
    if (at < 0) return;
    draft.blocks.splice(at, 1);
    if (selectedId.value === id) selectedId.value = draft.blocks[Math.min(at, draft.blocks.length - 1)]?.id ?? null;
  }

  async function save(quiet = false): Promise<boolean> {
    busy.value = 'save';
    try {
      // A plain copy: the draft is a reactive proxy, which structuredClone cannot copy.
      take(await saveDesignDraft(pageId(), JSON.parse(JSON.stringify(draft)) as PageContent));
      if (!quiet) ElMessage.success(t('design.saved'));
      return true;
    } catch {
      return false;
    } finally {
      busy.value = null;
    }
  }

  async function publish() {
    if (dirty.value && !(await save(true))) return;
    busy.value = 'publish';
    try {
      const version = await publishDesignPage(pageId());
      ElMessage.success(t('design.published', { version: version.version }));
      await Promise.all([load(), loadVersions()]);
    } catch {
      // Shown by the request client.
    } finally {
      busy.value = null;
    }
  }

  async function loadVersions() {
    versions.value = await listDesignVersions(pageId());
  }

  async function restore(version: number) {
    try {
      await ElMessageBox.confirm(t('design.restoreConfirm', { version }), t('design.restore'), { type: 'warning' });
    } catch {
      return;
    }
    busy.value = 'restore';
    try {
      const made = await restoreDesignVersion(pageId(), version);
      ElMessage.success(t('design.restored', { version, made: made.version }));
      await Promise.all([load(), loadVersions()]);
    } catch {
      // Shown by the request client.
    } finally {
      busy.value = null;
    }
  }

  /** Saves the draft, then a QR code of its h5 preview (a phone scanning it sees the draft, for half an hour). */
  async function makePreview() {
    if (dirty.value && !(await save(true))) return;
    busy.value = 'preview';
    try {
      const pass = await previewDesignPage(pageId());
      const slug = session.me?.tenant.slug ?? '';
      const url = `${window.location.origin}/s/${encodeURIComponent(slug)}/#/${pass.path}`;
      preview.value = { url, qr: await QRCode.toDataURL(url, { width: 220, margin: 1 }), expiresAt: pass.expiresAt };
    } catch {
      // Shown by the request client.
    } finally {
      busy.value = null;
    }
  }

  return {
    canManage,
    page,
    draft,
    selected,
    selectedId,
    dirty,
    busy,
    versions,
    preview,
    images,
    products,
    load,
    add,
    cloneFromPalette,
    move,
    remove,
    save,
    publish,
    loadVersions,
    restore,
    makePreview,
  };
}
