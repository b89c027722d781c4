/**
 * How a release's or an upload's event, a stopped release's error and a bulk release target's note read
 * in the console: from the stored code and params in the reader's language — the event's own text
 * (`releaseEvents`), else the error reason's or the job failure's it borrows — and the server's English
 * sentence only for a row with no code (recorded before the codes) or a code this console does not know.
 * Pure (no Vue, no store) so that a unit test can run it over every code and both locales.
 */
import { storedErrorText, type Translator } from './error-text';

export interface RenderableNote {
  code: string | null;
  params?: Record<string, unknown>;
  message: string;
}

const SOURCES = ['releaseEvents', 'errors.reasons', 'jobFailures'] as const;

/** The text of an event or note. */
export function releaseNoteText(tr: Translator, note: RenderableNote): string {
  if (note.code) {
    for (const source of SOURCES) {
      const key = `${source}.${note.code}`;
      if (tr.te(key)) return tr.t(key, note.params ?? {});
    }
  }
  return note.message;
}

export interface StoppedError {
  code: string;
  message: string;
  reason: string | null;
  params: Record<string, unknown>;
}

/**
 * Why a release or an upload stopped: by its reason and params; one stopped before the reasons were kept
 * by its stored code (a job failure code, or a WeChat errcode with a reason of its own), else in English.
 */
export function stoppedErrorText(tr: Translator, error: StoppedError): string {
  if (error.reason) return releaseNoteText(tr, { code: error.reason, params: error.params, message: error.message });
  if (tr.te(`jobFailures.${error.code}`)) return tr.t(`jobFailures.${error.code}`, error.params);
  return storedErrorText(tr, error);
}

/** A bulk release target's note: why it was refused or skipped, why its release failed, or WeChat's reason for rejecting its audit. */
export function targetNoteText(
  tr: Translator,
  target: { note: string | null; noteCode: string | null; noteParams: Record<string, unknown> },
): string {
  if (!target.note) return '';
  return releaseNoteText(tr, { code: target.noteCode, params: target.noteParams, message: target.note });
}
