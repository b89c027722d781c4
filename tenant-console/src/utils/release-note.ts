/**
 * How a release's or an upload's event, a stopped release's error and a bulk release target's note read
 * in the console: from the stored code and params in the reader's language — the event's own text
 * (`releaseEvents`), else the error reason's or the job failure's it borrows — and the server's English
 * sentence only for a row with no code (recorded before the codes) or a code this console does not know.
 * Pure (no Vue, no store) so that a unit test can run it over every code and both locales.
 */
import type { Translator } from './error-text';

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
