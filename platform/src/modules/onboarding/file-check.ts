import { filetypeinfo } from 'magic-bytes.js';
import { PDFDocument } from 'pdf-lib';
import { AppError, ValidationError } from '../../kernel/errors';
import { decodeImage } from '../../kernel/images';
import type { SignedResponse } from '../../kernel/storage/s3';

export type DocumentContentType = 'image/jpeg' | 'image/png' | 'application/pdf';

const ALLOWED: Record<string, DocumentContentType> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'application/pdf': 'application/pdf',
};

/**
 * Decides what a document file is from its bytes, never its name or declared type, and proves it by
 * parsing it: an image must decode, a PDF must load. Returns the type and the number of pages.
 */
export async function inspectDocumentFile(
  bytes: Buffer,
): Promise<{ contentType: DocumentContentType; pages: number; extension: string }> {
  if (bytes.length === 0) throw new ValidationError({ reason: 'FILE_EMPTY', message: 'The file is empty' });
  const detected = filetypeinfo(new Uint8Array(bytes.subarray(0, 4100)))
    .map((info) => (info.mime ? ALLOWED[info.mime] : undefined))
    .find((type): type is DocumentContentType => type !== undefined);
  const refuse = () =>
    new AppError(
      'FILE_TYPE_NOT_ALLOWED',
      { reason: 'FILE_NOT_DOCUMENT', message: 'Upload a JPEG, PNG or PDF file' },
      415,
    );
  if (!detected) throw refuse();
  if (detected === 'application/pdf') {
    try {
      const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
      return { contentType: detected, pages: Math.max(1, pdf.getPageCount()), extension: 'pdf' };
    } catch {
      throw refuse();
    }
  }
  // The header alone proves little: the whole image must decode, as the format its bytes began with.
  await decodeImage(bytes, new Set([detected === 'image/png' ? 'png' : 'jpeg']), 'Upload a JPEG, PNG or PDF file');
  return { contentType: detected, pages: 1, extension: detected === 'image/png' ? 'png' : 'jpg' };
}

const EXTENSION: Record<DocumentContentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

/**
 * How a document file is served: as a download of the type its bytes proved, so that no browser shows
 * it as a page or runs what it carries (HTML after an image, JavaScript in a PDF). An <img> still shows
 * an image; the original bytes are what the reviewer gets.
 */
export function documentDownload(file: { id: number; contentType: DocumentContentType }): SignedResponse {
  return {
    contentType: file.contentType,
    contentDisposition: `attachment; filename="qualification-${file.id}.${EXTENSION[file.contentType]}"`,
  };
}
