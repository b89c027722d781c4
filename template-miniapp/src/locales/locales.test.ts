import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ERROR_CODES, ERROR_REASONS, defaultAppearance, type ErrorReason } from '@shopfleet/contracts';
import enJson from '../locale/en.json';
import zhHansJson from '../locale/zh-Hans.json';
import { ApiError, describeError } from '../request/api-error';
import { en } from './en';
import { zhCN } from './zh-CN';

const LOCALES = { 'zh-CN': zhCN as Record<string, string>, en: en as Record<string, string> };
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('the shop says every error in zh-CN and en', () => {
  it.each(Object.entries(LOCALES))('%s has a text for every error code', (_locale, texts) => {
    expect(ERROR_CODES.filter((code) => !texts[`errors.${code}`]?.trim())).toEqual([]);
  });

  it.each(Object.entries(LOCALES))(
    '%s has texts only for declared reasons, using only their params',
    (_locale, texts) => {
      const wrong: string[] = [];
      for (const [key, text] of Object.entries(texts)) {
        const reason = /^errors\.reasons\.(\w+)$/.exec(key)?.[1];
        if (!reason) continue;
        const declared = ERROR_REASONS[reason as ErrorReason] as readonly string[] | undefined;
        if (!declared) wrong.push(`${key}: no such reason`);
        else for (const p of placeholders(text)) if (!declared.includes(p)) wrong.push(`${key}: {${p}}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('zh-CN and en have the same keys, none empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [key, text] of Object.entries(zhCN)) {
      expect([key, text.trim().length > 0, (en as Record<string, string>)[key]!.trim().length > 0]).toEqual([
        key,
        true,
        true,
      ]);
      expect([key, placeholders(text)]).toEqual([key, placeholders((en as Record<string, string>)[key]!)]);
    }
  });
});

describe('describeError (a device in Chinese)', () => {
  it('says the reason with its params, else the code; never the English message', () => {
    expect(
      describeError(
        new ApiError('CONFLICT', 'A cart holds at most 100 lines', 409, undefined, undefined, {
          reason: 'CART_FULL',
          params: { max: 100 },
        }),
      ),
    ).toBe('购物车最多 100 种商品');
    expect(
      describeError(
        new ApiError('CONFLICT', 'Some other conflict', 409, undefined, undefined, { reason: 'RELEASE_ENDED' }),
      ),
    ).toBe('操作未能完成，请刷新后重试');
    expect(describeError(new ApiError('NOT_FOUND', 'Order not found', 404))).toBe('请求的内容不存在');
    expect(describeError(new Error('boom'))).toBe('出了点问题，请稍后重试');
  });
});

describe('pages.json (navigation bar titles, tab bar) through uni-app’s own i18n', () => {
  const pagesJson = fs.readFileSync(path.resolve(__dirname, '../pages.json'), 'utf8');
  const uniLocales = { 'zh-Hans': zhHansJson as Record<string, string>, en: enJson as Record<string, string> };

  it('every %key% of pages.json has a text in locale/zh-Hans.json and locale/en.json, which hold nothing else', () => {
    const used = [...new Set([...pagesJson.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]!))].sort();
    expect(used.length).toBeGreaterThan(15);
    for (const texts of Object.values(uniLocales)) expect(Object.keys(texts).sort()).toEqual(used);
    // Nothing in pages.json is a text of its own: the titles and tab labels are placeholders (the home page's title is the shop's name).
    expect([...pagesJson.matchAll(/"(?:navigationBarTitleText|text)": "([^"%]+)"/g)].map((m) => m[1])).toEqual([]);
  });

  it('a new shop’s default tab labels are the zh-CN tab texts, so the template can tell them from the merchant’s own', () => {
    const { labels } = defaultAppearance({ name: '青禾食品旗舰店', themeColor: '#1677ff' }).tabBar;
    expect(labels).toEqual({
      home: zhCN['tabBar.home'],
      category: zhCN['tabBar.category'],
      cart: zhCN['tabBar.cart'],
      user: zhCN['tabBar.user'],
    });
  });
});
