import { onMounted } from 'vue';
import { usePlatformReferenceStore } from '@/stores/platform-reference';
import { useLocalized } from './use-localized';

/** Names of categories and document types by code, in the console's language (the code when unknown). */
export function usePlatformNames() {
  const reference = usePlatformReferenceStore();
  const { nameOf } = useLocalized();

  onMounted(() => void reference.ensure());

  return {
    reference,
    categoryName(code: string | null | undefined): string {
      if (!code) return '—';
      const found = reference.category(code);
      return found ? nameOf(found) : code;
    },
    typeName(code: string | null | undefined): string {
      if (!code) return '—';
      const found = reference.documentType(code);
      return found ? nameOf(found) : code;
    },
  };
}
