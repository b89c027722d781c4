/**
 * Search terms for a keyword index that works for Chinese and English alike, on MySQL and MariaDB
 * (MariaDB has no ngram full-text parser). Chinese text has no spaces, so it is indexed as single
 * characters and overlapping pairs; a query's pairs must all be present, so 蓝牙耳机 and 耳机 both find
 * 无线蓝牙耳机. Latin words are indexed with their prefixes, so typing part of a word finds it.
 */
const HAN = /\p{Script=Han}/u;
const TERM_MAX = 32;
const PREFIX_MIN = 2;

function runs(text: string): Array<{ han: boolean; text: string }> {
  const out: Array<{ han: boolean; text: string }> = [];
  const normalized = text.normalize('NFKC').toLowerCase();
  let current = '';
  let currentHan = false;
  const flush = () => {
    if (current) out.push({ han: currentHan, text: current });
    current = '';
  };
  for (const ch of normalized) {
    const han = HAN.test(ch);
    const word = han || /[\p{L}\p{N}]/u.test(ch);
    if (!word) {
      flush();
      continue;
    }
    if (current && han !== currentHan) flush();
    currentHan = han;
    current += ch;
  }
  flush();
  return out;
}

/** The terms a product's searchable text is indexed under. */
export function indexTerms(...texts: string[]): string[] {
  const terms = new Set<string>();
  for (const run of texts.flatMap((t) => runs(t))) {
    const chars = [...run.text];
    if (run.han) {
      for (let i = 0; i < chars.length; i++) {
        terms.add(chars[i]!);
        if (i + 1 < chars.length) terms.add(chars[i]! + chars[i + 1]!);
      }
    } else {
      const word = chars.slice(0, TERM_MAX).join('');
      for (let len = Math.min(PREFIX_MIN, word.length); len <= word.length; len++) terms.add(word.slice(0, len));
      // An English plural also finds its singular ("chairs" → chair), and the other way round by prefix.
      if (word.length > 3 && word.endsWith('s')) terms.add(word.slice(0, -1));
    }
  }
  return [...terms].filter((t) => t.length <= TERM_MAX);
}

/** The terms a query must match, all of them: pairs for Chinese (a lone character as itself), words for the rest. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(query)) {
    const chars = [...run.text];
    if (run.han) {
      if (chars.length === 1) terms.add(chars[0]!);
      for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]!);
    } else {
      terms.add(chars.slice(0, TERM_MAX).join(''));
    }
  }
  return [...terms].slice(0, 12);
}
