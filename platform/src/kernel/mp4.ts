import { open } from 'node:fs/promises';
import { AppError } from './errors';

/** The `ftyp` brands of MP4 files the shop's players (WeChat's `video`, browsers) play. QuickTime (`qt  `) is not one. */
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'avc1',
  'M4V ',
  'MSNV',
  'dash',
]);

/**
 * Checks that a file is an MP4 from its bytes, reading only its top-level box headers (8 or 16 bytes each), so a
 * large file costs no memory: it must open with an `ftyp` box of an MP4 brand, be a chain of well-formed boxes that
 * ends exactly at the end of the file, and hold the movie (`moov`) and its media (`mdat`). Anything else — another
 * format renamed, a file cut short, trailing bytes — is a 415 FILE_TYPE_NOT_ALLOWED (reason FILE_NOT_MP4).
 */
export async function checkMp4(path: string): Promise<void> {
  const refuse = () =>
    new AppError('FILE_TYPE_NOT_ALLOWED', { reason: 'FILE_NOT_MP4', message: 'Upload an MP4 video' }, 415);
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(16);
    const seen = new Set<string>();
    let at = 0;
    while (at < size) {
      if (size - at < 8) throw refuse();
      await file.read(header, 0, 16, at);
      let boxSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      let headerSize = 8;
      if (boxSize === 1) {
        if (size - at < 16) throw refuse();
        boxSize = Number(header.readBigUInt64BE(8));
        headerSize = 16;
      } else if (boxSize === 0) boxSize = size - at;
      if (!/^[\x20-\x7e]{4}$/.test(type) || boxSize < headerSize || at + boxSize > size) throw refuse();
      if (at === 0) {
        if (type !== 'ftyp' || boxSize < 16) throw refuse();
        const brand = header.toString('latin1', 8, 12);
        if (!MP4_BRANDS.has(brand)) throw refuse();
      }
      seen.add(type);
      at += boxSize;
    }
    if (!seen.has('moov') || !seen.has('mdat')) throw refuse();
  } finally {
    await file.close();
  }
}
