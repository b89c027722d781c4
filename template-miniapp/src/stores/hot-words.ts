import { ref } from 'vue';
import { getProduct } from '../api/catalog';
import { loadHome } from './home';

export const HOT_WORDS_MAX = 8;
/** Product cards carry no tags, so the tags come from these many products' details (hot first, then recommended). */
const SOURCE_PRODUCTS_MAX = 10;

/** The search page's suggestions: the most frequent tags of the home page's hot and recommended products. */
export const hotWords = ref<string[]>([]);

let loaded: Promise<string[]> | null = null;

async function collect(): Promise<string[]> {
  const home = await loadHome();
  if (!home) return [];
  const ids = [...new Set([...home.hotProducts, ...home.recommendedProducts].map((p) => p.id))].slice(
    0,
    SOURCE_PRODUCTS_MAX,
  );
  const details = await Promise.all(ids.map((id) => getProduct(id).catch(() => null)));
  const counts = new Map<string, number>();
  for (const detail of details) {
    for (const tag of new Set(detail?.tags ?? [])) {
      const word = tag.trim();
      if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  // Most frequent first; a tie keeps the order of first appearance (hot products come first).
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, HOT_WORDS_MAX)
    .map(([word]) => word);
}

/** Computes the hot words once per app run; a failed attempt is retried on the next call. */
export function loadHotWords(): Promise<string[]> {
  if (!loaded) {
    loaded = collect().then((words) => {
      hotWords.value = words;
      if (!words.length) loaded = null;
      return words;
    });
  }
  return loaded;
}
