import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkMp4 } from './mp4';

/** A top-level box: its 32-bit size, its type, its body. */
const box = (type: string, body: Buffer = Buffer.alloc(0)) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};
const ftyp = (brand: string) =>
  box('ftyp', Buffer.concat([Buffer.from(brand, 'latin1'), Buffer.alloc(4), Buffer.from('isomavc1')]));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mp4-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function check(bytes: Buffer): Promise<string> {
  const path = join(dir, `f${Math.random()}`);
  await writeFile(path, bytes);
  return checkMp4(path).then(
    () => 'ok',
    (err: { status?: number; reason?: string }) => `${err.status} ${err.reason}`,
  );
}

describe('an MP4 proven from its boxes', () => {
  it('takes an ftyp of an MP4 brand followed by a movie and its media, ending at the end of the file', async () => {
    expect(
      await check(Buffer.concat([ftyp('isom'), box('moov', Buffer.alloc(40)), box('mdat', Buffer.alloc(1000))])),
    ).toBe('ok');
    // A box of 64-bit size, and a last box that runs to the end of the file (size 0).
    const large = Buffer.alloc(16 + 100);
    large.writeUInt32BE(1, 0);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(BigInt(large.length), 8);
    expect(await check(Buffer.concat([ftyp('mp42'), box('moov', Buffer.alloc(8)), large]))).toBe('ok');
    const open = Buffer.concat([box('mdat', Buffer.alloc(50))]);
    open.writeUInt32BE(0, 0);
    expect(await check(Buffer.concat([ftyp('iso5'), box('moov'), open]))).toBe('ok');
  });

  it('refuses another format, a QuickTime file, a file cut short, trailing bytes, or no movie', async () => {
    const refused = '415 FILE_NOT_MP4';
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(await check(png)).toBe(refused);
    expect(await check(Buffer.concat([ftyp('qt  '), box('moov'), box('mdat')]))).toBe(refused);
    const whole = Buffer.concat([ftyp('isom'), box('moov', Buffer.alloc(40)), box('mdat', Buffer.alloc(1000))]);
    expect(await check(whole.subarray(0, whole.length - 10))).toBe(refused);
    expect(await check(Buffer.concat([whole, Buffer.from('junk')]))).toBe(refused);
    expect(await check(Buffer.concat([ftyp('isom'), box('mdat', Buffer.alloc(10))]))).toBe(refused);
    expect(await check(Buffer.alloc(0))).toBe(refused);
  });
});
