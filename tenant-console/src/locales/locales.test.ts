import { describe, expect, it } from '@jest/globals';
import { createI18n } from 'vue-i18n';
import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  ERROR_CODES,
  ERROR_REASONS,
  FIRST_STEPS,
  ISSUE_CODES,
  JOB_FAILURE_CODES,
  MERCHANT_PERMISSIONS,
  ONBOARDING_STATES,
  PLATFORM_PERMISSIONS,
  RELEASE_EVENTS,
  RELEASE_EVENT_CODES,
  WECHAT_ERRCODE_REASONS,
  auditActionKey,
  type ErrorReason,
} from '@shopfleet/contracts';
import { errorText, type Translator } from '../utils/error-text';
import { releaseNoteText } from '../utils/release-note';
import en from './en';
import zhCN from './zh-CN';

type Tree = { [key: string]: string | Tree };
const LOCALES = { 'zh-CN': zhCN as unknown as Tree, en: en as unknown as Tree };

/** Every leaf of a message tree, by its dotted key. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));

function translator(locale: 'zh-CN' | 'en'): Translator {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { 'zh-CN': zhCN, en }, missingWarn: false, fallbackWarn: false });
  return { t: (key, named) => (named ? i18n.global.t(key, named) : i18n.global.t(key)), te: (key) => i18n.global.te(key), locale };
}

describe('the console says every error in zh-CN and en', () => {
  it.each(Object.entries(LOCALES))('%s has a text for every error code, reason and issue code', (_locale, messages) => {
    const texts = leaves(messages);
    const missing: string[] = [];
    for (const code of ERROR_CODES) if (!texts.get(`errors.${code}`)) missing.push(`errors.${code}`);
    for (const reason of Object.keys(ERROR_REASONS)) if (!texts.get(`errors.reasons.${reason}`)) missing.push(`errors.reasons.${reason}`);
    for (const code of ISSUE_CODES) {
      if (!texts.get(`errors.issues.${code}`) && !texts.get(`errors.issues.${code}.other`)) missing.push(`errors.issues.${code}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(LOCALES))('%s names every audit action and object, permission, onboarding state and first step', (_locale, messages) => {
    const texts = leaves(messages);
    const keys = [
      ...AUDIT_ACTIONS.map((a) => `audit.actions.${auditActionKey(a)}`),
      ...AUDIT_TARGET_TYPES.map((type) => `audit.targets.${type}`),
      ...[...MERCHANT_PERMISSIONS, ...PLATFORM_PERMISSIONS].map((p) => `permissions.${p}`),
      ...ONBOARDING_STATES.flatMap((s) => [`onboarding.state.${s}`, `onboarding.stateDetail.${s}`, `onboarding.submitHint.${s}`]),
      ...FIRST_STEPS.flatMap((s) => [`firstSteps.steps.${s}.title`, `firstSteps.steps.${s}.hint`, `firstSteps.steps.${s}.action`]),
    ];
    expect(keys.filter((key) => !texts.get(key))).toEqual([]);
  });

  it.each(Object.entries(LOCALES))('%s uses only the params a reason declares, and has no text for a reason that is gone', (_locale, messages) => {
    const texts = leaves(messages);
    const wrong: string[] = [];
    for (const [key, text] of texts) {
      const match = /^errors\.reasons\.(\w+)$/.exec(key);
      if (!match) continue;
      const declared = ERROR_REASONS[match[1] as ErrorReason] as readonly string[] | undefined;
      if (!declared) wrong.push(`${key}: no such reason`);
      else for (const p of placeholders(text)) if (!declared.includes(p)) wrong.push(`${key}: {${p}} is not a param of the reason`);
    }
    expect(wrong).toEqual([]);
  });

  it('zh-CN and en have the same keys, none empty, each with the same placeholders', () => {
    const zh = leaves(LOCALES['zh-CN']);
    const english = leaves(LOCALES.en);
    expect([...zh.keys()].sort()).toEqual([...english.keys()].sort());
    const differing: string[] = [];
    for (const [key, text] of zh) {
      const other = english.get(key) ?? '';
      if (!text.trim() || !other.trim()) differing.push(`${key}: empty`);
      const a = [...placeholders(text)].sort().join();
      const b = [...placeholders(other)].sort().join();
      if (a !== b) differing.push(`${key}: {${a}} vs {${b}}`);
    }
    expect(differing).toEqual([]);
  });

  it('every WeChat errcode with a reason names a declared reason', () => {
    for (const reason of Object.values(WECHAT_ERRCODE_REASONS)) expect(Object.keys(ERROR_REASONS)).toContain(reason);
  });

  it.each(['zh-CN', 'en'] as const)('%s renders every reason with its params filled in', (locale) => {
    const tr = translator(locale);
    for (const [reason, names] of Object.entries(ERROR_REASONS)) {
      const params = Object.fromEntries((names as readonly string[]).map((n) => [n, `<${n}>`]));
      const text = errorText(tr, { code: 'CONFLICT', reason, params, message: 'english fallback' });
      expect(text).not.toBe('english fallback');
      expect(text).not.toMatch(/[{}]|errors\.reasons/);
      for (const n of placeholders(leaves(LOCALES[locale]).get(`errors.reasons.${reason}`) ?? '')) expect(text).toContain(`<${n}>`);
    }
  });
});

describe('the console says every release, upload and bulk release event in zh-CN and en', () => {
  it.each(Object.entries(LOCALES))('%s has a text for every event code, using only the params the code declares, and none for a code that is gone', (_locale, messages) => {
    const texts = leaves(messages);
    const wrong: string[] = [];
    for (const code of RELEASE_EVENT_CODES) if (!texts.get(`releaseEvents.${code}`)) wrong.push(`releaseEvents.${code}: missing`);
    for (const [key, text] of texts) {
      const match = /^releaseEvents\.(\w+)$/.exec(key);
      if (!match) continue;
      const declared = RELEASE_EVENTS[match[1] as keyof typeof RELEASE_EVENTS] as readonly string[] | undefined;
      if (!declared) wrong.push(`${key}: no such event code`);
      else for (const p of placeholders(text)) if (!declared.includes(p)) wrong.push(`${key}: {${p}} is not a param of the code`);
    }
    expect(wrong).toEqual([]);
  });

  it('an event code is neither an error reason nor a job failure code (a note may carry either, said by its own text)', () => {
    const borrowed = new Set<string>([...Object.keys(ERROR_REASONS), ...JOB_FAILURE_CODES]);
    expect(RELEASE_EVENT_CODES.filter((code) => borrowed.has(code))).toEqual([]);
  });

  it.each(['zh-CN', 'en'] as const)('%s renders every event code with its params filled in, never the English fallback', (locale) => {
    const tr = translator(locale);
    for (const [code, names] of Object.entries(RELEASE_EVENTS)) {
      const params = Object.fromEntries((names as readonly string[]).map((n) => [n, `<${n}>`]));
      const text = releaseNoteText(tr, { code, params, message: 'english fallback' });
      expect(text).not.toBe('english fallback');
      expect(text).not.toMatch(/[{}]|releaseEvents\./);
      for (const n of placeholders(leaves(LOCALES[locale]).get(`releaseEvents.${code}`) ?? '')) expect(text).toContain(`<${n}>`);
    }
  });

  it('says a WeChat refusal and a job failure by their own texts, and an event with no code by its stored message', () => {
    const zh = translator('zh-CN');
    expect(releaseNoteText(zh, { code: 'AUDIT_REJECTED_PUSHED', params: { reason: '首页存在测试内容' }, message: 'Audit rejected (pushed): 首页存在测试内容' })).toContain('首页存在测试内容');
    expect(releaseNoteText(zh, { code: 'WECHAT_AUDIT_QUOTA_EXHAUSTED', params: {}, message: 'quota spent' })).toBe(zh.t('errors.reasons.WECHAT_AUDIT_QUOTA_EXHAUSTED'));
    expect(releaseNoteText(zh, { code: 'JOB_STALLED', params: {}, message: 'The worker running it stopped' })).toBe(zh.t('jobFailures.JOB_STALLED'));
    expect(releaseNoteText(zh, { code: null, params: {}, message: 'Released to all users' })).toBe('Released to all users');
    expect(releaseNoteText(zh, { code: 'SOMETHING_NEW', message: 'Brand new' })).toBe('Brand new');
  });
});

describe('errorText', () => {
  const zh = translator('zh-CN');
  const english = translator('en');

  it('says a reason in the reader language, with its params', () => {
    expect(errorText(zh, { code: 'CONFLICT', reason: 'SLUG_TAKEN', params: { slug: 'tea' }, message: 'The shop address "tea" is taken' })).toBe('店铺地址“tea”已被占用');
    expect(errorText(english, { code: 'CONFLICT', reason: 'SLUG_TAKEN', params: { slug: 'tea' }, message: 'x' })).toBe('The shop address "tea" is taken');
  });

  it('without a reason, says the code in Chinese and leaves the English message to English readers', () => {
    expect(errorText(zh, { code: 'NOT_FOUND', message: 'Order not found' })).toBe('请求的内容不存在');
    expect(errorText(english, { code: 'NOT_FOUND', message: 'Order not found' })).toBe('Order not found');
    expect(errorText(zh, { code: 'SOMETHING_NEW', message: 'Brand new' })).toBe('Brand new');
  });

  it('says schema issues from their codes and params, with the field', () => {
    const details = {
      issues: [
        { path: 'body.shopName', code: 'too_small', params: { origin: 'string', minimum: 2, inclusive: 'true' }, message: 'Too small: expected string to have >=2 characters' },
        { path: 'body.email', code: 'invalid_format', params: { format: 'email', origin: 'string' }, message: 'Invalid email address' },
        { path: 'body.validTo', code: 'custom', reason: 'DOCUMENT_EXPIRED', message: 'the document has expired' },
        { path: 'body.price', code: 'too_big', params: { origin: 'number', maximum: 100, inclusive: 'false' }, message: 'x' },
      ],
    };
    expect(errorText(zh, { code: 'VALIDATION_FAILED', reason: 'INVALID_INPUT', message: 'invalid body', details })).toBe(
      '提交的内容有误：shopName：至少 2 个字符；email：邮箱格式不正确；validTo：证件已过期；等 1 项',
    );
    expect(errorText(english, { code: 'VALIDATION_FAILED', reason: 'INVALID_INPUT', message: 'invalid body', details: { issues: details.issues.slice(3) } })).toBe(
      'Some of what was sent is not valid: price: Less than 100',
    );
  });
});
