import { shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { BusinessCategory, DocumentType } from '@shopfleet/contracts';
import { listCategories, listDocumentTypes } from '@/api/rules';

/**
 * Business categories and document types for the platform pages that show codes by name (review
 * queue, tenant detail). Loaded once per sign-in; the rules editor replaces them after each change.
 */
export const usePlatformReferenceStore = defineStore('platform-reference', () => {
  const categories = shallowRef<BusinessCategory[]>([]);
  const documentTypes = shallowRef<DocumentType[]>([]);
  let loading: Promise<void> | null = null;
  let loaded = false;

  function ensure(): Promise<void> {
    if (loaded) return Promise.resolve();
    loading ??= Promise.all([listCategories(), listDocumentTypes()])
      .then(([nextCategories, nextTypes]) => {
        categories.value = nextCategories;
        documentTypes.value = nextTypes;
        loaded = true;
      })
      .catch(() => undefined)
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  function setCategories(next: BusinessCategory[]): void {
    categories.value = next;
  }

  function setDocumentTypes(next: DocumentType[]): void {
    documentTypes.value = next;
  }

  function category(code: string | null | undefined): BusinessCategory | undefined {
    return code ? categories.value.find((item) => item.code === code) : undefined;
  }

  function documentType(code: string | null | undefined): DocumentType | undefined {
    return code ? documentTypes.value.find((item) => item.code === code) : undefined;
  }

  function reset(): void {
    categories.value = [];
    documentTypes.value = [];
    loaded = false;
  }

  return { categories, documentTypes, ensure, setCategories, setDocumentTypes, category, documentType, reset };
});
