import { describe, expect, it } from '@jest/globals';
import { createI18n } from 'vue-i18n';
import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  ERROR_CODES,
  ERROR_REASONS,
  FIRST_STEPS,
  FUNNEL_STEPS,
  ISSUE_CODES,
  JOB_FAILURE_CODES,
  MERCHANT_PERMISSIONS,
  NOTIFICATION_TEXTS,
  NOTIFICATION_TEXT_CODES,
  ONBOARDING_STATES,
  PLATFORM_PERMISSIONS,
  RELEASE_EVENTS,
  RELEASE_EVENT_CODES,
  WECHAT_ERRCODE_REASONS,
  auditActionKey,
  pendingWorkSchema,
  type ErrorReason,
  type NotificationParamKind,
} from '@shopfleet/contracts';
import { TREND_SERIES } from '../components/analytics/charts';
import { FIGURE_KINDS } from '../components/analytics/figures';
import { errorText, type Translator } from '../utils/error-text';
import { notificationText } from '../utils/notification-text';
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
  const i18n = createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { 'zh-CN': zhCN, en },
    missingWarn: false,
    fallbackWarn: false,
  });
  return {
    t: (key, named) => (named ? i18n.global.t(key, named) : i18n.global.t(key)),
    te: (key) => i18n.global.te(key),
    locale,
  };
}

describe('the console says every error in zh-CN and en', () => {
  it.each(Object.entries(LOCALES))('%s has a text for every error code, reason and issue code', (_locale, messages) => {
    const texts = leaves(messages);
    const missing: string[] = [];
    for (const code of ERROR_CODES) if (!texts.get(`errors.${code}`)) missing.push(`errors.${code}`);
    for (const reason of Object.keys(ERROR_REASONS))
      if (!texts.get(`errors.reasons.${reason}`)) missing.push(`errors.reasons.${reason}`);
    for (const code of ISSUE_CODES) {
      if (!texts.get(`errors.issues.${code}`) && !texts.get(`errors.issues.${code}.other`))
        missing.push(`errors.issues.${code}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(LOCALES))(
    '%s names every audit action and object, permission, onboarding state and first step',
    (_locale, messages) => {
      const texts = leaves(messages);
      const keys = [
        ...AUDIT_ACTIONS.map((a) => `audit.actions.${auditActionKey(a)}`),
        ...AUDIT_TARGET_TYPES.map((type) => `audit.targets.${type}`),
        ...[...MERCHANT_PERMISSIONS, ...PLATFORM_PERMISSIONS].map((p) => `permissions.${p}`),
        ...ONBOARDING_STATES.flatMap((s) => [
          `onboarding.state.${s}`,
          `onboarding.stateDetail.${s}`,
          `onboarding.submitHint.${s}`,
        ]),
        ...FIRST_STEPS.flatMap((s) => [
          `firstSteps.steps.${s}.title`,
          `firstSteps.steps.${s}.hint`,
          `firstSteps.steps.${s}.action`,
        ]),
      ];
      expect(keys.filter((key) => !texts.get(key))).toEqual([]);
    },
  );

  it.each(Object.entries(LOCALES))(
    '%s uses only the params a reason declares, and has no text for a reason that is gone',
    (_locale, messages) => {
      const texts = leaves(messages);
      const wrong: string[] = [];
      for (const [key, text] of texts) {
        const match = /^errors\.reasons\.(\w+)$/.exec(key);
        if (!match) continue;
        const declared = ERROR_REASONS[match[1] as ErrorReason] as readonly string[] | undefined;
        if (!declared) wrong.push(`${key}: no such reason`);
        else
          for (const p of placeholders(text))
            if (!declared.includes(p)) wrong.push(`${key}: {${p}} is not a param of the reason`);
      }
      expect(wrong).toEqual([]);
    },
  );

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
      for (const n of placeholders(leaves(LOCALES[locale]).get(`errors.reasons.${reason}`) ?? ''))
        expect(text).toContain(`<${n}>`);
    }
  });
});

describe('the console names and defines every figure of the data pages in zh-CN and en', () => {
  it.each(Object.entries(LOCALES))(
    '%s has a name and a definition for each figure, a name for each funnel step, trend series and work waiting',
    (_locale, messages) => {
      const texts = leaves(messages);
      const keys = [
        ...Object.keys(FIGURE_KINDS).flatMap((f) => [`analytics.figures.${f}`, `analytics.definitions.${f}`]),
        ...FUNNEL_STEPS.map((s) => `analytics.funnel.steps.${s}`),
        ...TREND_SERIES.map((s) => `analytics.trend.names.${s}`),
        ...Object.keys(pendingWorkSchema.shape).map((w) => `dashboard.workItems.${w}`),
      ];
      expect(keys.filter((key) => !texts.get(key))).toEqual([]);
    },
  );
});

describe('the console says every release, upload and bulk release event in zh-CN and en', () => {
  it.each(Object.entries(LOCALES))(
    '%s has a text for every event code, using only the params the code declares, and none for a code that is gone',
    (_locale, messages) => {
      const texts = leaves(messages);
      const wrong: string[] = [];
      for (const code of RELEASE_EVENT_CODES)
        if (!texts.get(`releaseEvents.${code}`)) wrong.push(`releaseEvents.${code}: missing`);
      for (const [key, text] of texts) {
        const match = /^releaseEvents\.(\w+)$/.exec(key);
        if (!match) continue;
        const declared = RELEASE_EVENTS[match[1] as keyof typeof RELEASE_EVENTS] as readonly string[] | undefined;
        if (!declared) wrong.push(`${key}: no such event code`);
        else
          for (const p of placeholders(text))
            if (!declared.includes(p)) wrong.push(`${key}: {${p}} is not a param of the code`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('an event code is neither an error reason nor a job failure code (a note may carry either, said by its own text)', () => {
    const borrowed = new Set<string>([...Object.keys(ERROR_REASONS), ...JOB_FAILURE_CODES]);
    expect(RELEASE_EVENT_CODES.filter((code) => borrowed.has(code))).toEqual([]);
  });

  it.each(['zh-CN', 'en'] as const)(
    '%s renders every event code with its params filled in, never the English fallback',
    (locale) => {
      const tr = translator(locale);
      for (const [code, names] of Object.entries(RELEASE_EVENTS)) {
        const params = Object.fromEntries((names as readonly string[]).map((n) => [n, `<${n}>`]));
        const text = releaseNoteText(tr, { code, params, message: 'english fallback' });
        expect(text).not.toBe('english fallback');
        expect(text).not.toMatch(/[{}]|releaseEvents\./);
        for (const n of placeholders(leaves(LOCALES[locale]).get(`releaseEvents.${code}`) ?? ''))
          expect(text).toContain(`<${n}>`);
      }
    },
  );

  it('says a WeChat refusal and a job failure by their own texts, and an event with no code by its stored message', () => {
    const zh = translator('zh-CN');
    expect(
      releaseNoteText(zh, {
        code: 'AUDIT_REJECTED_PUSHED',
        params: { reason: '首页存在测试内容' },
        message: 'Audit rejected (pushed): 首页存在测试内容',
      }),
    ).toContain('首页存在测试内容');
    expect(releaseNoteText(zh, { code: 'WECHAT_AUDIT_QUOTA_EXHAUSTED', params: {}, message: 'quota spent' })).toBe(
      zh.t('errors.reasons.WECHAT_AUDIT_QUOTA_EXHAUSTED'),
    );
    expect(releaseNoteText(zh, { code: 'JOB_STALLED', params: {}, message: 'The worker running it stopped' })).toBe(
      zh.t('jobFailures.JOB_STALLED'),
    );
    expect(releaseNoteText(zh, { code: null, params: {}, message: 'Released to all users' })).toBe(
      'Released to all users',
    );
    expect(releaseNoteText(zh, { code: 'SOMETHING_NEW', message: 'Brand new' })).toBe('Brand new');
  });
});

describe('the console says every notification in zh-CN and en', () => {
  it.each(Object.entries(LOCALES))(
    '%s has a title and a body for every text code, using only the params the code declares, and none for a code that is gone',
    (_locale, messages) => {
      const texts = leaves(messages);
      const wrong: string[] = [];
      for (const code of NOTIFICATION_TEXT_CODES) {
        for (const part of ['title', 'body'])
          if (!texts.get(`notificationTexts.${code}.${part}`)) wrong.push(`notificationTexts.${code}.${part}: missing`);
      }
      for (const [key, text] of texts) {
        const match = /^notificationTexts\.(\w+)\.(\w+)$/.exec(key);
        if (!key.startsWith('notificationTexts.')) continue;
        const declared =
          match && Object.hasOwn(NOTIFICATION_TEXTS, match[1]!)
            ? NOTIFICATION_TEXTS[match[1] as keyof typeof NOTIFICATION_TEXTS]
            : undefined;
        if (!match || !declared || !['title', 'body'].includes(match[2]!))
          wrong.push(`${key}: no such text code or part`);
        else
          for (const p of placeholders(text))
            if (!Object.hasOwn(declared, p)) wrong.push(`${key}: {${p}} is not a param of the code`);
      }
      expect(wrong).toEqual([]);
    },
  );

  /** A value of each kind, as the server sends it. */
  const SAMPLE: Record<NotificationParamKind, unknown> = {
    text: '<typed words>',
    number: 15,
    date: '2027-03-09',
    documentType: { code: 'business_license', nameZh: '营业执照', nameEn: 'Business license' },
    rejectReason: 'unreadable',
  };
  const SAID = {
    'zh-CN': {
      text: '<typed words>',
      number: '15',
      date: '2027年3月9日',
      documentType: '营业执照',
      rejectReason: '图片不清晰',
    },
    en: {
      text: '<typed words>',
      number: '15',
      date: 'March 9, 2027',
      documentType: 'Business license',
      rejectReason: 'Unreadable image',
    },
  } as const;

  it.each(['zh-CN', 'en'] as const)(
    '%s renders every text code with each param said in its language, never the stored Chinese',
    (locale) => {
      const tr = translator(locale);
      for (const [code, declared] of Object.entries(NOTIFICATION_TEXTS)) {
        const kinds = Object.entries(declared) as Array<[string, NotificationParamKind]>;
        const said = notificationText(tr, {
          title: 'stored title',
          body: 'stored body',
          textCode: code,
          textParams: Object.fromEntries(kinds.map(([n, k]) => [n, SAMPLE[k]])),
        });
        expect(said.title).not.toBe('stored title');
        expect(said.body).not.toBe('stored body');
        const both = `${said.title} ${said.body}`;
        expect(both).not.toMatch(/[{}]|notificationTexts\./);
        const used = new Set([
          ...placeholders(leaves(LOCALES[locale]).get(`notificationTexts.${code}.title`) ?? ''),
          ...placeholders(leaves(LOCALES[locale]).get(`notificationTexts.${code}.body`) ?? ''),
        ]);
        for (const [name, kind] of kinds) if (used.has(name)) expect(both).toContain(SAID[locale][kind]);
      }
    },
  );

  it("says a rejection in the reader's language, the reviewer's note as it was typed", () => {
    const rejected = {
      title: '营业执照未通过审核',
      body: '原因：图片不清晰，无法辨认（公章模糊）。请修改后重新上传。',
      textCode: 'DOCUMENT_REJECTED_WITH_NOTE',
      textParams: { document: SAMPLE.documentType, reason: 'unreadable', note: '公章模糊' },
    };
    expect(notificationText(translator('zh-CN'), rejected)).toEqual({
      title: '营业执照未通过审核',
      body: '原因：图片不清晰（公章模糊）。请修改后重新上传。',
    });
    expect(notificationText(translator('en'), rejected)).toEqual({
      title: 'Business license not approved',
      body: 'Reason: Unreadable image (公章模糊). Please correct it and upload it again.',
    });
    const expiring = {
      title: 't',
      body: 'b',
      textCode: 'DOCUMENT_EXPIRING',
      textParams: { document: SAMPLE.documentType, validTo: '2027-03-09' },
    };
    expect(notificationText(translator('en'), expiring).body).toBe(
      'Business license expires on March 9, 2027. Please upload a new one soon.',
    );
  });

  it('says a notification from before the codes, of a code it does not know, or missing a param, by its stored title and body', () => {
    const zh = translator('zh-CN');
    const stored = { title: '店铺已开通', body: '全部资质审核通过' };
    expect(notificationText(zh, { ...stored, textCode: null, textParams: {} })).toEqual(stored);
    expect(notificationText(zh, { ...stored, textCode: 'SOMETHING_NEW', textParams: {} })).toEqual(stored);
    expect(notificationText(zh, { ...stored, textCode: 'toString', textParams: {} })).toEqual(stored);
    expect(notificationText(zh, { ...stored, textCode: 'DOCUMENT_APPROVED', textParams: {} })).toEqual(stored);
  });
});

describe('errorText', () => {
  const zh = translator('zh-CN');
  const english = translator('en');

  it('says a reason in the reader language, with its params', () => {
    expect(
      errorText(zh, {
        code: 'CONFLICT',
        reason: 'SLUG_TAKEN',
        params: { slug: 'tea' },
        message: 'The shop address "tea" is taken',
      }),
    ).toBe('店铺地址“tea”已被占用');
    expect(errorText(english, { code: 'CONFLICT', reason: 'SLUG_TAKEN', params: { slug: 'tea' }, message: 'x' })).toBe(
      'The shop address "tea" is taken',
    );
  });

  it('without a reason, says the code in Chinese and leaves the English message to English readers', () => {
    expect(errorText(zh, { code: 'NOT_FOUND', message: 'Order not found' })).toBe('请求的内容不存在');
    expect(errorText(english, { code: 'NOT_FOUND', message: 'Order not found' })).toBe('Order not found');
    expect(errorText(zh, { code: 'SOMETHING_NEW', message: 'Brand new' })).toBe('Brand new');
  });

  it('says schema issues from their codes and params, with the field', () => {
    const details = {
      issues: [
        {
          path: 'body.shopName',
          code: 'too_small',
          params: { origin: 'string', minimum: 2, inclusive: 'true' },
          message: 'Too small: expected string to have >=2 characters',
        },
        {
          path: 'body.email',
          code: 'invalid_format',
          params: { format: 'email', origin: 'string' },
          message: 'Invalid email address',
        },
        { path: 'body.validTo', code: 'custom', reason: 'DOCUMENT_EXPIRED', message: 'the document has expired' },
        {
          path: 'body.price',
          code: 'too_big',
          params: { origin: 'number', maximum: 100, inclusive: 'false' },
          message: 'x',
        },
      ],
    };
    expect(
      errorText(zh, { code: 'VALIDATION_FAILED', reason: 'INVALID_INPUT', message: 'invalid body', details }),
    ).toBe('提交的内容有误：shopName：至少 2 个字符；email：邮箱格式不正确；validTo：证件已过期；等 1 项');
    expect(
      errorText(english, {
        code: 'VALIDATION_FAILED',
        reason: 'INVALID_INPUT',
        message: 'invalid body',
        details: { issues: details.issues.slice(3) },
      }),
    ).toBe('Some of what was sent is not valid: price: Less than 100');
  });
});
