/**
 * How a notification reads in the console: from its text code and params in the reader's language
 * (`notificationTexts.<code>.title` and `.body`), each param said by its kind (`NOTIFICATION_TEXTS`): a
 * document type by its name in that language, a reject reason by the console's text for it, a date the
 * reader's way, typed words as they are. The stored Chinese title and body only for a notification with
 * no code (from before the codes), a code this console does not know, or a param missing.
 * Pure (no Vue, no store) so that a unit test can run it over every code and both locales.
 */
import {
  NOTIFICATION_TEXTS,
  type NotificationParamKind,
  type NotificationTextCode,
} from '@shopfleet/contracts/constants';
import type { Translator } from './error-text';
import { formatCalendarDate } from './format';

export interface RenderableNotification {
  title: string;
  body: string;
  textCode: string | null;
  textParams: Record<string, unknown>;
}

export interface NotificationText {
  title: string;
  body: string;
}

function isTextCode(code: string | null): code is NotificationTextCode {
  return code !== null && Object.hasOwn(NOTIFICATION_TEXTS, code);
}

/** One param as the reader says it; undefined when the value is not of its kind. */
function paramText(tr: Translator, kind: NotificationParamKind, value: unknown): string | undefined {
  switch (kind) {
    case 'documentType': {
      if (typeof value !== 'object' || value === null) return undefined;
      const { code, nameZh, nameEn } = value as Record<string, unknown>;
      const name = tr.locale.startsWith('zh') ? nameZh : nameEn;
      return typeof name === 'string' && name ? name : typeof code === 'string' ? code : undefined;
    }
    case 'rejectReason':
      if (typeof value !== 'string') return undefined;
      return tr.te(`rejectReason.${value}`) ? tr.t(`rejectReason.${value}`) : value;
    case 'date':
      return typeof value === 'string' ? formatCalendarDate(value, tr.locale) : undefined;
    case 'number':
    case 'text':
      return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
}

/** The title and body of a notification, in the reader's language where its code allows. */
export function notificationText(tr: Translator, n: RenderableNotification): NotificationText {
  const stored = { title: n.title, body: n.body };
  const code = n.textCode;
  if (!isTextCode(code) || !tr.te(`notificationTexts.${code}.title`) || !tr.te(`notificationTexts.${code}.body`))
    return stored;
  const params: Record<string, string> = {};
  for (const [name, kind] of Object.entries(NOTIFICATION_TEXTS[code]) as Array<[string, NotificationParamKind]>) {
    const text = paramText(tr, kind, n.textParams[name]);
    if (text === undefined) return stored;
    params[name] = text;
  }
  return {
    title: tr.t(`notificationTexts.${code}.title`, params),
    body: tr.t(`notificationTexts.${code}.body`, params),
  };
}
