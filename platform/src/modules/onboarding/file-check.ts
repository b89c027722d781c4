import { filetypeinfo } from 'magic-bytes.js';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { AppError, ValidationError } from '../../kernel/errors';

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
export async function inspectDocumentFile(bytes: Buffer): Promise<{ contentType: DocumentContentType; pages: number; extension: string }> {
  if (bytes.length === 0) throw new ValidationError({ reason: 'FILE_EMPTY', message: 'The file is empty' });
  const detected = filetypeinfo(new Uint8Array(bytes.subarray(0, 4100)))
    .map((info) => (info.mime ? ALLOWED[info.mime] : undefined))
    .find((type): type is DocumentContentType => type !== undefined);
  const refuse = () => new AppError('FILE_TYPE_NOT_ALLOWED', { reason: 'FILE_NOT_DOCUMENT', message: 'Upload a JPEG, PNG or PDF file' }, 415);
  if (!detected) throw refuse();
  if (detected === 'application/pdf') {
    try {
      const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
      return { contentType: detected, pages: Math.max(1, pdf.getPageCount()), extension: 'pdf' };
    } catch {
      throw refuse();
    }
  }
  try {
    const meta = await sharp(bytes).metadata();
    const format = meta.format === 'jpeg' ? 'image/jpeg' : meta.format === 'png' ? 'image/png' : null;
    if (format !== detected || !meta.width || !meta.height) throw new Error('mismatch');
    // The header alone proves little: decode the whole image (to a small size), refusing truncated data.
    await sharp(bytes, { failOn: 'truncated' }).resize(64, 64, { fit: 'inside' }).toBuffer();
  } catch {
    throw refuse();
  }
  return { contentType: detected, pages: 1, extension: detected === 'image/png' ? 'png' : 'jpg' };
}
