import sharp from 'sharp';
import { AppError } from './errors';

/**
 * How every uploaded image is read: a truncated file is an error (a phone photo with a harmless
 * warning is not). The same options go to the pipelines that store an image, so what was proven
 * whole is what gets resized.
 */
export const IMAGE_INPUT = { failOn: 'truncated' } as const satisfies sharp.SharpOptions;

export interface DecodedImage {
  format: string;
  width: number;
  height: number;
}

/**
 * Proves that bytes are one whole image of an accepted format by decoding all of it (to a small size,
 * so memory stays bounded), before anything is stored. Anything else — another format, a header with
 * nothing after it, a file cut short — is a 415 FILE_TYPE_NOT_ALLOWED, never a 500.
 */
export async function decodeImage(
  bytes: Buffer,
  accepted: ReadonlySet<string>,
  message: string,
): Promise<DecodedImage> {
  const refuse = () => new AppError('FILE_TYPE_NOT_ALLOWED', { reason: 'FILE_NOT_IMAGE', message }, 415);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, IMAGE_INPUT).metadata();
  } catch {
    throw refuse();
  }
  if (!meta.format || !accepted.has(meta.format) || !meta.width || !meta.height) throw refuse();
  try {
    await sharp(bytes, IMAGE_INPUT).resize(64, 64, { fit: 'inside' }).toBuffer();
  } catch {
    throw refuse();
  }
  return { format: meta.format, width: meta.width, height: meta.height };
}
