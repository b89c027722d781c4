import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';

/** Every file of a zip in memory, by path (folders left out). */
export function readZip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'));
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream?: Readable) => {
          if (e || !stream) return reject(e ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * A zip of these files, in path order, with fixed timestamps: the same files give the same bytes.
 * Stored, not deflated, by default: a package is made per shop, and deflating ~150 small files costs
 * ~80 ms where storing costs ~10 (measured); WeChat limits the unpacked code, not the transport.
 */
export async function writeZip(files: Map<string, Buffer>, opts: { deflate?: boolean } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const name of [...files.keys()].sort())
    zip.addBuffer(files.get(name)!, name, { mtime, compress: opts.deflate ?? false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
