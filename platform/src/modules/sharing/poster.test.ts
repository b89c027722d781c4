import sharp from 'sharp';
import QRCode from 'qrcode';
import { drawPoster, qrPng, wrap, yuanText } from './poster';

describe('the poster', () => {
  it('is a 750 × 1334 JPEG with the picture, the code and the text drawn', async () => {
    const picture = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#22aa66' } })
      .jpeg()
      .toBuffer();
    const jpeg = await drawPoster({
      channel: 'h5',
      picture,
      title: '无线蓝牙耳机 降噪 长续航',
      priceFen: 19900,
      shopName: '青禾食品旗舰店',
      sharer: { nickname: '小明', avatar: null },
      codeImage: await qrPng('https://mall.example.com/s/green/#/pages/product/detail?id=1&c=Ab3dE9xZ'),
    });
    const meta = await sharp(jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 750, height: 1334 });
    // The picture fills its square (green), and the text band under it has dark strokes (the title is drawn).
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) =>
      Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3));
    const [r, g, b] = at(375, 480);
    expect(g! > r! + 60 && g! > b! + 30).toBe(true);
    let dark = 0;
    for (let y = 860; y < 960; y++) for (let x = 40; x < 710; x++) if (at(x, y)[0]! < 100) dark++;
    expect(dark).toBeGreaterThan(500);
  });

  it('draws the sharer’s avatar in its circle at the top left', async () => {
    const avatar = await sharp({ create: { width: 132, height: 132, channels: 3, background: '#3366cc' } })
      .jpeg()
      .toBuffer();
    const jpeg = await drawPoster({
      channel: 'mp-weixin',
      picture: null,
      title: '北欧陶瓷马克杯',
      priceFen: 3900,
      shopName: '拾光生活馆',
      sharer: { nickname: '小明', avatar },
      codeImage: await qrPng('c=Ab3dE9xZ'),
    });
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) =>
      Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3));
    const [r, g, b] = at(84, 76);
    expect(b! > r! + 80 && b! > g! + 40).toBe(true);
    // Outside the circle (its corner) the poster stays white.
    expect(at(42, 34).every((c) => c > 230)).toBe(true);
  });

  it('stands without a picture or a sharer, and refuses nothing it was given as text', async () => {
    const jpeg = await drawPoster({
      channel: 'mp-weixin',
      picture: null,
      title: '<b>"&\'\u0001',
      priceFen: 1,
      shopName: 'A & B <shop>',
      sharer: null,
      codeImage: await qrPng('c=Ab3dE9xZ'),
    });
    expect((await sharp(jpeg).metadata()).height).toBe(1334);
  });
});

describe('the QR code of an h5 link', () => {
  it('is a square PNG whose modules are the qrcode library’s own', async () => {
    const text = 'https://mall.example.com/s/green/#/pages/product/detail?id=1&c=Ab3dE9xZ';
    const png = await qrPng(text, 430);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 430, height: 430 });
    // The top-left finder pattern is dark at its corner, just inside the 2-module quiet zone.
    const n = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;
    const cell = 430 / (n + 4);
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => data[Math.floor(y) * info.width + Math.floor(x)]!;
    expect(px(cell * 2.5, cell * 2.5)).toBeLessThan(64);
    expect(px(cell * 0.5, cell * 0.5)).toBeGreaterThan(192);
  });
});

describe('text', () => {
  it('prices in yuan from integer fen', () => {
    expect(yuanText(19900)).toEqual(['199', '00']);
    expect(yuanText(1)).toEqual(['0', '01']);
    expect(yuanText(123456)).toEqual(['1234', '56']);
  });

  it('titles wrap by width (CJK wide, Latin narrow) onto two lines at most, the second cut with …', () => {
    expect(wrap('短标题', 670, 34, 2)).toEqual(['短标题']);
    const long = '无线蓝牙耳机降噪长续航'.repeat(6);
    const lines = wrap(long, 670, 34, 2);
    expect(lines).toHaveLength(2);
    expect([...lines[0]!].length).toBe(19);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(wrap('a'.repeat(30), 670, 34, 2)).toEqual(['a'.repeat(30)]);
  });
});
