import { ref, shallowRef, watch } from 'vue';
import type { TemplateVersion, TemplateVersionShop } from '@shopfleet/contracts';
import { listTemplateVersionShops } from '@/api/templates';

/** The shops whose mini-program runs one version now, in a dialog, a page at a time. */
export function useTemplateShops() {
  const shopsOpen = ref(false);
  const shopsVersion = shallowRef<TemplateVersion | null>(null);
  const shops = shallowRef<TemplateVersionShop[]>([]);
  const shopsTotal = ref(0);
  const shopsPage = ref(1);
  const shopsPageSize = ref(20);
  const shopsLoading = ref(false);
  let latest = 0;

  async function loadShops(): Promise<void> {
    const version = shopsVersion.value;
    if (!version) return;
    const ticket = ++latest;
    shopsLoading.value = true;
    try {
      const result = await listTemplateVersionShops(version.id, {
        page: shopsPage.value,
        pageSize: shopsPageSize.value,
      });
      if (ticket !== latest) return;
      shops.value = result.items;
      shopsTotal.value = result.total;
    } catch {
      // Shown by the request client; the rows read before stay.
    } finally {
      if (ticket === latest) shopsLoading.value = false;
    }
  }

  function openShops(version: TemplateVersion): void {
    shopsVersion.value = version;
    shops.value = [];
    shopsTotal.value = 0;
    shopsPage.value = 1;
    shopsOpen.value = true;
    void loadShops();
  }

  function changeShopsPage(page: number): void {
    shopsPage.value = page;
    void loadShops();
  }

  function changeShopsPageSize(size: number): void {
    shopsPageSize.value = size;
    shopsPage.value = 1;
    void loadShops();
  }

  watch(shopsOpen, (open) => {
    if (!open) latest++;
  });

  return {
    shopsOpen,
    shopsVersion,
    shops,
    shopsTotal,
    shopsPage,
    shopsPageSize,
    shopsLoading,
    openShops,
    changeShopsPage,
    changeShopsPageSize,
  };
}
