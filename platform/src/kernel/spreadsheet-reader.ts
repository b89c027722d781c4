import { isUtf8 } from 'node:buffer';
import { Readable, pipeline } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { parse } from 'csv-parse';
import sax from 'sax';
import yauzl from 'yauzl';
import type { Reasoned } from '@shopfleet/contracts';
import { ValidationError } from './errors';

export type TableFormat = 'csv' | 'xlsx';
/** The text encodings a CSV may come in: UTF-8 (with or without a BOM) or GB18030, which Excel on Chinese Windows saves (a superset of GBK). */
export type TextEncoding = 'utf-8' | 'gb18030';

/** One non-blank row of a table and its number as a spreadsheet shows it (the first row is 1). */
export interface TableRow {
  row: number;
  cells: string[];
}

/**
 * Bounds that keep a read's memory small whatever the file holds. Rows are read one at a time, so the
 * caller's row limit stops a read early; these bound what a single row or the workbook's shared text
 * can hold.
 */
export interface TableLimits {
  /** Cells read per row; cells further right are ignored (XLSX) or refuse the file (CSV). */
  maxColumns: number;
  /** Characters in one XLSX cell (Excel itself holds at most 32,767). */
  maxCellChars: number;
  /** Characters in one CSV record. */
  maxRecordChars: number;
  /** Entries of an XLSX's shared-strings table. */
  maxSharedStrings: number;
  /** UTF-8 bytes of an XLSX's shared-strings table. */
  maxSharedStringBytes: number;
}

export const DEFAULT_TABLE_LIMITS: TableLimits = {
  maxColumns: 256,
  maxCellChars: 32_767,
  maxRecordChars: 1_000_000,
  maxSharedStrings: 4_000_000,
  maxSharedStringBytes: 64 * 1024 * 1024,
};

/** A file the reader refuses, with its reason (and, for older clients, the reason and params in `details`). */
export function refused(text: Reasoned, extra: Record<string, unknown> = {}): ValidationError {
  return new ValidationError(text, { reason: text.reason, ...text.params, ...extra });
}

/**
 * Decides a table's format from its bytes: an XLSX is a zip; a CSV is text, UTF-8 when all of it is
 * valid UTF-8 and GB18030 otherwise (checked as it is decoded). A binary posing as CSV is refused.
 */
export function sniffTable(bytes: Buffer): { format: TableFormat; encoding: TextEncoding } {
  if (bytes.length === 0) throw refused({ reason: 'FILE_EMPTY', message: 'The file is empty' });
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return { format: 'xlsx', encoding: 'utf-8' };
  if (bytes.subarray(0, 64 * 1024).includes(0))
    throw refused({
      reason: 'FILE_NOT_TABLE',
      message: 'The file is neither a CSV (UTF-8 or GBK text) nor an XLSX workbook',
    });
  return { format: 'csv', encoding: isUtf8(bytes) ? 'utf-8' : 'gb18030' };
}

/**
 * The non-blank rows of a CSV or of an XLSX's first sheet, one at a time: memory stays bounded by
 * `limits` however many rows the file holds, and a consumer that stops early stops the read.
 */
export function readTable(bytes: Buffer, limits: TableLimits = DEFAULT_TABLE_LIMITS): AsyncGenerator<TableRow> {
  const { format, encoding } = sniffTable(bytes);
  return format === 'csv' ? readCsv(bytes, encoding, limits) : readXlsx(bytes, limits);
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

// ---- CSV ---------------------------------------------------------------------------------------------

const DECODE_CHUNK = 64 * 1024;

async function* readCsv(bytes: Buffer, encoding: TextEncoding, limits: TableLimits): AsyncGenerator<TableRow> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  // Fields of the current record, counted ahead of the parser: a record of millions of empty fields is
  // refused before it is built (a quote toggles; "" inside a quoted field toggles twice).
  let quoted = false;
  let fields = 1;
  const count = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) quoted = !quoted;
      else if (quoted) continue;
      else if (c === 0x2c) {
        if (++fields > limits.maxColumns)
          throw refused({
            reason: 'TOO_MANY_COLUMNS',
            params: { max: limits.maxColumns },
            message: `A row has more than ${limits.maxColumns} columns`,
          });
      } else if (c === 0x0a || c === 0x0d) fields = 1;
    }
    return text;
  };
  async function* text(): AsyncGenerator<string> {
    for (let at = 0; at < bytes.length; at += DECODE_CHUNK) {
      // A turn of the event loop per piece: other requests are served while a large file is read.
      if (at > 0) await setImmediate();
      let piece: string;
      try {
        piece = decoder.decode(bytes.subarray(at, at + DECODE_CHUNK), { stream: true });
      } catch {
        throw refused({
          reason: 'CSV_ENCODING',
          message: 'The CSV is neither UTF-8 nor GBK text; save it as "CSV UTF-8"',
        });
      }
      yield count(piece);
    }
    yield count(decoder.decode());
  }
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    trim: true,
    max_record_size: limits.maxRecordChars,
  });
  const source = Readable.from(text(), { objectMode: false });
  pipeline(source, parser, () => undefined);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (!isBlank(record)) yield { row, cells: record };
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof ValidationError) throw cause;
    throw refused({ reason: 'CSV_UNREADABLE', message: `The CSV cannot be read: ${(err as Error).message}` });
  } finally {
    source.destroy();
    parser.destroy();
  }
}

// ---- XLSX --------------------------------------------------------------------------------------------

/** Parts read whole (workbook, relationships) must be small. */
const MAX_PART_BYTES = 4 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 10_000;

const unreadable = () => refused({ reason: 'XLSX_UNREADABLE', message: 'The XLSX workbook cannot be read' });

/** Element names without a namespace prefix (`x:row` is `row`). */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * A shared-strings table kept as UTF-8 in 1 MB slabs with two offset arrays, so millions of short strings
 * cost their bytes plus 8 per string, not a JavaScript string each. Bounded by count and bytes.
 */
class SharedStrings {
  private static readonly SLAB = 1024 * 1024;
  private slabs: Buffer[] = [];
  private used = SharedStrings.SLAB;
  private starts = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  private bytes = 0;
  count = 0;

  constructor(private readonly limits: TableLimits) {}

  add(text: string): void {
    if (this.count >= this.limits.maxSharedStrings)
      throw refused({
        reason: 'XLSX_TOO_MANY_TEXTS',
        params: { max: this.limits.maxSharedStrings },
        message: `The workbook holds more than ${this.limits.maxSharedStrings} texts`,
      });
    const size = Buffer.byteLength(text);
    this.bytes += size;
    if (this.bytes > this.limits.maxSharedStringBytes) {
      throw refused({
        reason: 'XLSX_TEXT_TOO_LARGE',
        params: { maxMb: this.limits.maxSharedStringBytes / 1024 / 1024 },
        message: `The workbook's texts are larger than ${this.limits.maxSharedStringBytes / 1024 / 1024} MB`,
      });
    }
    if (this.used + size > SharedStrings.SLAB) {
      this.slabs.push(Buffer.allocUnsafe(Math.max(SharedStrings.SLAB, size)));
      this.used = 0;
    }
    if (this.count === this.starts.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
    }
    const slab = this.slabs.length - 1;
    this.slabs[slab]!.write(text, this.used, 'utf8');
    // Slab index and offset in one number: slabs are 1 MB, so the offset fits in 20 bits.
    this.starts[this.count] = slab * SharedStrings.SLAB + this.used;
    this.lengths[this.count] = size;
    this.used += size;
    this.count++;
  }

  get(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw unreadable();
    const start = this.starts[i]!;
    const slab = this.slabs[Math.floor(start / SharedStrings.SLAB)]!;
    const at = start % SharedStrings.SLAB;
    return slab.toString('utf8', at, at + this.lengths[i]!);
  }
}

/** Column index (0-based) of a cell reference such as `B7`; -1 when it has none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return -1;
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
    if (n > 16_384) return 16_384;
  }
  return i === 0 ? -1 : n - 1;
}

type XmlHandlers = Partial<Pick<sax.SAXParser, 'onopentag' | 'onclosetag' | 'ontext' | 'oncdata'>>;

/**
 * Streams one zip entry's text through a SAX parser. sax emits a text node in pieces of at most 64 KB and
 * refuses a longer tag or attribute, so no token of the XML is held whole.
 */
async function streamXml(zip: yauzl.ZipFile, entry: yauzl.Entry, handlers: XmlHandlers): Promise<void> {
  for await (const _ of streamXmlRows<never>(zip, entry, handlers, () => [])) void _;
}

/** As streamXml, yielding what the handlers have made ready after each piece of the entry. */
async function* streamXmlRows<T>(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  handlers: XmlHandlers,
  take: () => T[],
): AsyncGenerator<T> {
  const parser = sax.parser(true, { trim: false, normalize: false, position: false });
  Object.assign(parser, handlers);
  let failure: unknown = null;
  parser.onerror = (err) => {
    failure ??= err;
  };
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch {
    throw unreadable();
  }
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      parser.write(chunk);
      if (failure) break;
      yield* take();
    }
    if (!failure) parser.close();
    if (failure) throw failure;
    yield* take();
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw unreadable();
  } finally {
    stream.destroy();
  }
}

/** A small part of the package, read whole: its opening tags with their attributes. */
async function smallPart(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry | undefined,
): Promise<Array<{ name: string; attributes: Record<string, string> }>> {
  if (!entry) return [];
  if (entry.uncompressedSize > MAX_PART_BYTES) throw unreadable();
  const tags: Array<{ name: string; attributes: Record<string, string> }> = [];
  await streamXml(zip, entry, {
    onopentag: (tag) => {
      if (tags.length < 100_000)
        tags.push({ name: local(tag.name), attributes: tag.attributes as Record<string, string> });
    },
  });
  return tags;
}

/** Resolves a relationship target against the folder of the part that names it. */
function partPath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${base}/${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p && p !== '.') out.push(p);
  }
  return out.join('/');
}

async function* readXlsx(bytes: Buffer, limits: TableLimits): AsyncGenerator<TableRow> {
  let zip: yauzl.ZipFile;
  const entries = new Map<string, yauzl.Entry>();
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
    for await (const entry of zip.eachEntry()) {
      if (entries.size >= MAX_ZIP_ENTRIES) throw unreadable();
      entries.set(entry.fileName.replace(/^\/+/, ''), entry);
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw unreadable();
  }
  try {
    // The first sheet of the workbook, found through the workbook's relationships.
    const workbook = await smallPart(zip, entries.get('xl/workbook.xml'));
    const firstSheet = workbook.find((t) => t.name === 'sheet');
    if (!firstSheet) throw refused({ reason: 'XLSX_NO_SHEET', message: 'The workbook has no sheet' });
    const relId = Object.entries(firstSheet.attributes).find(([k]) => local(k) === 'id' && k.includes(':'))?.[1];
    const rels = (await smallPart(zip, entries.get('xl/_rels/workbook.xml.rels'))).filter(
      (t) => t.name === 'Relationship',
    );
    const sheetTarget = rels.find((r) => r.attributes.Id === relId)?.attributes.Target;
    const sheetEntry = sheetTarget ? entries.get(partPath('xl', sheetTarget)) : undefined;
    if (!sheetEntry) throw unreadable();
    const stringsTarget = rels.find((r) => (r.attributes.Type ?? '').endsWith('/sharedStrings'))?.attributes.Target;
    const stringsEntry = entries.get(stringsTarget ? partPath('xl', stringsTarget) : 'xl/sharedStrings.xml');

    const strings = new SharedStrings(limits);
    if (stringsEntry) await readSharedStrings(zip, stringsEntry, strings, limits);
    yield* readSheet(zip, sheetEntry, strings, limits);
  } finally {
    zip.close();
  }
}

/** Reads `<si>` items: their `<t>` texts joined (rich-text runs included, phonetic guides left out). */
async function readSharedStrings(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  strings: SharedStrings,
  limits: TableLimits,
): Promise<void> {
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  let text = '';
  const append = (s: string) => {
    if (!inText || phonetic > 0) return;
    text += s;
    if (text.length > limits.maxCellChars)
      throw refused({
        reason: 'CELL_TOO_LONG',
        params: { max: limits.maxCellChars },
        message: `A cell holds more than ${limits.maxCellChars} characters`,
      });
  };
  await streamXml(zip, entry, {
    onopentag: (tag) => {
      const name = local(tag.name);
      if (name === 'si') {
        inItem = true;
        text = '';
      } else if (name === 'rPh') phonetic++;
      else if (name === 't' && inItem) inText = true;
    },
    onclosetag: (tagName) => {
      const name = local(tagName);
      if (name === 'si') {
        strings.add(text);
        inItem = false;
        text = '';
      } else if (name === 'rPh') phonetic--;
      else if (name === 't') inText = false;
    },
    ontext: append,
    oncdata: append,
  });
}

/** Streams the rows of a worksheet, resolving shared strings; formulas give their cached value. */
function readSheet(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  strings: SharedStrings,
  limits: TableLimits,
): AsyncGenerator<TableRow> {
  const ready: TableRow[] = [];
  let rowNumber = 0;
  let cells: string[] | null = null;
  let column = -1;
  let type = 'n';
  let capture: 'v' | 'is' | null = null;
  let hasValue = false;
  let inInlineText = false;
  let phonetic = 0;
  let text = '';
  const append = (s: string) => {
    if (capture === null || (capture === 'is' && (!inInlineText || phonetic > 0))) return;
    text += s;
    if (text.length > limits.maxCellChars) {
      throw refused(
        {
          reason: 'CELL_TOO_LONG',
          params: { max: limits.maxCellChars },
          message: `A cell holds more than ${limits.maxCellChars} characters (row ${rowNumber})`,
        },
        { row: rowNumber },
      );
    }
  };
  const valueOf = (): string => {
    switch (type) {
      case 's':
        return strings.get(Number(text));
      case 'str':
      case 'inlineStr':
      case 'd':
        return text;
      case 'b':
        return text === '1' ? 'TRUE' : 'FALSE';
      case 'e':
        return text;
      default: {
        // Numbers as Excel shows them: "19.899999999999999" is 19.9.
        const n = Number(text);
        return text.trim() !== '' && Number.isFinite(n) ? String(n) : text;
      }
    }
  };
  return streamXmlRows(
    zip,
    entry,
    {
      onopentag: (tag) => {
        const name = local(tag.name);
        const attrs = tag.attributes as Record<string, string>;
        if (name === 'row') {
          const r = Number(attrs.r);
          rowNumber = Number.isInteger(r) && r > rowNumber ? r : rowNumber + 1;
          cells = [];
          column = -1;
        } else if (name === 'c' && cells) {
          const at = columnOf(attrs.r);
          column = at >= 0 ? at : column + 1;
          type = attrs.t ?? 'n';
          text = '';
          capture = null;
          hasValue = false;
        } else if (name === 'v' && cells) {
          capture = 'v';
          hasValue = true;
          text = '';
        } else if (name === 'is' && cells) {
          capture = 'is';
          hasValue = true;
          text = '';
        } else if (name === 't' && capture === 'is') inInlineText = true;
        else if (name === 'rPh') phonetic++;
      },
      onclosetag: (tagName) => {
        const name = local(tagName);
        if (name === 'c' && cells) {
          if (hasValue && column < limits.maxColumns) {
            while (cells.length < column) cells.push('');
            cells[column] = valueOf();
          }
          capture = null;
          text = '';
        } else if (name === 'row' && cells) {
          if (!isBlank(cells)) ready.push({ row: rowNumber, cells });
          cells = null;
        } else if (name === 'v' || name === 'is') capture = null;
        else if (name === 't') inInlineText = false;
        else if (name === 'rPh') phonetic--;
      },
      ontext: append,
      oncdata: append,
    },
    () => ready.splice(0),
  );
}
