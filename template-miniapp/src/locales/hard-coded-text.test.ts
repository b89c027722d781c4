import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SRC = path.resolve(__dirname, '..');
/** Where Chinese belongs: the shop's texts (`locales/`), the texts of pages.json (`locale/`, uni-app's folder), the region table (data). */
const TEXT_HOMES = ['locales', 'locale', 'data'];
/**
 * A character of Chinese text: a Han ideograph, CJK punctuation (、。「」…) or a full-width form (，：（）？…).
 * The full-width ＋ and － are left out: the steppers draw them as symbols, not words.
 */
const CJK = /[\p{Script=Han}\u3000-\u303f\uff01-\uff0a\uff0c\uff0e-\uff5e]/u;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return dir === SRC && TEXT_HOMES.includes(entry.name) ? [] : sourceFiles(full);
    return /\.(vue|ts)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** `file:line: text` for every line of the file that has Chinese in it. */
function chineseLines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => (CJK.test(line) ? [`${path.relative(SRC, file)}:${index + 1}: ${line.trim()}`] : []));
}

describe('the shop has no hard-coded Chinese: every text is in the locale files', () => {
  it('no page, component, composable or other source file has Chinese outside the locale files', () => {
    const files = sourceFiles(SRC);
    expect(files.filter((f) => f.endsWith('.vue')).length).toBeGreaterThan(20);
    expect(files.flatMap(chineseLines)).toEqual([]);
  });

  it('pages.json (navigation bar titles, tab bar) has none: its texts are %key% placeholders', () => {
    expect(chineseLines(path.join(SRC, 'pages.json'))).toEqual([]);
  });

  it('the guard sees Chinese, its punctuation and full-width forms, but not the steppers’ ＋ and －', () => {
    expect(['购物车', '，', '（', '：', '。', '、'].every((s) => CJK.test(s))).toBe(true);
    expect(['＋', '－', '¥12.00', '✓', '›', '◉', 'Cart'].some((s) => CJK.test(s))).toBe(false);
  });
});
